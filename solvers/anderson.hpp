// Anderson acceleration (type II, memory m, mixing β) for a fixed point x = Φ(x), with an
// Options struct in and a Summary out. Generic numerics only.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace footloose::solvers {

struct FixedPointOptions {
  double tolerance = 1e-10;  // stop when ‖Φ(x) − x‖∞ (scaled) is below this
  int max_iterations = 3000;
  int memory = 6;           // Anderson history length (0: damped Picard)
  double mixing = 0.5;      // β: x_{k+1} = (1−β)·(accelerated x) + β·(accelerated Φ(x))
  double time_limit = 0.0;  // seconds, 0 = none
  // Adaptive safeguard: when the residual grows by more than this factor (over the best so far),
  // the iteration returns to the best iterate, the history is restarted and the mixing halved
  // (down to min_mixing). Diverged: more than max_futile_restarts such restarts without a new
  // best iterate, at min_mixing, or a map
  // that cannot be evaluated even after 30 halvings of the step. The best iterate is returned.
  double restart_growth = 10.0;
  double min_mixing = 0.05;
  int max_futile_restarts = 5;
  // Before the safeguard fires, halve a step whose residual grew that much up to this many
  // times (each costs one evaluation of Φ; the history records every evaluation).
  int backtracking_steps = 0;
  // On such a restart keep the rejected step (x − x_best, f − f_best) as the one history
  // column: the next step from the best iterate is then a secant step in the expanding direction.
  bool keep_rejected_step = false;
};

enum class FixedPointTermination { Converged, NotConverged, Diverged, TimeLimit, BadInput };
const char* to_string(FixedPointTermination t);

struct FixedPointSummary {
  FixedPointTermination termination = FixedPointTermination::NotConverged;
  int iterations = 0;
  double residual = 0;  // final scaled ‖Φ(x) − x‖∞
  double seconds = 0;
  std::vector<double> history;  // residual per iteration
  std::string message;
  bool is_usable() const { return termination == FixedPointTermination::Converged; }
  std::string brief_report() const;
  std::string full_report() const;
};

// Φ maps x to out (same size); it returns false when it cannot be evaluated at x (the step is
// then shortened). scale: per-component magnitudes for the norm (empty: 1).
using FixedPointMap = std::function<bool(const std::vector<double>& x, std::vector<double>& out)>;
FixedPointSummary solve_fixed_point(const FixedPointMap& map, std::vector<double>& x,
                                    const std::vector<double>& scale,
                                    const FixedPointOptions& options = {});

}  // namespace footloose::solvers
