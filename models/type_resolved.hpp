// Variant (A) of docs/model.md Section 6: type-resolved sequential relocation. The moved set is
// any set of South-born types, discretised into `type_cells` cells with a moved share m_i each;
// every mover pays the common congestion cost χ = γR FI dU/dt; movers are chosen by
// water-filling on the cell-average PV gains v_i. Solved as a fixed point on the aggregate path
// Z = (B, B*) (Anderson acceleration): backward sweep for the co-states, forward sweep (implicit
// Euler) for the states, generalised market conditions (M5g) for the new Z.
#pragma once

#include <string>
#include <vector>

#include "models/parameters.hpp"
#include "models/trade_path.hpp"
#include "models/type_grid.hpp"  // TypeInterval
#include "solvers/anderson.hpp"

namespace footloose {

// The first guess of the aggregate path Z = (B, B*) of the fixed point.
enum class TypeResolvedGuess {
  Auto,  // of NoMoves and a trustworthy SingleFront (capital not frozen) the smaller residual
  SingleFront,  // B(t), B*(t) of the single-front (M7) path (solve_transition), interpolated,
                // also when that path is flagged (NoMoves if it did not converge)
  NoMoves       // (M5g) at each node with the initial moved set and capital
};
const char* to_string(TypeResolvedGuess g);

struct TypeResolvedOptions {
  int type_cells = 100;  // M: cells uniform in a on [0, 1]
  double horizon = 60.0;
  // Solve again on a doubled horizon (at most this many times) while the end state is off the
  // steady states (M4g): slow relocation or entry has not settled at T.
  int max_horizon_doublings = 2;  // T (truncation: v_i(T) = g_i/d, W(T) = π̄N/d, S(T) = π̄S/d)
  double first_step = 1e-9;       // t_1: the time mesh is geometric (h ∝ t) from here ...
  double max_step = 0.05;         // ... capped at this h_max
  double growth = 1.05;           // ratio of consecutive steps in the geometric part
  double tolerance = 1e-10;       // stop at ‖Φ(Z) − Z‖∞ below this (relative to B scale)
  int max_sweeps = 3000;          // fixed-point sweeps
  int anderson_memory = 6;
  double mixing = 0.5;
  // The safeguard halves the mixing down to this (FixedPointOptions::min_mixing). Small shocks
  // need ~1e-3: Φ expands the long-run level of B − B* (every gain is ∝ B − B* there) by ~1e4.
  double min_mixing = 1e-3;
  // Anderson safeguard (FixedPointOptions::restart_growth): Φ is only piecewise smooth (the
  // active set changes), so residual spikes of 10× are routine; restart only beyond this.
  double restart_growth = 100.0;
  bool keep_rejected_step = true;  // FixedPointOptions::keep_rejected_step
  int max_futile_restarts = 5;     // FixedPointOptions::max_futile_restarts
  int backtracking_steps = 8;      // FixedPointOptions::backtracking_steps
  // Water-filling ramp (models/water_filling.hpp): width ε = smoothing·h·max_i v_i per step, so
  // ε → 0 with h. 0 = the exact step rule of A4, whose split of a step's flow between two cells
  // of nearly equal gain jumps, leaving Φ discontinuous by O(flow·h).
  double smoothing = 1.0;
  double time_limit = 120.0;    // seconds, 0 = none
  bool freeze_capital = false;  // K, K* held at their initial values (the γE → ∞ limit)
  int output_points = 400;      // path points reported (subset of the time mesh)
  // First guess of Z. Where V2 holds the single front is the answer up to the O(1/M) and
  // time-step errors, so the iteration starts next to the fixed point; from the no-move guess
  // Anderson diverges for small shocks (φ1 ≤ 0.3 at γR = 1; docs/variant_type_resolved.md).
  TypeResolvedGuess initial_guess = TypeResolvedGuess::Auto;
  // Validity (A7): (M4g) and |Kw − 1/(βfI)|βfI at the horizon below this; V0' and the
  // complementarity residual relative to their scales (see TypeResolvedValidity).
  double steady_state_tolerance = 1e-5;
  double gain_tolerance = 1e-7;
};

struct TypeResolvedPoint {
  double t = 0, phi = 0;
  double K = 0, K_star = 0;
  double B = 0, B_star = 0;
  double U = 0;    // moved share of South-born capital ∫ μ dG
  double chi = 0;  // congestion cost per unit moved, γR FI dU/dt
  double W = 0, S = 0, W_star = 0;
  double sk = 0, sn = 0;
  double aD = 0, aX = 0, aD_star = 0, aX_star = 0;
  std::vector<TypeInterval> moved_set;
};

// The validity checks that remain (EXTENSION.md A7), flagged like V0–V2.
struct TypeResolvedValidity {
  double min_moved_gain = 0;  // V0': min v over moved types (and North-born active)
  // The same in MODEL.md's P units: min σ v_i / z̄_i, z̄_i = C_i/w_i the cell mean of a^{1−σ}
  // (v = a^{1−σ}P/σ under V1), at the node and cell where it occurs.
  double min_scaled_moved_gain = 0, min_gain_time = 0, min_gain_type = 0;
  bool v0_prime_ok = true;  // min_scaled_moved_gain ≥ −gain_tolerance·B scale/d
  // Newborn rule: South-born units born (∫ births dt) on unmoved types with v > gain_tolerance·FI.
  double newborn_unmoved_gain_mass = 0;
  double complementarity_residual = 0;  // max over nodes and unmoved cells of (v_i − χ)^+
  // The same beyond the ramp width ε_n of the step (TypeResolvedOptions::smoothing): the residual
  // of the complementarity actually solved; ok when below gain_tolerance·FI.
  double complementarity_excess = 0;
  bool complementarity_ok = true;
  double steady_state_residual = 0;  // (M4g) at the end, and |Kw − 1/(βfI)|
  bool steady_state_ok = true;
  bool all_ok() const { return v0_prime_ok && complementarity_ok && steady_state_ok; }
  std::string report() const;
};

struct TypeResolvedResult {
  solvers::FixedPointSummary fixed_point;  // termination enum, sweeps, residual, seconds
  bool converged = false;
  // The first guess used (never Auto) and why (e.g. the single front failed or was flagged).
  TypeResolvedGuess initial_guess = TypeResolvedGuess::NoMoves;
  std::string initial_guess_note;
  std::vector<TypeResolvedPoint> path;
  std::vector<double> cell_edges;                 // a_0 = 0 < ... < a_M = 1
  std::vector<double> share_times;                // times of the rows of `moved_shares`
  std::vector<std::vector<double>> moved_shares;  // m_i(t), one row per share time
  // Long run (at the horizon).
  double U_inf = 0, sn_inf = 0, sk_inf = 0, lambda_R = 0, sn_hft = 0;
  std::vector<TypeInterval> moved_set_inf;
  TypeResolvedValidity validity;
  double horizon = 0;
  std::vector<std::string> warnings;
  std::string message;

  bool trustworthy() const { return converged && fixed_point.is_usable() && validity.all_ok(); }
  std::string brief_report() const;
};

// Throws ParameterError for invalid parameters or options (naming the field); numerical failure
// is reported in fixed_point.termination. Initial states: autarky (no moved types) or the
// steady state at φ0 with the single front of that equilibrium.
TypeResolvedResult solve_type_resolved(const Parameters& p, const TradePath& phi_path,
                                       const InitialStateSpec& initial,
                                       const TypeResolvedOptions& options);

}  // namespace footloose
