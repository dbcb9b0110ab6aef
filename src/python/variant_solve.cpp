// solve_path for the model variants of docs/model.md Section 6 (relocation = "type_resolved",
// timing = "optimal"): the result dict has the content of `footloose path --json` for the
// variant, with the numeric path columns as numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <string>

#include "src/optimal_timing_report.hpp"
#include "src/python/path_bridge.hpp"
#include "src/type_resolved_report.hpp"

namespace py = pybind11;

namespace footloose::python {

bool is_model_variant(const RunConfig& config) {
  return config.path.relocation != RelocationModel::Front ||
         config.path.timing != RelocationTiming::Sequential;
}

PathOutcome solve_variant_run(const RunConfig& config) {
  std::string text;
  PathOutcome outcome;
  {
    py::gil_scoped_release release;
    nlohmann::ordered_json document;
    if (config.path.relocation == RelocationModel::TypeResolved) {
      TypeResolvedReport report;
      report.config = config;
      report.options = type_resolved_options(config);
      report.result = solve_type_resolved(config.params, trade_path(config), initial_state(config),
                                          report.options);
      outcome.converged = report.result.converged;
      outcome.message = report.result.message;
      if (outcome.message.empty()) outcome.message = report.result.fixed_point.brief_report();
      document = type_resolved_report_json(report);
    } else {
      OptimalTimingReport report;
      report.config = config;
      report.options = optimal_timing_options(config);
      report.result = solve_optimal_timing(config.params, trade_path(config), initial_state(config),
                                           report.options);
      outcome.converged = report.result.converged;
      outcome.message = report.result.message;
      document = optimal_timing_report_json(report);
    }
    document["message"] = outcome.message;
    text = document.dump();
  }
  py::dict d = py::module_::import("json").attr("loads")(text);
  // Numeric path columns as numpy arrays (null -> nan); the moved sets stay lists.
  py::dict path = d["path"];
  py::module_ numpy = py::module_::import("numpy");
  for (auto item : path) {
    const std::string name = py::str(item.first);
    if (name == "moved_set") continue;
    py::list values = py::reinterpret_borrow<py::list>(item.second);
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i].is_none()) values[i] = py::float_(std::nan(""));
    path[item.first] = numpy.attr("asarray")(values, py::arg("dtype") = "float64");
  }
  d["solver_state"] = py::none();  // warm starts are for the single-front solver
  outcome.result = std::move(d);
  return outcome;
}

}  // namespace footloose::python
