// The long-run answer of a path under any model (the single front, or a variant of
// docs/model.md Section 6), as sweeps tabulate it: one struct, built from each result type.
#pragma once

#include <limits>
#include <string>

#include "models/optimal_timing.hpp"
#include "models/transition.hpp"
#include "models/type_resolved.hpp"

namespace footloose {

struct PathAnswer {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  bool converged = false;
  bool trustworthy = false;
  double sn_inf = kNaN, sk_inf = kNaN, lambda_R = kNaN;
  double aR_inf = kNaN;          // the front's threshold (NaN for the type-resolved variant)
  double moved_share = kNaN;     // U∞: moved share of South-born capital (aR∞^ρ for a front)
  double error_estimate = kNaN;  // scaled path error estimate, where the method gives one
  std::string termination;       // the method's termination enum, as text
  std::string message;
};

PathAnswer path_answer(const TransitionResult& result, double rho);
PathAnswer path_answer(const TypeResolvedResult& result);
PathAnswer path_answer(const OptimalTimingResult& result, double rho);

}  // namespace footloose
