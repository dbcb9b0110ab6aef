// The Python module `footloose`: the static report and the transition path of the model, with
// the configuration keys, validation and messages of the command-line program.
//
//   import footloose
//   footloose.static_equilibria({"phi1": 0.3})   # dict: the content of `footloose static --json`
//   footloose.solve_path({"gamma_R": 2.0})       # dict with numpy arrays under "path"
//
// Bad input raises footloose.ConfigError (a ValueError; .field names the key); a path that does
// not converge raises footloose.SolveError (a RuntimeError; .result holds the flagged result)
// unless solve_path(..., allow_unconverged=True).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <string>

#include "models/parameters.hpp"
#include "src/build_info.hpp"
#include "src/config.hpp"
#include "src/config_schema.hpp"
#include "src/output.hpp"
#include "src/python/path_bridge.hpp"
#include "src/static_report.hpp"

namespace py = pybind11;

namespace footloose::python {

namespace {

constexpr const char* kSource = "<dict>";  // names the input in messages, as config_from_dict does

// Python exception classes, created at import.
PyObject* config_error_type = nullptr;
PyObject* solve_error_type = nullptr;

// Raised (as footloose.SolveError) when the path did not converge.
struct UnconvergedPath {
  std::string message;
  py::dict result;
};

// Raises footloose.ConfigError(message) with .field set.
void raise_config_error(const std::string& field, const std::string& message) {
  py::object error = py::reinterpret_borrow<py::object>(config_error_type)(message);
  error.attr("field") = field;
  PyErr_SetObject(config_error_type, error.ptr());
}

// A Python value as a ConfigValue; false when it is not a scalar (list, dict, None, ...).
bool to_config_value(py::handle value, ConfigValue& out) {
  if (PyBool_Check(value.ptr())) {
    out = value.cast<bool>();
    return true;
  }
  if (PyFloat_Check(value.ptr())) {  // also numpy.float64
    out = value.cast<double>();
    return true;
  }
  if (PyLong_Check(value.ptr())) {
    int overflow = 0;
    const long long x = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow)
      out = PyLong_AsDouble(value.ptr());
    else
      out = static_cast<std::int64_t>(x);
    return true;
  }
  if (PyUnicode_Check(value.ptr())) {
    out = value.cast<std::string>();
    return true;
  }
  // numpy scalars and one-element arrays: their Python equivalent.
  if (py::hasattr(value, "dtype") && py::hasattr(value, "item")) {
    py::object item;
    try {
      item = value.attr("item")();
    } catch (const py::error_already_set&) {
      return false;
    }
    if (!py::hasattr(item, "dtype")) return to_config_value(item, out);
  }
  return false;
}

RunConfig run_config(const py::object& params) {
  std::map<std::string, ConfigValue> values;
  if (!params.is_none()) {
    if (!PyDict_Check(params.ptr()))
      throw py::type_error(std::string("params must be a dict of config keys, not ") +
                           py::str(params.get_type().attr("__name__")).cast<std::string>());
    for (const auto& [key, value] : params.cast<py::dict>()) {
      if (!PyUnicode_Check(key.ptr()))
        throw py::type_error("config keys must be strings; got " +
                             py::repr(key).cast<std::string>());
      const std::string name = key.cast<std::string>();
      ConfigValue converted;
      if (!to_config_value(value, converted)) {
        const ConfigKey* known = find_config_key(name);
        if (!known) {
          converted = false;  // any value: config_from_dict reports the unknown key
        } else {
          const std::string got = py::str(value.get_type().attr("__name__")).cast<std::string>() +
                                  " " + py::repr(value).cast<std::string>();
          throw ConfigError(name, std::string(kSource) + ": key '" + name + "' must be " +
                                      (known->takes_word() ? "a string" : "a number") +
                                      " (allowed: " + known->allowed + "); got " + got);
        }
      }
      values.emplace(name, converted);
    }
  }
  return config_from_dict(values, kSource);
}

py::object static_equilibria(const py::object& params) {
  const RunConfig config = run_config(params);
  std::string text;
  {
    py::gil_scoped_release release;
    nlohmann::ordered_json document = static_report_json(compute_static_report(config));
    document["footloose"] = build_info_json();  // as in the program's JSON
    text = document.dump();
  }
  return py::module_::import("json").attr("loads")(text);
}

// warm_start: None, a result dict of solve_path (its "solver_state"), or a SolverState.
std::shared_ptr<const TransitionResult> warm_start_of(const py::object& warm_start) {
  if (warm_start.is_none()) return nullptr;
  py::object state = warm_start;
  if (py::isinstance<py::dict>(warm_start)) {
    const py::dict d = warm_start.cast<py::dict>();
    if (!d.contains("solver_state"))
      throw py::value_error(
          "warm_start: the dict has no 'solver_state' (pass a solve_path result)");
    state = d["solver_state"];
    if (state.is_none()) return nullptr;  // an unconverged neighbour: solve cold
  }
  if (!py::isinstance<SolverState>(state))
    throw py::type_error("warm_start must be None or a result of solve_path");
  return state.cast<const SolverState&>().result;
}

py::object path_frame(const py::dict& result) {
  if (!result.contains("path"))
    throw py::value_error("path_frame: not a solve_path result (no 'path')");
  return py::module_::import("pandas").attr("DataFrame")(result["path"]);
}

// params with the keyword `threads` (None: not given) added as the config key of that name, so
// that it is validated like every key (a whole number, 1 <= threads <= 64).
py::object with_threads(const py::object& params, const py::object& threads) {
  if (threads.is_none()) return params;
  py::dict merged;
  if (!params.is_none()) {
    if (!PyDict_Check(params.ptr())) return params;  // run_config reports the type
    merged = py::dict(params.attr("copy")());
    if (merged.contains("threads"))
      throw py::value_error("threads is given twice: as a keyword and as params['threads']");
  }
  merged["threads"] = threads;
  return std::move(merged);
}

py::dict solve_path(const py::object& params, const py::object& warm_start, bool allow_unconverged,
                    const py::object& threads) {
  const RunConfig config = run_config(with_threads(params, threads));
  if (is_model_variant(config)) {
    if (!warm_start.is_none())
      throw py::value_error(
          "warm_start is only used by the single-front sequential solver (relocation = 'front', "
          "timing = 'sequential')");
    PathOutcome outcome = solve_variant_run(config);
    if (!outcome.converged && !allow_unconverged)
      throw UnconvergedPath{outcome.message.empty() ? "path not solved" : outcome.message,
                            outcome.result};
    return outcome.result;
  }
  PathRun run;
  run.warm_start = warm_start_of(warm_start);
  run.params = config.params;
  run.phi_path = trade_path(config);
  run.initial = initial_state(config);
  run.options = transition_options(config);
  PathOutcome outcome = solve_path_run(run);
  if (!outcome.converged && !allow_unconverged)
    throw UnconvergedPath{outcome.message.empty() ? "transition path not solved" : outcome.message,
                          outcome.result};
  return outcome.result;
}

}  // namespace

}  // namespace footloose::python

