// solve_path: runs solve_transition (models/transition.hpp) and converts its result to Python.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "models/transition.hpp"
#include "src/path_columns.hpp"
#include "src/python/path_bridge.hpp"

namespace py = pybind11;

namespace footloose::python {

namespace {

py::dict path_arrays(const std::vector<PathPoint>& path) {
  py::dict arrays;
  const auto n = static_cast<py::ssize_t>(path.size());
  for (const auto& [name, member] : path_columns) {  // src/path_columns.hpp
    py::array_t<double> column(n);
    auto out = column.mutable_unchecked<1>();
    for (py::ssize_t i = 0; i < n; ++i) out(i) = path[static_cast<std::size_t>(i)].*member;
    arrays[name] = std::move(column);
  }
  return arrays;
}

py::dict validity_dict(const ValidityCheck& check) {
  py::dict d;
  d["ok"] = check.ok;
  d["evaluated"] = check.evaluated;
  d["margin"] = check.margin;
  d["time"] = check.time;
  d["type"] = check.type;
  return d;
}

}  // namespace

PathOutcome solve_path_run(const PathRun& run) {
  TransitionResult r;
  {
    py::gil_scoped_release release;
    r = solve_transition(run.params, run.phi_path, run.initial, run.options, run.warm_start.get());
  }

  py::dict d;
  d["converged"] = r.converged;
  d["trustworthy"] = r.trustworthy();
  d["message"] = r.message;
  d["report"] = r.brief_report();
  d["path"] = path_arrays(r.path);
  // Without a solved path the long-run values and checks were never computed: NaN / None.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto solved = [&](double x) { return r.converged ? x : nan; };
  d["sn_inf"] = solved(r.sn_inf);
  d["sk_inf"] = solved(r.sk_inf);
  d["aR_inf"] = solved(r.aR_inf);
  d["nw_inf"] = solved(r.nw_inf);
  d["sn_hft"] = solved(r.sn_hft);
  d["lambda_R"] = solved(r.lambda_R);
  d["horizon"] = r.horizon;
  d["lambda_R_ok"] = r.lambda_r_ok;
  d["method"] = solvers::to_string(r.bvp.method);
  d["termination"] = solvers::to_string(r.bvp.termination);
  d["residual_norm"] = r.bvp.residual_max;
  d["newton_iterations"] = r.bvp.newton_iterations;
  d["mesh_intervals"] = r.bvp.intervals;
  if (r.error_estimate.available) {
    py::dict e;
    e["sn_inf"] = r.error_estimate.sn_inf;
    e["aR_inf"] = r.error_estimate.aR_inf;
    e["lambda_R"] = r.error_estimate.lambda_R;
    e["W0"] = r.error_estimate.W0;
    e["S0"] = r.error_estimate.S0;
    e["P0"] = r.error_estimate.P0;
    e["path_scaled"] = r.error_estimate.path;
    d["error_estimate"] = e;
  } else {
    d["error_estimate"] = py::none();
  }
  if (r.verification.performed) {
    py::dict v;
    v["method"] = solvers::to_string(r.verification.method);
    v["converged"] = r.verification.converged;
    v["max_difference"] = r.verification.converged
                              ? py::object(py::float_(r.verification.max_difference))
                              : py::object(py::none());
    d["verification"] = v;
  }
  d["saddle_ok"] = r.saddle.ok;
  d["saddle_eigenvalues"] = r.saddle.eigenvalues;
  // None where a check was not made (no solved path; V2 skipped) rather than a vacuous True.
  const auto check = [](bool made, bool ok) {
    return made ? py::object(py::bool_(ok)) : py::object(py::none());
  };
  d["V0_ok"] = check(r.converged, r.validity.v0.ok);
  d["V1_ok"] = check(r.converged, r.validity.v1.ok);
  d["V2_ok"] = check(r.converged && r.validity.v2.evaluated, r.validity.v2.ok);
  py::dict validity;
  validity["V0"] = validity_dict(r.validity.v0);
  validity["V1"] = validity_dict(r.validity.v1);
  validity["V2"] = validity_dict(r.validity.v2);
  d["validity"] = validity;
  py::dict costates;
  costates["W"] = r.initial_state[kValueNorth];
  costates["S"] = r.initial_state[kValueSouth];
  costates["P"] = r.initial_state[kRelocationValue];
  d["initial_costates"] = costates;
  d["continuation_lambda"] = r.continuation.last_lambda;
  d["solve_seconds"] = r.solve_seconds;
  d["warnings"] = r.warnings;
  if (r.converged) {
    auto kept = std::make_shared<TransitionResult>(r);
    kept->path.clear();
    kept->path.shrink_to_fit();
    d["solver_state"] = SolverState{std::move(kept)};
  } else {
    d["solver_state"] = py::none();
  }

  PathOutcome outcome;
  outcome.result = std::move(d);
  outcome.converged = r.converged;
  outcome.message = r.message;
  return outcome;
}

}  // namespace footloose::python
