// The run settings of solve_path, handed from bindings.cpp (which reads the configuration,
// src/config.hpp) to path_solve.cpp (which runs the transition solver, models/transition.hpp,
// and converts its result to numpy).
#pragma once

#include <string>

#include <pybind11/pybind11.h>

#include "models/parameters.hpp"
#include "models/trade_path.hpp"
#include "models/transition.hpp"

namespace footloose::python {

struct PathRun {
  Parameters params;
  TradePath phi_path;
  InitialStateSpec initial;
  TransitionOptions options;  // from transition_options(config), as `footloose path` uses
};

struct PathOutcome {
  pybind11::dict result;  // the dictionary solve_path returns
  bool converged = false;
  std::string message;
};

// Solves the transition path with the GIL released, then builds the result dictionary.
PathOutcome solve_path_run(const PathRun& run);

}  // namespace footloose::python
