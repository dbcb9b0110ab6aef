// The general dynamic model (docs/model.md Section 3): profit flows (M6), the six ODEs (M7), path
// outputs and the steady-state curve.
#pragma once

#include <array>

#include "models/market.hpp"
#include "models/parameters.hpp"
#include "models/trade_path.hpp"

namespace footloose {

// Positions in the state/co-state vector y of (M7).
enum StateIndex : int {
  kCapitalNorth = 0,     // K
  kCapitalSouth = 1,     // K*
  kRelocationState = 2,  // w ≡ aR^{ρ+σ−1}
  kValueNorth = 3,       // W: value of a new North-born unit
  kValueSouth = 4,       // S: value of a new South-born unit that never moves
  kRelocationValue = 5   // P: PV of (1−φ)(B − B*)
};
constexpr int kStateSize = 6;
using State = std::array<double, kStateSize>;

// Everything reported along a path at one instant.
struct PathPoint {
  double t = 0, phi = 0;
  double K = 0, K_star = 0, w = 0, aR = 0, W = 0, S = 0, P = 0, W_star = 0;
  double sk = 0, sn = 0, nw = 0;
  double B = 0, B_star = 0, aD = 0, aX = 0, aD_star = 0, aX_star = 0;
  double relocation_flow = 0;                  // X/K* = du/dt, u = aR^ρ
  double entry_rate = 0, entry_rate_star = 0;  // dK/dt / K, dK*/dt / K*
  double a_bar = 0, a_bar_star = 0, omega = 0, omega_star = 0;
};

class GeneralModel {
 public:
  // Throws ParameterError unless γE > 0 and γR > 0 (the polar cases are static).
  GeneralModel(const Parameters& p, const TradePath& phi_path);

  const Parameters& parameters() const { return p_; }
  const TradePath& trade_path() const { return phi_path_; }

  double relocation_exponent() const { return p_.rho + p_.sigma - 1.0; }  // w = aR^{ρ+σ−1}
  double threshold_from_state(double w) const;                            // aR from w
  double threshold_power_from_state(double w) const;        // A = aR^θ from w, in one pow
  double state_from_threshold(double aR) const;             // w from aR
  BoundPowers threshold_powers_from_state(double w) const;  // aR, aR^θ, aR^ρ from w, in two pows

  MarketState market_state(double t, const double* y) const;
  // (M6) π̄N, π̄S: expected operating-profit flows per unit of capital.
  double north_profit_flow(double B, double B_star, double phi) const;
  double south_profit_flow(double B, double B_star, double phi) const;
  // W* = S + c aR^θ P/σ: value of a new South-born unit.
  double south_born_value(double S, double P, double aR) const;
  double south_born_value_of_power(double S, double P, double aR_theta) const;  // A = aR^θ given

  // (M7) the right-hand side dy/dt at time t.
  void rhs(double t, const double* y, double* dydt) const;
  // Autonomous version at a fixed φ (steady-state analysis).
  void rhs_at_phi(double phi, const double* y, double* dydt) const;

  // ∂(M7)/∂y, row-major (J[6i + j] = ∂f_i/∂y_j), analytic: implicit-function derivatives of
  // (M5) and the envelope ∂J(0,1;Z)/∂Z = c κ(Z)^θ of (M3). One-sided at cut-off kinks.
  void jacobian(double t, const double* y, double* J) const;
  void jacobian_at_phi(double phi, const double* y, double* J) const;
  // The same in two steps, for callers that evaluate both at one y or keep a guess: the (M5)
  // levels at y (root-finds started from *guess when given: same answer to the root tolerance),
  // then (M7) or its Jacobian from them (levels must be those of y).
  DemandLevels demand_levels(double t, const double* y, const DemandLevels* guess = nullptr) const;
  // The same, also the derivatives of log B, log B* at the levels (solve_demand_levels).
  DemandLevels demand_levels(double t, const double* y, const DemandLevels* guess,
                             DemandLevelDerivatives& derivatives) const;
  void rhs(double t, const double* y, const DemandLevels& levels, double* dydt) const;
  // The same with aR^θ and the level powers taken from the root-finds (at_levels: those of the
  // demand_levels call that gave levels at this y): no pow left but φ^{β−1} off φ1.
  void rhs(double t, const double* y, const DemandLevels& levels,
           const DemandLevelDerivatives& at_levels, double* dydt) const;
  void jacobian(double t, const double* y, const DemandLevels& levels, double* J) const;

  PathPoint outputs(double t, const double* y) const;
  // The same from the (M5) levels at (t, y) (levels must be those of y, e.g. kept by the
  // solver): no root-find.
  PathPoint outputs(double t, const double* y, const DemandLevels& levels) const;

  // Steady state on the curve (M4) at relocation threshold aR and freeness φ:
  // W = S = FI, P = 0, B = B* from free entry, K and K* from (M5) (linear in K, K*).
  State steady_state(double aR, double phi) const;

 private:
  DemandLevels demand_levels_at_phi(double phi, const double* y, double aR,
                                    const DemandLevels* guess) const;
  void rhs_from_levels(double phi, const double* y, double aR, const DemandLevels& eq,
                       double* dydt) const;
  struct LevelPowers;
  // (M7) from A = aR^θ and the levels with their powers.
  void rhs_from_powers(const double* y, double A, const LevelPowers& powers, double* dydt) const;
  // (M7) dK/dt, dK*/dt at y, given W* = south_born_value(S, P, aR).
  void capital_growth(const double* y, double W_star, double* growth) const;
  void jacobian_from_levels(double phi, const double* y, double aR, const DemandLevels& eq,
                            double* J) const;

  // The demand levels with their powers ℓ = (B/f)^{β−1}, ℓ* = (B*/f)^{β−1} and φ^{β−1}:
  // (φB/f)^{β−1} = φ^{β−1}ℓ, so (M6) needs two powers and φ^{β−1}.
  struct LevelPowers {
    double B, B_star, phi, level, level_star, phi_power;
  };
  LevelPowers level_powers(double B, double B_star, double phi) const;
  double north_profit_flow(const LevelPowers& l) const;
  double south_profit_flow(const LevelPowers& l) const;
  double phi_power(double phi) const;  // φ^{β−1} (kept for φ1, the φ of most of a path)

  Parameters p_;
  TradePath phi_path_;
  CutoffRoots phi1_roots_;  // φ1^{1/(σ−1)}, φ1^{β−1}: export cut-offs (M1), (M6)
  DemandLevelConstants level_constants_;  // of the (M5) root-finds
};

}  // namespace footloose
