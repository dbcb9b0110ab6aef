// The (M7) right-hand side from the powers the (M5) root-finds leave behind (aR^θ and the level
// powers (B/f)^{β−1}, (B*/f)^{β−1}: GeneralModel::rhs with DemandLevelDerivatives) against the
// same right-hand side with every power recomputed from the levels, on random states that put
// the cut-offs on both sides of the kinks (aD < aR and aD > aR, capped levels); and the (M5)
// levels with φ^{β−1} given (MarketState::phi_power) against those with it computed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "models/dynamics.hpp"
#include "tests/random_parameters.hpp"

using namespace footloose;

TEST_CASE("Powers from the (M5) root-finds equal those recomputed", "[dynamics][market]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double worst_power = 0.0, worst_rhs = 0.0;
  for (int k = 0; k < 300; ++k) {
    const Parameters p = footloose::testing::random_parameters(rng);
    const double phi0 = 0.05 + 0.6 * u(rng), phi1 = 0.05 + 0.6 * u(rng);
    const GeneralModel model(p, {TradePathKind::Linear, phi0, phi1, 1.0});
    State y{};
    y[kCapitalNorth] = (0.05 + 2.0 * u(rng)) / p.fI();
    y[kCapitalSouth] = (0.05 + 2.0 * u(rng)) / p.fI();
    y[kRelocationState] = model.state_from_threshold(0.02 + 0.98 * u(rng));
    y[kValueNorth] = p.FI * (0.8 + 0.4 * u(rng));
    y[kValueSouth] = p.FI * (0.8 + 0.4 * u(rng));
    y[kRelocationValue] = p.FI * 0.1 * (u(rng) - 0.5);
    const double t = 2.0 * u(rng);  // on the ramp (φ off φ1) and after it
    DemandLevelDerivatives at_levels;
    const DemandLevels levels = model.demand_levels(t, y.data(), nullptr, at_levels);
    const double aR = model.threshold_from_state(y[kRelocationState]);
    const auto relative = [](double a, double b) { return std::fabs(a / b - 1.0); };
    // A = w^{θ/(ρ+σ−1)} in one pow: aR^θ to rounding
    CHECK(relative(at_levels.A, std::pow(aR, p.theta())) <= 1e-14);
    worst_power =
        std::max({worst_power, relative(at_levels.level, std::pow(levels.B / p.f(), p.beta() - 1)),
                  relative(at_levels.level_star, std::pow(levels.B_star / p.f(), p.beta() - 1))});
    double from_roots[kStateSize], recomputed[kStateSize];
    model.rhs(t, y.data(), levels, at_levels, from_roots);
    model.rhs(t, y.data(), levels, recomputed);
    for (int i = 0; i < kStateSize; ++i) {
      const double scale = std::max(std::fabs(recomputed[i]), 1e-300);
      worst_rhs = std::max(worst_rhs, std::fabs(from_roots[i] - recomputed[i]) / scale);
    }
  }
  INFO("level powers " << worst_power << ", rhs " << worst_rhs);
  // The root-finds stop within 1e-15 (relative) of log B: the powers agree to rounding.
  CHECK(worst_power <= 1e-13);
  CHECK(worst_rhs <= 1e-12);
}

TEST_CASE("A given phi power gives the levels of the computed one", "[market]") {
  Parameters p;
  for (double phi : {0.05, 0.4, 0.9}) {
    for (double aR : {0.1, 0.6, 1.0}) {
      const MarketState computed{0.6 / p.fI(), 0.5 / p.fI(), aR, phi};
      MarketState given = computed;
      given.phi_power = std::pow(phi, p.beta() - 1.0);
      const DemandLevels a = solve_demand_levels(p, computed), b = solve_demand_levels(p, given);
      CHECK(std::fabs(a.B / b.B - 1.0) <= 1e-14);
      CHECK(std::fabs(a.B_star / b.B_star - 1.0) <= 1e-14);
    }
  }
}
