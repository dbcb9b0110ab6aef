// Welfare (docs/model.md 2.6): the index ω = ln(m̄)/(σ−1) of a nation, and its gap to the long run
// integrated along a transition path. Used by productivity_welfare and experiments `paper`,
// `gradual`.
#pragma once

#include <vector>

#include "models/dynamics.hpp"

namespace footloose {

// docs/model.md 2.6: ω = ln(m̄)/(σ−1), m̄ = expenditure / demand level (North: sE/B; South:
// (1−sE)/B*).
double welfare_index(const Parameters& p, double expenditure, double demand_level);

// docs/model.md 2.6: ∫_0^T (ω(t) − ω∞) e^{−rt} dt along the path, ω∞ = ω(T) (the last point), by
// the trapezoid rule on the path's grid; omega is &PathPoint::omega (North) or
// &PathPoint::omega_star. NaN for a path of fewer than two points.
double welfare_gap_integral(const std::vector<PathPoint>& path, double PathPoint::*omega, double r);

}  // namespace footloose