PYBIND11_MODULE(footloose, m) {
  using namespace footloose;
  using namespace footloose::python;
  m.doc() =
      "Baldwin-Okubo trade model with entry and relocation (docs/model.md): static equilibria and "
      "transition paths.\n\n"
      "params: a dict of the config keys of the footloose program (see config_keys()); missing "
      "keys take their defaults (the baseline calibration). Validation and messages are the "
      "program's. Bad input raises ConfigError (a ValueError, with .field the offending key).";
  m.attr("__version__") = kVersion;
  m.attr("git_commit") = kGitCommit;
  static py::exception<ConfigError> config_error(m, "ConfigError", PyExc_ValueError);
  config_error.doc() = "Bad configuration or parameter outside its domain; .field is the key.";
  config_error_type = config_error.ptr();
  static py::exception<UnconvergedPath> solve_error(m, "SolveError", PyExc_RuntimeError);
  solve_error.doc() = "The transition path did not converge; .result is the flagged result dict.";
  solve_error_type = solve_error.ptr();

  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const ConfigError& e) {
      raise_config_error(e.field(), e.what());
    } catch (const ParameterError& e) {
      raise_config_error(e.field(), e.what());
    } catch (const UnconvergedPath& e) {
      py::object error = py::reinterpret_borrow<py::object>(solve_error_type)(e.message);
      error.attr("result") = e.result;
      PyErr_SetObject(solve_error_type, error.ptr());
    }
  });

  m.def("static_equilibria", &static_equilibria, py::arg("params") = py::none(),
        "Every static equilibrium of docs/model.md Section 2 at phi = phi1 (autarky, HFT, instant "
        "relocation in both readings, phi_P, phi_S, general-sn comparison), as a dict with the "
        "content of `footloose static --json`.");
  py::class_<SolverState>(m, "SolverState",
                          "The solver's answer inside a result (result['solver_state']): what "
                          "warm_start= reuses. Opaque.");
  m.def("path_frame", &path_frame, py::arg("result"),
        "The path of a solve_path result as a pandas DataFrame (one row per time point, the "
        "columns of result['path']).");
  m.def("solve_path", &solve_path, py::arg("params") = py::none(), py::kw_only(),
        py::arg("warm_start") = py::none(), py::arg("allow_unconverged") = false,
        py::arg("threads") = py::none(),
        "Transition path after the trade shock phi0 -> phi1 (docs/model.md Section 3).\n\n"
        "Returns a dict: 'path' maps t, phi, K, K_star, sk, sn, nw, aR, w, W, S, P, W_star, B, "
        "B_star, aD, aX, aD_star, aX_star, relocation_flow, entry_rate, entry_rate_star, a_bar, "
        "a_bar_star, omega, omega_star to numpy arrays of equal length (t increasing from 0 to T; "
        "relocation_flow[0] is inf when aR(0) = 0 < P(0)); "
        "scalars sn_inf, sk_inf, aR_inf, nw_inf, sn_hft, lambda_R, converged, trustworthy, "
        "residual_norm (max scaled shooting residual), saddle_ok, V0_ok, V1_ok, V2_ok (None where "
        "the check was not made), initial_costates {W, S, P}, solve_seconds, warnings, message; "
        "'report' is the one-line summary. The keys accept exactly the config keys.\n\n"
        "If the path does not converge: raises SolveError (a RuntimeError) with the solver's "
        "message and the flagged result as .result, unless allow_unconverged=True, which returns "
        "it (converged=False, empty path arrays, NaN long-run values). The GIL is released while "
        "solving.\n\n"
        "warm_start: a previous result (at a neighbouring parameter point, same solver settings) "
        "to start from instead of the cold guess; an unconverged one is ignored.\n\n"
        "Model variants (docs/model.md Section 6): with relocation='type_resolved' or "
        "timing='optimal' the dict has the content of `footloose path --json` for that variant "
        "(type-resolved: U, chi and the moved sets under 'path', 'moved_shares' per type cell; "
        "optimal timing: u, q, option_value, chi, surplus beside the single-front columns); "
        "warm_start is not used there.\n\n"
        "threads: threads of this one solve, a whole number 1 <= threads <= 64 (the answer is "
        "the same on any number; the single-front sequential solver only). None: "
        "params['threads'] if given, else 1 (a notebook may already run solves side by side; "
        "`footloose path` defaults to 2). Bad values raise ConfigError (.field 'threads').");
  add_sweep(m);
  m.def("config_keys", &config_key_names, "Names of all config keys, model parameters first.");
}
