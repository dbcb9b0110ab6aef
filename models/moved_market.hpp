// Temporary equilibrium with a general moved set (EXTENSION.md A3, (M5g)) and the generalised
// steady-state curve (M4g) (A5). With μ = 1[a < aR] both reduce to (M5) and (M4).
#pragma once

#include "models/market.hpp"
#include "models/parameters.hpp"
#include "models/type_grid.hpp"

namespace footloose {

// (M5g) North: B [c K aD^θ + K* R(aD) + φK*(c aX*^θ − R(aX*))], aD = κ(B), aX* = κ(φB).
double moved_north_market_size(const Pareto& pareto, double K, double K_star, double phi,
                               const MovedMoment& moved, double B);
// (M5g) South: B* [φ c K aX^θ + φK* R(aX) + K*(c aD*^θ − R(aD*))], aX = κ(φB*), aD* = κ(B*).
double moved_south_market_size(const Pareto& pareto, double K, double K_star, double phi,
                               const MovedMoment& moved, double B_star);

// Solves both lines of (M5g), each monotone in its own unknown, by safeguarded Newton in log B
// from the guesses (≤ 0: f). Throws std::runtime_error if a market has no variety.
DemandLevels solve_moved_demand_levels(const Parameters& p, double K, double K_star, double phi,
                                       const MovedMoment& moved, double B_guess = 0.0,
                                       double B_star_guess = 0.0);

// (M4g) left minus right side, (1 − sk)[R(aD) − φR(aX)] − c[(sE − sk)aD^θ + (sk + sE − 1)φ aX^θ],
// over c aD^θ.
double moved_steady_state_residual(const Parameters& p, const MovedMoment& moved, double sk,
                                   double aD, double aX, double phi);

}  // namespace footloose
