// Infinite-horizon problems solved on [0, T] with an asymptotic condition at T: the condition
// is exact to second order in the distance of y(T) from its limit, so while that distance is
// above a bound the horizon is doubled and the problem solved again. Generic.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace footloose::solvers {

struct HorizonExtensionOptions {
  double max_deviation = 1e-4;  // scaled distance of y(T) from the limit that is accepted
  int max_doublings = 4;
};

// deviation(): the current solution's scaled distance at T; solve_on(T'): lengthens the current
// solution onto [0, T'], solves, and says whether it converged. Each doubling is said in
// `warnings`. Returns false when a solve on a longer horizon failed; `horizon` is the last one.
inline bool double_horizon_while_far(double& horizon, const HorizonExtensionOptions& o,
                                     const std::function<double()>& deviation,
                                     const std::function<bool(double)>& solve_on,
                                     std::vector<std::string>& warnings) {
  for (int k = 0; k < o.max_doublings; ++k) {
    const double d = deviation();
    if (d <= o.max_deviation) break;
    warnings.push_back("horizon doubled from " + std::to_string(horizon) + ": y(T) was " +
                       std::to_string(d) + " (scaled) from the long-run point");
    horizon *= 2.0;
    if (!solve_on(horizon)) return false;
  }
  return true;
}

}  // namespace footloose::solvers
