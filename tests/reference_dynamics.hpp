// Independent numerical reference for the general dynamic model (docs/model.md Section 3): the
// temporary equilibrium (M5), the profit flows (M6), the right-hand side (M7), the steady-state
// curve and the autarky initial state.
//
// Written from the economic description, never from a closed form of models/: the market of a
// nation is the sum, over the groups of units producing somewhere (North-born, South-born moved,
// South-born unmoved), of the varieties each type sells there, each type deciding on its own
// whether selling covers the beachhead flow (a root-find per group and market, reference_model's
// `cutoff`); sums over types are tanh-sinh quadratures over dG = ρ a^{ρ−1} da on [0, 1]; demand
// levels and free entry are solved by TOMS 748. Only Parameters' primitive fields are read.
#pragma once

#include <array>
#include <cmath>

#include "reference_model.hpp"

namespace reference {

// Primitives the dynamics need on top of the static Economy.
struct DynamicEconomy : Economy {
  double discount;  // r + δ
  double FI;        // creation cost of a unit of capital
  double gamma_E, gamma_R;
  explicit DynamicEconomy(const footloose::Parameters& p)
      : Economy(p), discount(p.r + p.delta), FI(p.FI), gamma_E(p.gamma_E), gamma_R(p.gamma_R) {}
};

// The state/co-state vector in the order (M7) lists it: K, K*, w = aR^{ρ+σ−1}, W, S, P.
using Vector6 = std::array<double, 6>;
enum : int { kK = 0, kKStar = 1, kW = 2, kValueW = 3, kValueS = 4, kValueP = 5 };

// The relocation front from the state w ≡ aR^{ρ+σ−1} (types live on [0, 1], so aR ≤ 1).
inline double front_from_state(const Economy& e, double w) {
  return std::min(1.0, std::pow(std::max(w, 0.0), 1.0 / (e.rho + e.sigma - 1.0)));
}

enum class Nation { North, South };

// Units with a common birthplace and production site: `mass` units per unit of type density,
// over types [lower, upper], producing in `site`.
struct ProducerGroup {
  double mass, lower, upper;
  Nation site;
};

// docs/model.md Section 3: North-born units produce in the North; South-born units of type a < aR
// have moved and produce in the North; the other South-born units produce in the South.
inline std::array<ProducerGroup, 3> producer_groups(const State& s) {
  return {{{s.K, 0.0, 1.0, Nation::North},
           {s.K_star, 0.0, s.aR, Nation::North},
           {s.K_star, s.aR, 1.0, Nation::South}}};
}

// m̄ of `market` at demand level Z: Σ over sellers of (trade weight)·a^{1−σ}. A unit sells at home
// with weight 1 and exports with weight φ (iceberg cost); a type sells iff its revenue
// weight·a^{1−σ}·Z covers the flow beachhead cost f (the cut-off is found by root-finding).
inline double market_size(const Economy& e, const State& s, Nation market, double Z) {
  double m = 0.0;
  for (const ProducerGroup& g : producer_groups(s)) {
    if (!(g.mass > 0.0) || !(g.upper > g.lower)) continue;
    const double weight = g.site == market ? 1.0 : s.phi;
    const double top = std::min(g.upper, cutoff(e, weight * Z));  // (M1) selling decision
    m += g.mass * weight * revenue_integral(e, g.lower, top);
  }
  return m;
}

// Σ over types of a unit's flow profit net of the beachhead flow, max(0, a^{1−σ}Z − f)/σ, in a
// market where its revenue is a^{1−σ}Z: one quadrature of the per-type profit times the density
// ρa^{ρ−1} up to the root of the profit (beyond it the max is 0).
inline double expected_market_profit(const Economy& e, double Z) {
  const double top = cutoff(e, Z);
  if (!(top > 0.0)) return 0.0;
  static thread_local boost::math::quadrature::tanh_sinh<double> quad;
  const double theta = e.rho - (e.sigma - 1.0);
  // (a^{1−σ}Z/σ − (r+δ)F)·ρa^{ρ−1}, the powers combined so that tiny a cannot overflow
  const auto profit_density = [&](double t) {
    const double a = top * t;
    return e.rho *
           (Z / e.sigma * std::pow(a, theta - 1.0) - e.beachhead * std::pow(a, e.rho - 1.0));
  };
  return top * quad.integrate(profit_density, 0.0, 1.0, 1e-14);
}

struct Equilibrium {
  double B, B_star;                   // demand levels E/m̄
  double aD, aX, aD_star, aX_star;    // selling cut-offs (M1)
  double profit_north, profit_south;  // (M6) π̄N, π̄S
};

// (M5) temporary equilibrium: E = B·m̄(B) in each nation (Ew = 1); B·m̄(B) increases with B.
// Then (M6): π̄N for a unit in the North (sells at B locally, at φB* as an exporter), π̄S for one
// in the South (B* locally, φB exporting).
inline Equilibrium temporary_equilibrium(const Economy& e, const State& s) {
  const double guess = e.sigma * e.beachhead;
  Equilibrium q{};
  q.B = root_increasing(  // (M5) North market clearing
      [&](double B) { return B * market_size(e, s, Nation::North, B) - e.sE; }, guess);
  q.B_star = root_increasing(  // (M5) South market clearing
      [&](double Bs) { return Bs * market_size(e, s, Nation::South, Bs) - (1.0 - e.sE); }, guess);
  q.aD = cutoff(e, q.B), q.aX = cutoff(e, s.phi * q.B_star);
  q.aD_star = cutoff(e, q.B_star), q.aX_star = cutoff(e, s.phi * q.B);
  // (M6) π̄N = E_a[profit at home at B + profit exporting at φB*]
  q.profit_north = expected_market_profit(e, q.B) + expected_market_profit(e, s.phi * q.B_star);
  // (M6) π̄S = E_a[profit at home at B* + profit exporting at φB]
  q.profit_south = expected_market_profit(e, q.B_star) + expected_market_profit(e, s.phi * q.B);
  return q;
}

// Value of a new South-born unit: S plus, for the types a < aR set up in the North at birth,
// the PV of the relocation gain a^{1−σ}P/σ (quadrature of a^{1−σ} dG on [0, aR]).
inline double south_born_value(const Economy& e, double S, double P, double aR) {
  return S + revenue_integral(e, 0.0, aR) * P / e.sigma;  // W* = S + c aR^θ P/σ
}

struct RightHandSide {
  Vector6 dydt;
  Equilibrium eq;
  double aR, W_star;
};

// (M7) at freeness φ.
inline RightHandSide rhs(const DynamicEconomy& e, double phi, const Vector6& y) {
  RightHandSide out{};
  const double K = y[kK], K_star = y[kKStar], W = y[kValueW], S = y[kValueS], P = y[kValueP];
  out.aR = front_from_state(e, y[kW]);
  out.eq = temporary_equilibrium(e, State{K, K_star, out.aR, phi});
  out.W_star = south_born_value(e, S, P, out.aR);
  auto& d = out.dydt;
  d[kK] = K * (W / e.FI - 1.0) / e.gamma_E;                    // (M7) Tobin's q, growth-rate form
  d[kKStar] = K_star * (out.W_star / e.FI - 1.0) / e.gamma_E;  // (M7) dK*/dt
  // (M7) dw/dt: the marginal mover's gain aR^{1−σ}P/σ pays the congestion cost γR FI du/dt
  // (u = aR^ρ); w = u^{(ρ+σ−1)/ρ}, so dw/dt = (ρ+σ−1)/ρ · aR^{σ−1} du/dt.
  d[kW] = (e.rho + e.sigma - 1.0) / e.rho * P / (e.sigma * e.gamma_R * e.FI);
  d[kValueW] = e.discount * W - out.eq.profit_north;                       // (M7) dW/dt
  d[kValueS] = e.discount * S - out.eq.profit_south;                       // (M7) dS/dt
  d[kValueP] = e.discount * P - (1.0 - phi) * (out.eq.B - out.eq.B_star);  // (M7) dP/dt
  return out;
}

struct SteadyState {
  bool exists = false;  // both capital stocks positive
  Vector6 y{};
  double B = 0.0;  // = B*
};

// Steady state on the curve (M4) at front aR and freeness φ: W = S = FI and P = 0 make dW/dt = 0
// a free-entry condition π̄N(B, B*) = (r+δ)FI and dP/dt = 0 gives B = B* (then π̄S = π̄N). At
// given levels the market-clearing conditions are linear in (K, K*), with the market sizes of
// unit stocks as coefficients.
inline SteadyState steady_state(const DynamicEconomy& e, double aR, double phi) {
  SteadyState ss;
  ss.B = root_increasing(  // free entry at B = B*
      [&](double B) {
        return expected_market_profit(e, B) + expected_market_profit(e, phi * B) - e.creation;
      },
      e.sigma * e.beachhead);
  const State north_unit{1.0, 0.0, aR, phi}, south_unit{0.0, 1.0, aR, phi};
  // (M5) at B = B*: sE = B(a11 K + a12 K*), 1 − sE = B(a21 K + a22 K*)
  const double a11 = ss.B * market_size(e, north_unit, Nation::North, ss.B);
  const double a12 = ss.B * market_size(e, south_unit, Nation::North, ss.B);
  const double a21 = ss.B * market_size(e, north_unit, Nation::South, ss.B);
  const double a22 = ss.B * market_size(e, south_unit, Nation::South, ss.B);
  const double det = a11 * a22 - a12 * a21;
  ss.y[kK] = (e.sE * a22 - a12 * (1.0 - e.sE)) / det;
  ss.y[kKStar] = (a11 * (1.0 - e.sE) - a21 * e.sE) / det;
  ss.y[kW] = std::pow(aR, e.rho + e.sigma - 1.0);
  ss.y[kValueW] = ss.y[kValueS] = e.FI;
  ss.y[kValueP] = 0.0;
  ss.exists = ss.y[kK] > 0.0 && ss.y[kKStar] > 0.0 && std::isfinite(det);
  return ss;
}

// Autarky (φ = 0) initial state: each nation's capital from its own free entry and market
// clearing (reference_model's `autarky`, corners included); nothing has moved, W = S = FI, P = 0.
inline Vector6 autarky_state(const DynamicEconomy& e) {
  Vector6 y{};
  y[kK] = autarky(e, e.sE).K;
  y[kKStar] = autarky(e, 1.0 - e.sE).K;
  y[kW] = 0.0;
  y[kValueW] = y[kValueS] = e.FI;
  y[kValueP] = 0.0;
  return y;
}

}  // namespace reference
