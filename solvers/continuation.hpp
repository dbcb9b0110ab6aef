// Homotopy stepping of a parameter λ from a start value to 1: the step grows after successes
// and shrinks after failures. The caller's attempt(λ) keeps its own warm start. Generic.
#pragma once

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace footloose::solvers {

struct ContinuationOptions {
  double first_lambda = 1.0;  // first value tried
  double min_step = 1.0 / 1024.0;
  double max_step = 1.0;
  double growth = 2.0;
  double shrink = 0.25;
  int max_attempts = 60;
};

struct ContinuationSummary {
  bool reached = false;      // λ = 1 solved
  double last_lambda = 0.0;  // last λ solved (0 = none)
  int attempts = 0, failures = 0;
  std::vector<double> solved;  // λ values solved, in order
  std::string report() const;
};

// attempt(λ) returns true on success. λ = first_lambda is tried first; after a failure the step
// from the last solved λ (initially 0) shrinks.
inline ContinuationSummary continue_to_one(const std::function<bool(double)>& attempt,
                                           const ContinuationOptions& o) {
  ContinuationSummary s;
  double step = std::min(o.first_lambda, o.max_step);
  while (s.attempts < o.max_attempts) {
    const double target = std::min(1.0, s.last_lambda + step);
    ++s.attempts;
    if (attempt(target)) {
      s.last_lambda = target;
      s.solved.push_back(target);
      if (target >= 1.0) {
        s.reached = true;
        break;
      }
      step = std::min(o.max_step, step * o.growth);
    } else {
      ++s.failures;
      step *= o.shrink;
      if (step < o.min_step) break;
    }
  }
  return s;
}

inline std::string ContinuationSummary::report() const {
  std::string r = std::to_string(attempts) + " attempts, " + std::to_string(failures) +
                  " failed, last lambda solved " + std::to_string(last_lambda);
  return r;
}

}  // namespace footloose::solvers
