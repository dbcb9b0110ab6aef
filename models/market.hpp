// Temporary equilibrium (M5): given capital stocks, the relocation front and φ, the demand
// levels B, B* and the four selection cut-offs.
#pragma once

#include "models/parameters.hpp"
#include "models/pareto.hpp"

namespace footloose {

// The predetermined variables of the temporary equilibrium.
struct MarketState {
  double K = 0.0;          // surviving capital created in the North
  double K_star = 0.0;     // surviving capital created in the South
  double aR = 0.0;         // relocation threshold: South-born types a < aR produce in the North
  double phi = 0.0;        // freeness of trade
  double phi_power = 0.0;  // φ^{β−1} when the caller has it (GeneralModel keeps φ1's), else 0
};

// The two unknowns of (M5).
struct DemandLevels {
  double B = 0.0, B_star = 0.0;  // demand levels E/m̄ in North and South
  int root_iterations = 0;       // Newton iterations, both markets
};

struct TemporaryEquilibrium {
  double B = 0.0, B_star = 0.0;  // demand levels E/m̄ in North and South
  double aD = 0.0;               // κ(B): North domestic cut-off
  double aX = 0.0;               // κ(φB*): export cut-off from the North to the South
  double aD_star = 0.0;          // κ(B*): South domestic cut-off
  double aX_star = 0.0;          // κ(φB): export cut-off from the South to the North
  int root_iterations = 0;       // Newton iterations, both markets
};

// (M5) North market: c[K aD^θ + K* min(aR,aD)^θ + φK*(max(aR,aX*)^θ − aR^θ)] at B = E/m̄.
double north_market_size(const Pareto& pareto, const MarketState& s, double B);
// (M5) South market: c[φK aX^θ + φK* min(aR,aX)^θ + K*(max(aR,aD*)^θ − aR^θ)] at B*.
double south_market_size(const Pareto& pareto, const MarketState& s, double B_star);

// The predetermined variables of (M5) as the powers the market sizes use: A = aR^θ and φ^{β−1}
// (for callers that have A without aR: a model's state w = aR^{ρ+σ−1} gives it in one pow).
struct MarketPowers {
  double K = 0.0, K_star = 0.0;
  double A = 0.0;          // aR^θ ∈ [0, 1]
  double phi = 0.0;        // freeness of trade
  double phi_power = 0.0;  // φ^{β−1}
};

// The constants of the (M5) root-finds that depend on the parameters only: taken once by a caller
// that solves (M5) at many states (e.g. a model) rather than at every solve.
struct DemandLevelConstants {
  explicit DemandLevelConstants(const Parameters& p);
  Pareto pareto;
  double beta_minus_one;                      // β − 1 = θ/(σ−1)
  double log_f;                               // log f
  double log_target_north, log_target_south;  // log(sE/c), log((1 − sE)/c)
};
MarketPowers market_powers(const Pareto& pareto, const MarketState& s);

// Solves both equations of (M5), each in its own unknown, by safeguarded Newton in log B.
// Throws std::runtime_error if a market has no variety at all (K = K* = 0).
DemandLevels solve_demand_levels(const Parameters& p, const MarketState& s);
// The same with the root-finds started from guess.B, guess.B_star (e.g. the levels at a nearby
// state; non-positive ones are ignored): the same answer to the root tolerance, in fewer steps.
DemandLevels solve_demand_levels(const Parameters& p, const MarketState& s,
                                 const DemandLevels& guess);
// The same with the four cut-offs (M1) at the solved levels.
TemporaryEquilibrium solve_temporary_equilibrium(const Parameters& p, const MarketState& s);
// The temporary equilibrium at levels already solved for s (e.g. kept by a caller): the four
// cut-offs (M1) at them.
TemporaryEquilibrium temporary_equilibrium(const Parameters& p, const MarketState& s,
                                           const DemandLevels& levels);

// Derivatives of log B and log B* with respect to the predetermined K, K* and A = aR^θ at a
// solved temporary equilibrium (implicit function theorem on (M5); one-sided at cut-off kinks).
struct DemandLevelDerivatives {
  double dlogB_dK = 0, dlogB_dK_star = 0, dlogB_dA = 0;
  double dlogBs_dK = 0, dlogBs_dK_star = 0, dlogBs_dA = 0;
  double A = 0;  // aR^θ at the state (∂/∂log A = A ∂/∂A)
  // (B/f)^{β−1}, (B*/f)^{β−1} at the levels, from the root-finds' last evaluations
  // (solve_demand_levels only): the powers (M6) needs, no extra pow.
  double level = 0, level_star = 0;
};
DemandLevelDerivatives demand_level_derivatives(const Parameters& p, const MarketState& s,
                                                const DemandLevels& eq);
// solve_demand_levels (with a guess), also giving the derivatives (as demand_level_derivatives)
// at the levels, from the root-finds' last evaluations: no extra transcendental function.
DemandLevels solve_demand_levels(const Parameters& p, const MarketState& s,
                                 const DemandLevels& guess, DemandLevelDerivatives& derivatives);
// The same from the constants and the powers (guess as above; no guess: B, B* ≤ 0).
DemandLevels solve_demand_levels(const DemandLevelConstants& constants, const MarketPowers& s,
                                 const DemandLevels& guess, DemandLevelDerivatives& derivatives);

}  // namespace footloose
