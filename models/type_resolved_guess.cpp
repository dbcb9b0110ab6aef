#include "models/type_resolved_guess.hpp"

#include <algorithm>
#include <exception>

#include "models/transition.hpp"

namespace footloose {

std::vector<double> aggregate_path_on_mesh(const std::vector<PathPoint>& path,
                                           const std::vector<double>& times) {
  const std::size_t n = times.size();
  std::vector<double> Z(2 * n);
  for (std::size_t k = 0; k < n; ++k) {
    const double t = times[k];
    const auto hi = std::lower_bound(path.begin(), path.end(), t,
                                     [](const PathPoint& q, double s) { return q.t < s; });
    if (hi == path.begin() || hi == path.end()) {
      const PathPoint& q = hi == path.end() ? path.back() : path.front();
      Z[k] = q.B;
      Z[n + k] = q.B_star;
      continue;
    }
    const PathPoint &a = *(hi - 1), &b = *hi;
    const double x = b.t > a.t ? (t - a.t) / (b.t - a.t) : 1.0;
    Z[k] = a.B + x * (b.B - a.B);
    Z[n + k] = a.B_star + x * (b.B_star - a.B_star);
  }
  return Z;
}

SingleFrontGuess single_front_guess(const Parameters& p, const TradePath& phi_path,
                                    const InitialStateSpec& initial,
                                    const std::vector<double>& times, double time_limit) {
  SingleFrontGuess guess;
  TransitionOptions options;
  options.time_limit = time_limit;
  try {
    const TransitionResult front = solve_transition(p, phi_path, initial, options);
    guess.aR_inf = front.aR_inf;
    if (!front.converged || front.path.empty()) {
      guess.note = "the single-front path did not converge (" + front.message + ")";
      return guess;
    }
    guess.Z = aggregate_path_on_mesh(front.path, times);
    guess.usable = front.trustworthy();
    guess.note = guess.usable ? "single-front path (M7), aR_inf = " + std::to_string(front.aR_inf)
                              : "the single-front path is flagged (" + front.brief_report() + ")";
  } catch (const std::exception& e) {
    guess.note = std::string("the single-front path could not be solved: ") + e.what();
  }
  return guess;
}

}  // namespace footloose
