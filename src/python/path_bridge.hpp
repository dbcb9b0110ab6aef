// The run settings of solve_path, handed from bindings.cpp (which reads the configuration,
// src/config.hpp) to path_solve.cpp (which runs the transition solver, models/transition.hpp).
// Both headers declare footloose::TerminalCondition, so no translation unit includes both, and
// this header includes neither.
#pragma once

#include <string>

#include <pybind11/pybind11.h>

#include "models/parameters.hpp"
#include "models/trade_path.hpp"

namespace footloose::python {

struct PathRun {
  Parameters params;
  TradePath phi_path;
  InitialStateSpec initial;
  double horizon = 60.0;
  double rtol = 1e-10;
  double atol = 1e-12;  // not used yet: TransitionOptions has no absolute tolerance
  double newton_tolerance = 1e-10;
  bool truncation = false;  // terminal_condition = truncation (else asymptotic)
};

struct PathOutcome {
  pybind11::dict result;  // the dictionary solve_path returns
  bool converged = false;
  std::string message;
};

// Solves the transition path with the GIL released, then builds the result dictionary.
PathOutcome solve_path_run(const PathRun& run);

}  // namespace footloose::python
