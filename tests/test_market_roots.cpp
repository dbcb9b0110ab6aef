// The (M5) root-finds that accept a Newton step without evaluating after it (quadratic
// acceptance, solvers::newton_increasing with a curvature bound) against a long-double bisection
// of (M5) written here from the spec, at random states with cut-offs at and near the kinks,
// capped levels and aR at 0, near 0 and at 1, each from guesses at several distances; the
// generic acceptance against Brent on a function with known curvature; and aR^θ taken from the
// state w in one pow against the two pows through aR.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "models/dynamics.hpp"
#include "models/market.hpp"
#include "solvers/scalar_root.hpp"
#include "tests/random_parameters.hpp"

using namespace footloose;

namespace {

using Real = long double;

// (M1) κ(Z)^θ = min(1, Z/f)^{θ/(σ−1)}; (M2) ∫_L^U a^{1−σ} dG = c(U^θ − L^θ).
struct LongDoubleMarkets {
  Real sigma, theta, c, f;
  explicit LongDoubleMarkets(const Parameters& p)
      : sigma(p.sigma),
        theta(Real(p.rho) - (Real(p.sigma) - 1)),
        c(Real(p.rho) / theta),
        f(Real(p.sigma) * (Real(p.r) + p.delta) * p.F) {}
  Real cut_theta(Real Z) const { return std::pow(std::min(Real(1), Z / f), theta / (sigma - 1)); }
  // (M5) North: K aD^θ + K* min(aR,aD)^θ + φK*(max(aR,aX*)^θ − aR^θ), times c
  Real north(const MarketState& s, Real B) const {
    const Real A = std::pow(Real(s.aR), theta), d = cut_theta(B), x = cut_theta(s.phi * B);
    return c * (s.K * d + s.K_star * std::min(A, d) + s.phi * s.K_star * (std::max(A, x) - A));
  }
  // (M5) South: φK aX^θ + φK* min(aR,aX)^θ + K*(max(aR,aD*)^θ − aR^θ), times c
  Real south(const MarketState& s, Real Bs) const {
    const Real A = std::pow(Real(s.aR), theta), d = cut_theta(Bs), x = cut_theta(s.phi * Bs);
    return c *
           (s.phi * s.K * x + s.phi * s.K_star * std::min(A, x) + s.K_star * (std::max(A, d) - A));
  }
};

// B with B·size(B) = share, by bisection on log B in long double.
template <class Size>
Real bisected_level(Size&& size, Real share) {
  Real lo = 1, hi = 1;
  while (lo * size(lo) > share) lo *= 0.5;
  while (hi * size(hi) < share) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const Real mid = std::sqrt(lo * hi);
    (mid * size(mid) < share ? lo : hi) = mid;
  }
  return std::sqrt(lo * hi);
}

}  // namespace

