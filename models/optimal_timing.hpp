// Variant (B) of docs/model.md Section 6: optimal (Nash) timing of relocation with a single
// front. Each unmoved type picks its moving date; the marginal mover's first-order condition
// gives the cost co-state q = σχ, and new South-born units of unmoved types hold an option
// value Ω. Eight ODEs: states K, K*, u = aR^ρ; co-states W, S, P, q, Ω (EXTENSION.md B3), solved
// by the global collocation engine with the asymptotic terminal condition.
#pragma once

#include <string>
#include <vector>

#include "models/dynamics.hpp"
#include "models/transition.hpp"
#include "solvers/bvp.hpp"

namespace footloose {

// Positions in the state vector of the eight-ODE system.
enum TimingIndex : int {
  kTimingCapitalNorth = 0,     // K
  kTimingCapitalSouth = 1,     // K*
  kTimingMovedShare = 2,       // u = aR^ρ
  kTimingValueNorth = 3,       // W
  kTimingValueSouth = 4,       // S
  kTimingRelocationValue = 5,  // P
  kTimingCost = 6,             // q = σχ (cost co-state)
  kTimingOptionValue = 7       // Ω
};
constexpr int kTimingStateSize = 8;

struct OptimalTimingOptions {
  double tolerance = 1e-9;  // collocation error-estimate target
  int collocation_intervals = 80;
  int max_intervals = 40000;
  double horizon = 60.0;
  bool extend_horizon = true;
  double max_terminal_deviation = 1e-4;
  double time_limit = 120.0;
  int v2_types = 200;  // type grid for NV2
};

// One instant of an optimal-timing path: the single-front outputs plus q, Ω and the surplus of
// the marginal mover Σ = v(aR,t) − χ = (aR^{1−σ}P − q)/σ.
struct TimingPathPoint {
  PathPoint front;  // K, K*, aR, W, S, P, W* (with Ω), B, B*, cut-offs, sn, sk, flows
  double u = 0, q = 0, omega = 0, chi = 0, surplus = 0;
};

// The validity checks of the Nash front (EXTENSION.md B1), flagged like V0–V2.
struct TimingValidity {
  ValidityCheck nv2;           // g(a,t) ≤ g(aR(t),t) for unmoved a > aR(t) (flow single crossing)
  ValidityCheck demand_order;  // B(t) ≥ B*(t) at every date (moved types never want back)
  ValidityCheck v1;            // aR(t) ≤ min(aX(s), aX*(s)), s ≥ t
  ValidityCheck surplus;       // Σ(t) ≥ 0
  bool all_ok() const { return nv2.ok && demand_order.ok && v1.ok && surplus.ok; }
  std::string report() const;
};

struct OptimalTimingResult {
  bool converged = false;
  // The collocation summary; its solution is in the BVP's coordinates (index kTimingMovedShare
  // holds z = aR^{σ−1} = u^{1/β}, see models/optimal_timing.cpp): read paths through
  // optimal_timing_path_at.
  solvers::BvpSummary bvp;
  PathErrorEstimate error_estimate;       // path, sn∞, aR∞, λR, W0, S0, P0 (q0, Ω0 below)
  double q0_error = 0, omega0_error = 0;  // absolute error estimates of q(0), Ω(0)
  std::vector<TimingPathPoint> path;
  double q0 = 0, omega0 = 0;  // q(0), Ω(0)
  double sn_inf = 0, sk_inf = 0, aR_inf = 0, sn_hft = 0, lambda_R = 0;
  double half_relocation_time = 0;  // first t with u(t) = u∞/2
  SaddleCheck saddle;               // 8×8 linearisation at the long-run point
  TimingValidity validity;
  double horizon = 0, terminal_deviation = 0;
  bool horizon_ok = true;
  double solve_seconds = 0;
  std::vector<std::string> warnings;
  std::string message;

  bool trustworthy() const {
    return converged && saddle.ok && validity.all_ok() && horizon_ok &&
           bvp.termination != solvers::BvpTermination::AccuracyNotReached;
  }
  std::string brief_report() const;
};

// The checks of TimingValidity on a solved path (increasing times, ending near the long run):
// NV2 on the type grid a = j/type_grid_size, B ≥ B*, V1 (as check_validity), Σ ≥ 0.
TimingValidity check_timing_validity(const Parameters& p, const std::vector<TimingPathPoint>& path,
                                     int type_grid_size);

// Throws ParameterError for invalid parameters (naming the field). Initial state: autarky
// (u(0) = 0) or an explicit/HFT steady state without relocation; numerical failure is reported
// in bvp.termination.
OptimalTimingResult solve_optimal_timing(const Parameters& p, const TradePath& phi_path,
                                         const InitialStateSpec& initial,
                                         const OptimalTimingOptions& options);

// The converged path of `result` (same p, phi_path, initial) at any times in [0, horizon]: the
// collocation cubic, not the output grid. Throws std::invalid_argument for an unconverged result
// or a time outside the mesh.
std::vector<TimingPathPoint> optimal_timing_path_at(const Parameters& p, const TradePath& phi_path,
                                                    const InitialStateSpec& initial,
                                                    const OptimalTimingResult& result,
                                                    const std::vector<double>& times);

}  // namespace footloose
