// The eight ODEs of the optimal-timing (Nash) variant (EXTENSION.md B3): states K, K*, u = aR^ρ;
// co-states W, S, P, q, Ω. The temporary equilibrium, the profit flows and the (M7) rows come
// from GeneralModel; this adds the cost co-state q (N1) and the option value Ω (N2).
#pragma once

#include <array>

#include "models/dynamics.hpp"
#include "models/optimal_timing.hpp"

namespace footloose {

using TimingState = std::array<double, kTimingStateSize>;

class OptimalTimingSystem {
 public:
  // Throws ParameterError unless γE > 0 and γR > 0 (as GeneralModel).
  OptimalTimingSystem(const Parameters& p, const TradePath& phi_path);

  const GeneralModel& model() const { return model_; }
  const Parameters& parameters() const { return model_.parameters(); }

  // aR = max(u, 0)^{1/ρ} (capped at 1).
  double threshold_from_moved_share(double u) const;
  // aR^{1−σ} = u^{−1/β}: the weight of the marginal mover's gain. Even in u for u < 0 (Newton
  // iterates only); 0 at u = 0, where it is infinite: the start t = 0 only, where the stretched
  // time's t'(ξ) = 0 multiplies the right-hand side (the product tends to 0 there).
  double marginal_gain_weight(double u) const;
  // The (M7) vector (K, K*, w = aR^{ρ+σ−1}, W, S, P) of GeneralModel for y.
  State sequential_state(const double* y) const;

  // dy/dt at a fixed φ and along the trade path.
  void rhs_at_phi(double phi, const double* y, double* dydt) const;
  void rhs(double t, const double* y, double* dydt) const;
  // ∂(dy/dt)/∂y, row-major 8×8, from GeneralModel::jacobian_at_phi and the chain rule.
  void jacobian_at_phi(double phi, const double* y, double* J) const;
  void jacobian(double t, const double* y, double* J) const;

  // Outputs at one instant: GeneralModel's with W* of (N2), the flow du/dt of (N1), q, Ω, χ, Σ.
  TimingPathPoint outputs(double t, const double* y) const;

  // Steady state at the curve point aR (GeneralModel::steady_state, q = Ω = 0).
  TimingState steady_state(double aR, double phi) const;

 private:
  GeneralModel model_;
};

}  // namespace footloose
