#include "models/productivity_welfare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/pareto.hpp"
#include "models/welfare_path.hpp"

namespace footloose {

namespace {
// Units of measure `mass` with types in [L, U] selling in a market at `level` where a ≤ `cutoff`
// (revenue a^{1−σ}·level): accumulates ∫ a·revenue dG and ∫ revenue dG.
struct Weighted {
  double a_rev = 0.0, rev = 0.0;  // ∫ a·revenue dG, ∫ revenue dG
  void add(const Pareto& pareto, double mass, const BoundPowers& L, const BoundPowers& U,
           double level, const BoundPowers& cutoff) {
    const BoundPowers& top = cutoff.a < U.a ? cutoff : U;  // min(U, cutoff)
    double productivity = 0.0, revenue = 0.0;
    if (top.a > L.a) {
      productivity =
          pareto.productivity_moment_of_powers(L.theta * L.a, top.theta * top.a);  // (M2)
      revenue = pareto.revenue_moment_of_powers(L.theta, top.theta);               // (M2)
    }
    a_rev += mass * level * productivity;  // ∫ a^{2−σ} dG
    rev += mass * level * revenue;         // ∫ a^{1−σ} dG
  }
  double mean() const { return rev > 0.0 ? a_rev / rev : std::numeric_limits<double>::quiet_NaN(); }
};
}  // namespace

ProductivityWelfare productivity_welfare(const Parameters& p, const MarketState& s,
                                         const TemporaryEquilibrium& eq) {
  const Pareto pareto(p);
  return productivity_welfare(
      p, s, eq,
      {pareto.bound_powers(s.aR), pareto.bound_powers(eq.aD), pareto.bound_powers(eq.aX),
       pareto.bound_powers(eq.aD_star), pareto.bound_powers(eq.aX_star)});
}

ProductivityWelfare productivity_welfare(const Parameters& p, const MarketState& s,
                                         const TemporaryEquilibrium& eq,
                                         const EquilibriumBounds& b) {
  const Pareto pareto(p);
  const double phi = s.phi;
  const BoundPowers zero{0.0, 0.0, 0.0}, one{1.0, 1.0, 1.0};
  Weighted north, south;
  // paper (10): North producers = North-born units (all types) + South-born a < aR.
  north.add(pareto, s.K, zero, one, eq.B, b.aD);
  north.add(pareto, s.K * phi, zero, one, eq.B_star, b.aX);
  north.add(pareto, s.K_star, zero, b.aR, eq.B, b.aD);
  north.add(pareto, s.K_star * phi, zero, b.aR, eq.B_star, b.aX);
  // paper (10): South producers = South-born a > aR.
  south.add(pareto, s.K_star, b.aR, one, eq.B_star, b.aD_star);
  south.add(pareto, s.K_star * phi, b.aR, one, eq.B, b.aX_star);
  ProductivityWelfare w;
  w.a_bar = north.mean();
  w.a_bar_star = south.mean();
  w.omega = welfare_index(p, p.sE, eq.B);                  // docs/model.md 2.6: ω
  w.omega_star = welfare_index(p, 1.0 - p.sE, eq.B_star);  // docs/model.md 2.6: ω*
  return w;
}

ProductivityPair productivity_closed_form(const Parameters& p, RelocationPhase phase, double phi,
                                          double K, double K_star, double aD, double aX,
                                          double aR) {
  const bool xx = phase == RelocationPhase::XX;
  if (xx ? !(aR <= aX && aX <= aD) : !(aX < aR && aR <= aD)) {
    throw std::invalid_argument(xx ? "productivity closed form XX phase needs aR <= aX <= aD"
                                   : "productivity closed form DD phase needs aX < aR <= aD");
  }
  const double th = p.theta(), t = th / (th + 1.0);
  const auto P = [&](double a) { return std::pow(a, th + 1.0); };
  const auto Q = [&](double a) { return std::pow(a, th); };
  ProductivityPair r;
  if (xx) {
    r.a_bar = t * (K * (P(aD) + phi * P(aX)) + K_star * (1.0 + phi) * P(aR)) /
              (K * (Q(aD) + phi * Q(aX)) + K_star * (1.0 + phi) * Q(aR));  // paper (10), XX
    r.a_bar_star = t * (P(aD) - P(aR) + phi * (P(aX) - P(aR))) /
                   (Q(aD) - Q(aR) + phi * (Q(aX) - Q(aR)));  // paper (10), XX
  } else {
    r.a_bar = t * (K * (P(aD) + phi * P(aX)) + K_star * (P(aR) + phi * P(aX))) /
              (K * (Q(aD) + phi * Q(aX)) + K_star * (Q(aR) + phi * Q(aX)));  // paper (10), DD
    r.a_bar_star = t * (P(aD) - P(aR)) / (Q(aD) - Q(aR));  // paper (10), DD (MODEL 2.5)
  }
  return r;
}

}  // namespace footloose
