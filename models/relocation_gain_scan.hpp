// The V2 comparison on a solved path (docs/model.md 3.11): at every point t_k, the present-value
// gain v(aR(t_k), t_k) of the marginal type and the largest v(a, t_k) over a grid of types
// a > aR(t_k) that have not moved. The values are those of RelocationGainValues (the same
// trapezoidal present value of the flow (G1)) to rounding, without its types × points work.
//
// How: (G1) is a sum of four terms ±(c_i(s) z − f)^+ / σ in z = a^{1−σ}, with c_i(s) = B, φB*, B*,
// φB at s. A type is settled at t_k when each term is on for all s ≥ t_k (z > f/c_i(s)) or off
// for all of them; then v(z, t_k) = Σ_{on} ±(z H_i(t_k) − f D(t_k)) / σ exactly, with H_i and D
// the present values of c_i and of 1 (one backward pass each), linear in z. Along the grid the
// settled types form at most nine runs of one such linear form each, whose largest value is at
// one of the run's two eligible ends. Only the types between the smallest and largest f/c_i(s)
// of the remaining path are unsettled; their values come from the backward recursion, started
// from the closed form at the first point (from the end) where they become unsettled.
#pragma once

#include <vector>

#include "models/dynamics.hpp"
#include "solvers/worker_team.hpp"

namespace footloose {

struct UnmovedGainScan {
  // Per path point k; the last (the horizon, where v = 0) is not compared and keeps the defaults.
  std::vector<double> marginal;        // v(aR(t_k), t_k); NaN where aR(t_k) = 0
  std::vector<double> marginal_power;  // aR(t_k)^{1−σ}; NaN where aR(t_k) = 0
  std::vector<double> largest;       // max of v(a, t_k) over grid types a > aR(t_k); −∞ if none
  std::vector<double> largest_type;  // the smallest grid type with that value (0 if none)
};

// path: increasing times (as RelocationGainValues). types: increasing, in (0, 1]; throws
// std::invalid_argument otherwise. team (or nullptr): the per-type and per-point set-up (a^{1−σ},
// where each type settles, the marginal type's quadratures) through it (the same bits).
UnmovedGainScan scan_unmoved_gains(const Parameters& p, const std::vector<PathPoint>& path,
                                   const std::vector<double>& types,
                                   solvers::WorkerTeam* team = nullptr);

}  // namespace footloose