TEST_CASE("(M5) levels with quadratic acceptance equal a long-double bisection to rounding",
          "[market]") {
  std::mt19937_64 rng(29);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double worst_level = 0.0, worst_power = 0.0, worst_vs_cold = 0.0;
  int near_kinks = 0, capped = 0, fewer_evaluations = 0;
  for (int k = 0; k < 400; ++k) {
    const Parameters p = footloose::testing::random_parameters(rng);
    const LongDoubleMarkets reference(p);
    MarketState s;
    s.K = (0.02 + 3.0 * u(rng)) / p.fI();
    s.K_star = k % 20 == 0 ? 0.0 : (0.02 + 3.0 * u(rng)) / p.fI();
    s.phi = 0.99 * u(rng);
    const int kind = k % 8;  // aR at 0, near 0, at 1, random, or at a cut-off of the cold root
    s.aR = kind == 0 ? 0.0 : kind == 1 ? 1e-6 * u(rng) : kind == 2 ? 1.0 : u(rng);
    if (kind >= 5) {  // put aR on (or within 1e-12.. 1e-8 of) aD, aX, aD* or aX* at the root
      const TemporaryEquilibrium eq = solve_temporary_equilibrium(p, s);
      const double cuts[] = {eq.aD, eq.aX, eq.aD_star, eq.aX_star};
      const double cut = cuts[k % 4];
      const double offset = kind == 5 ? 0.0 : (kind == 6 ? 1e-12 : -1e-8);
      s.aR = std::min(1.0, cut * (1.0 + offset));
      near_kinks += cut < 1.0;
    }
    const DemandLevels cold = solve_demand_levels(p, s);
    const Real B = bisected_level([&](Real b) { return reference.north(s, b); }, Real(p.sE));
    const Real Bs = bisected_level([&](Real b) { return reference.south(s, b); }, 1 - Real(p.sE));
    capped += B >= reference.f || Bs >= reference.f;
    for (double distance : {0.0, 1e-9, 1e-7, 1e-5, 1e-3, 0.3}) {
      DemandLevels guess;
      guess.B = cold.B * (1.0 + distance);
      guess.B_star = cold.B_star * (1.0 - distance);
      DemandLevelDerivatives at;
      const DemandLevels warm = solve_demand_levels(p, s, guess, at);
      const auto relative = [](Real a, Real b) { return double(std::fabs(a / b - 1)); };
      // the root tolerance is 1e-15 on log B (relative to max(1, |log B|))
      const double scale =
          std::max({1.0, std::fabs(std::log(warm.B)), std::fabs(std::log(warm.B_star))});
      worst_level =
          std::max({worst_level, relative(warm.B, B) / scale, relative(warm.B_star, Bs) / scale});
      worst_vs_cold = std::max({worst_vs_cold, relative(warm.B, cold.B) / scale,
                                relative(warm.B_star, cold.B_star) / scale});
      const Real b1 = reference.theta / (reference.sigma - 1);
      worst_power =
          std::max({worst_power, relative(at.level, std::pow(Real(warm.B) / reference.f, b1)),
                    relative(at.level_star, std::pow(Real(warm.B_star) / reference.f, b1))});
      fewer_evaluations += distance > 0.0 && distance < 0.3 && warm.root_iterations < 4;
    }
  }
  INFO("levels vs bisection " << worst_level << ", vs cold " << worst_vs_cold << ", powers "
                              << worst_power << "; near kinks " << near_kinks << ", capped "
                              << capped << ", warm finds in < 4 iterations " << fewer_evaluations);
  CHECK(near_kinks >= 100);
  CHECK(capped >= 10);
  CHECK(worst_level <= 3e-15);
  CHECK(worst_vs_cold <= 3e-15);
  CHECK(worst_power <= 1e-14);
}

TEST_CASE("Newton with a curvature bound: Brent's root, fewer evaluations", "[solvers]") {
  // g(u) = u + a sin(u) − c: g' = 1 + a cos u ≥ 1 − a, |g''| ≤ a
  int total_with_bound = 0, total_without = 0;
  for (double a : {0.1, 0.5, 0.9}) {
    for (double c : {-3.0, 0.2, 1.0, 7.5}) {
      int with_bound = 0, without = 0;
      const auto g_counting = [&](int& count) {
        return [&count, a, c](double u) {
          ++count;
          return std::make_pair(u + a * std::sin(u) - c, 1.0 + a * std::cos(u));
        };
      };
      solvers::ScalarRootOptions opt;
      opt.x_tolerance = 1e-15;
      const double start = c + 0.01;
      const auto bounded = solvers::newton_increasing(g_counting(with_bound), start, 1.0 - a, opt,
                                                      [a](double, double) { return a; });
      const auto plain = solvers::newton_increasing(g_counting(without), start, 1.0 - a, opt);
      const auto brent =
          solvers::brent([&](double u) { return u + a * std::sin(u) - c; }, c - 2.0, c + 2.0, opt);
      REQUIRE(bounded.converged);
      CHECK(std::fabs(bounded.root - brent.root) <= 4e-15 * std::max(1.0, std::fabs(c)));
      CHECK(std::fabs(bounded.root - plain.root) <= 4e-15 * std::max(1.0, std::fabs(c)));
      CHECK(with_bound <= without);
      total_with_bound += with_bound;
      total_without += without;
    }
  }
  CHECK(total_with_bound < total_without);
}

TEST_CASE("aR^theta from the state w in one pow equals the two pows through aR",
          "[dynamics][market]") {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double worst = 0.0;
  for (int k = 0; k < 300; ++k) {
    const Parameters p = footloose::testing::random_parameters(rng);
    const GeneralModel model(p, TradePath{});
    const double w = k % 10 == 0   ? 0.0
                     : k % 10 == 1 ? 1.0 + u(rng)  // aR capped at 1
                     : k % 10 == 2 ? 1e-12 * u(rng)
                                   : u(rng);
    const double two_pows = std::pow(model.threshold_from_state(w), p.theta());
    const double one_pow = model.threshold_power_from_state(w);
    if (two_pows == 0.0 || two_pows == 1.0) {
      CHECK(one_pow == two_pows);
    } else {
      worst = std::max(worst, std::fabs(one_pow / two_pows - 1.0));
    }
  }
  INFO("worst relative difference " << worst);
  CHECK(worst <= 1e-14);
}
