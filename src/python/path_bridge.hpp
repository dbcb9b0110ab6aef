// The run settings of solve_path, handed from bindings.cpp (which reads the configuration,
// src/config.hpp) to path_solve.cpp (which runs the transition solver, models/transition.hpp,
// and converts its result to numpy).
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>

#include "models/parameters.hpp"
#include "models/trade_path.hpp"
#include "models/transition.hpp"
#include "src/config.hpp"

namespace footloose::python {

struct PathRun {
  Parameters params;
  TradePath phi_path;
  InitialStateSpec initial;
  TransitionOptions options;  // from transition_options(config), as `footloose path` uses
  std::shared_ptr<const TransitionResult> warm_start;  // a neighbour's solution, or null
};

// The solver's own answer, kept in the result dict under "solver_state" so that a later
// solve_path(..., warm_start=result) starts from it (its path arrays are dropped: not needed).
struct SolverState {
  std::shared_ptr<const TransitionResult> result;
};

struct PathOutcome {
  pybind11::dict result;  // the dictionary solve_path returns
  bool converged = false;
  std::string message;
};

// footloose.sweep (src/python/sweep_frame.cpp).
void add_sweep(pybind11::module_& m);

// Solves the transition path with the GIL released, then builds the result dictionary.
PathOutcome solve_path_run(const PathRun& run);

// relocation = "type_resolved" or timing = "optimal" (docs/model.md Section 6).
bool is_model_variant(const RunConfig& config);
// Solves a model variant with the GIL released; the dict is the content of `footloose path
// --json` for that variant, numeric path columns as numpy arrays (src/python/variant_solve.cpp).
PathOutcome solve_variant_run(const RunConfig& config);

}  // namespace footloose::python
