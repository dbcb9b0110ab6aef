#include "models/optimal_timing_system.hpp"

#include <algorithm>
#include <cmath>

namespace footloose {

OptimalTimingSystem::OptimalTimingSystem(const Parameters& p, const TradePath& phi_path)
    : model_(p, phi_path) {}

double OptimalTimingSystem::threshold_from_moved_share(double u) const {
  return std::min(1.0, std::pow(std::max(u, 0.0), 1.0 / parameters().rho));
}

double OptimalTimingSystem::marginal_gain_weight(double u) const {
  if (u == 0.0) return 0.0;
  return std::pow(std::fabs(u), -1.0 / parameters().beta());  // aR^{1−σ} = u^{−1/β}
}

State OptimalTimingSystem::sequential_state(const double* y) const {
  State s{};
  s[kCapitalNorth] = y[kTimingCapitalNorth];
  s[kCapitalSouth] = y[kTimingCapitalSouth];
  s[kRelocationState] =
      model_.state_from_threshold(threshold_from_moved_share(y[kTimingMovedShare]));
  s[kValueNorth] = y[kTimingValueNorth];
  s[kValueSouth] = y[kTimingValueSouth];
  s[kRelocationValue] = y[kTimingRelocationValue];
  return s;
}

void OptimalTimingSystem::rhs_at_phi(double phi, const double* y, double* dydt) const {
  const Parameters& p = parameters();
  const State s = sequential_state(y);
  double f[kStateSize];
  model_.rhs_at_phi(phi, s.data(), f);  // (M7): the temporary equilibrium and the profit flows
  const double K_star = y[kTimingCapitalSouth], P = y[kTimingRelocationValue];
  const double q = y[kTimingCost], omega = y[kTimingOptionValue];
  const double rd = p.discount(), FI = p.FI;
  const double weight = marginal_gain_weight(y[kTimingMovedShare]);  // aR^{1−σ}
  // (1−φ)(B − B*): the forcing of (M7)'s dP/dt = (r+δ)P − (1−φ)(B − B*)
  const double demand_gap = rd * P - f[kRelocationValue];
  dydt[kTimingCapitalNorth] = f[kCapitalNorth];
  // (M7) dK*/dt = K*(W*/FI − 1)/γE with W* = S + c aR^θ P/σ + Ω (N2): (M7)'s row plus the Ω term
  dydt[kTimingCapitalSouth] = f[kCapitalSouth] + K_star * omega / (FI * p.gamma_E);
  dydt[kTimingMovedShare] = q / (p.sigma * p.gamma_R * FI);  // (N1) du/dt = q/(σγR FI)
  dydt[kTimingValueNorth] = f[kValueNorth];
  dydt[kTimingValueSouth] = f[kValueSouth];
  dydt[kTimingRelocationValue] = f[kRelocationValue];
  dydt[kTimingCost] = rd * q - weight * demand_gap;  // (N1) dq/dt = dq − aR^{1−σ}(1−φ)(B − B*)
  // (N2) dΩ/dt = dΩ − (aR^{1−σ}P − q) q/(σ²γR FI)
  dydt[kTimingOptionValue] =
      rd * omega - (weight * P - q) * q / (p.sigma * p.sigma * p.gamma_R * FI);
}

void OptimalTimingSystem::rhs(double t, const double* y, double* dydt) const {
  rhs_at_phi(model_.trade_path()(t), y, dydt);
}

void OptimalTimingSystem::jacobian_at_phi(double phi, const double* y, double* J) const {
  constexpr int n = kTimingStateSize;
  const Parameters& p = parameters();
  const State s = sequential_state(y);
  double f[kStateSize], J6[kStateSize * kStateSize];
  model_.rhs_at_phi(phi, s.data(), f);
  model_.jacobian_at_phi(phi, s.data(), J6);
  const double u = y[kTimingMovedShare], K_star = y[kTimingCapitalSouth];
  const double P = y[kTimingRelocationValue], q = y[kTimingCost], omega = y[kTimingOptionValue];
  const double rd = p.discount(), FI = p.FI, sg = p.sigma, gR = p.gamma_R, gE = p.gamma_E;
  // dw/du for w = u^{(ρ+σ−1)/ρ} (0 where the threshold is at 0 or capped at 1)
  const double e = model_.relocation_exponent() / p.rho;
  const double dw_du =
      (u > 0.0 && threshold_from_moved_share(u) < 1.0) ? e * std::pow(u, e - 1.0) : 0.0;
  const double weight = marginal_gain_weight(u);
  const double dweight_du = u == 0.0 ? 0.0 : -weight / (p.beta() * u);  // d u^{−1/β}/du, even
  std::fill(J, J + n * n, 0.0);
  const auto at = [J](int row, int col) -> double& { return J[row * n + col]; };
  // The (M7) rows K, K*, W, S, P (state indices coincide), column w → u by the chain rule.
  for (int row : {kCapitalNorth, kCapitalSouth, kValueNorth, kValueSouth, kRelocationValue}) {
    for (int col = 0; col < kStateSize; ++col) {
      at(row, col) = J6[row * kStateSize + col] * (col == kRelocationState ? dw_du : 1.0);
    }
  }
  // (N2) the Ω term of dK*/dt
  at(kTimingCapitalSouth, kTimingCapitalSouth) += omega / (FI * gE);
  at(kTimingCapitalSouth, kTimingOptionValue) = K_star / (FI * gE);
  at(kTimingMovedShare, kTimingCost) = 1.0 / (sg * gR * FI);  // (N1) du/dt
  // (N1) dq/dt = dq − aR^{1−σ}·G, G = (1−φ)(B − B*) = (r+δ)P − dP/dt of (M7)
  const double demand_gap = rd * P - f[kRelocationValue];
  for (int col = 0; col < n; ++col) {
    const double dgap =
        (col == kTimingRelocationValue ? rd : 0.0) - at(kTimingRelocationValue, col);
    at(kTimingCost, col) = -weight * dgap;
  }
  at(kTimingCost, kTimingMovedShare) -= dweight_du * demand_gap;
  at(kTimingCost, kTimingCost) += rd;
  // (N2) dΩ/dt = dΩ − (aR^{1−σ}P − q) q/(σ²γR FI)
  const double c2 = 1.0 / (sg * sg * gR * FI);
  at(kTimingOptionValue, kTimingMovedShare) = -dweight_du * P * q * c2;
  at(kTimingOptionValue, kTimingRelocationValue) = -weight * q * c2;
  at(kTimingOptionValue, kTimingCost) = -(weight * P - 2.0 * q) * c2;
  at(kTimingOptionValue, kTimingOptionValue) = rd;
}

void OptimalTimingSystem::jacobian(double t, const double* y, double* J) const {
  jacobian_at_phi(model_.trade_path()(t), y, J);
}

TimingPathPoint OptimalTimingSystem::outputs(double t, const double* y) const {
  const Parameters& p = parameters();
  const State s = sequential_state(y);
  TimingPathPoint o;
  o.front = model_.outputs(t, s.data());
  o.u = y[kTimingMovedShare];
  o.q = y[kTimingCost];
  o.omega = y[kTimingOptionValue];
  o.chi = o.q / p.sigma;  // χ = q/σ: the congestion cost each mover pays
  // Σ = v(aR,t) − χ = (aR^{1−σ}P − q)/σ (infinite at aR = 0: v(aR) = aR^{1−σ}P/σ)
  o.surplus = o.front.aR > 0.0 ? (std::pow(o.front.aR, 1.0 - p.sigma) * o.front.P - o.q) / p.sigma
                               : (o.front.P > 0.0 ? INFINITY : -o.q / p.sigma);
  o.front.W_star += o.omega;                                     // (N2) W* with Ω
  o.front.relocation_flow = o.q / (p.sigma * p.gamma_R * p.FI);  // (N1) du/dt
  double dydt[kTimingStateSize];
  rhs(t, y, dydt);
  o.front.entry_rate_star = dydt[kTimingCapitalSouth] / o.front.K_star;
  return o;
}

TimingState OptimalTimingSystem::steady_state(double aR, double phi) const {
  const State s = model_.steady_state(aR, phi);
  TimingState y{};
  y[kTimingCapitalNorth] = s[kCapitalNorth];
  y[kTimingCapitalSouth] = s[kCapitalSouth];
  y[kTimingMovedShare] = std::pow(aR, parameters().rho);
  y[kTimingValueNorth] = s[kValueNorth];
  y[kTimingValueSouth] = s[kValueSouth];
  y[kTimingRelocationValue] = s[kRelocationValue];
  y[kTimingCost] = 0.0;
  y[kTimingOptionValue] = 0.0;
  return y;
}

}  // namespace footloose
