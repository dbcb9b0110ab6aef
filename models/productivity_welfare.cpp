#include "models/productivity_welfare.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/pareto.hpp"
#include "models/welfare_path.hpp"

namespace footloose {

namespace {
// a^θ and a^{θ+1} of the few type bounds of one temporary equilibrium (0, aR and the cut-offs,
// each bound used by up to four moments), each power taken once (a^{θ+1} as a^θ·a).
class BoundPowers {
 public:
  explicit BoundPowers(const Pareto& pareto) : pareto_(pareto) {}
  // The index of the bound a in the table (added if new).
  int of(double a) {
    for (int i = 0; i < size_; ++i)
      if (bound_[i] == a) return i;
    bound_[size_] = a;
    theta_[size_] = std::pow(a, pareto_.theta);
    theta1_[size_] = theta_[size_] * a;  // a^{θ+1}
    return size_++;
  }
  double theta_power(int i) const { return theta_[i]; }
  double theta1_power(int i) const { return theta1_[i]; }

 private:
  static constexpr int kBounds = 12;  // 6 moments × 2 bounds at most
  const Pareto& pareto_;
  std::array<double, kBounds> bound_{}, theta_{}, theta1_{};
  int size_ = 0;
};

// Units of measure `mass` with types in [L, U] selling in a market at `level` where a ≤ `cutoff`
// (revenue a^{1−σ}·level): accumulates ∫ a·revenue dG and ∫ revenue dG.
struct Weighted {
  double a_rev = 0.0, rev = 0.0;  // ∫ a·revenue dG, ∫ revenue dG
  void add(const Pareto& pareto, BoundPowers& powers, double mass, double L, double U, double level,
           double cutoff) {
    const double top = std::min(U, cutoff);
    double productivity = 0.0, revenue = 0.0;
    if (top > L) {
      const int lo = powers.of(L), hi = powers.of(top);
      productivity = pareto.productivity_moment_of_powers(powers.theta1_power(lo),
                                                          powers.theta1_power(hi));  // (M2)
      revenue = pareto.revenue_moment_of_powers(powers.theta_power(lo),
                                                powers.theta_power(hi));  // (M2)
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
  const double phi = s.phi;
  BoundPowers powers(pareto);
  Weighted north, south;
  // paper (10): North producers = North-born units (all types) + South-born a < aR.
  north.add(pareto, powers, s.K, 0.0, 1.0, eq.B, eq.aD);
  north.add(pareto, powers, s.K * phi, 0.0, 1.0, eq.B_star, eq.aX);
  north.add(pareto, powers, s.K_star, 0.0, s.aR, eq.B, eq.aD);
  north.add(pareto, powers, s.K_star * phi, 0.0, s.aR, eq.B_star, eq.aX);
  // paper (10): South producers = South-born a > aR.
  south.add(pareto, powers, s.K_star, s.aR, 1.0, eq.B_star, eq.aD_star);
  south.add(pareto, powers, s.K_star * phi, s.aR, 1.0, eq.B, eq.aX_star);
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
