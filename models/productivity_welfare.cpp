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
  void add(const Pareto& pareto, double mass, double L, double U, double level, double cutoff) {
    const double top = std::min(U, cutoff);
    a_rev += mass * level * pareto.productivity_moment(L, top);  // (M2) ∫ a^{2−σ} dG
    rev += mass * level * pareto.revenue_moment(L, top);         // (M2) ∫ a^{1−σ} dG
  }
  double mean() const { return rev > 0.0 ? a_rev / rev : std::numeric_limits<double>::quiet_NaN(); }
};
}  // namespace

ProductivityWelfare productivity_welfare(const Parameters& p, const MarketState& s,
                                         const TemporaryEquilibrium& eq) {
  const Pareto pareto(p);
  const double phi = s.phi;
  Weighted north, south;
  // paper (10): North producers = North-born units (all types) + South-born a < aR.
  north.add(pareto, s.K, 0.0, 1.0, eq.B, eq.aD);
  north.add(pareto, s.K * phi, 0.0, 1.0, eq.B_star, eq.aX);
  north.add(pareto, s.K_star, 0.0, s.aR, eq.B, eq.aD);
  north.add(pareto, s.K_star * phi, 0.0, s.aR, eq.B_star, eq.aX);
  // paper (10): South producers = South-born a > aR.
  south.add(pareto, s.K_star, s.aR, 1.0, eq.B_star, eq.aD_star);
  south.add(pareto, s.K_star * phi, s.aR, 1.0, eq.B, eq.aX_star);
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
