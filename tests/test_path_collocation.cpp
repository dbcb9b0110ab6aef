// The transition path by its two BVP methods, each from its own cold start: global collocation
// (KINSOL + sparse LU, stretched time, adaptive mesh) against multiple shooting (CVODES +
// KINSOL) on the baseline and on 10 parameter sets across the domain.
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>
#include <vector>

#include "models/transition.hpp"

using namespace footloose;

namespace {

struct Agreement {
  double difference = 0;      // max |Δ| in sn∞, aR∞, W(0), S(0), P(0)
  double error_estimate = 0;  // collocation's own estimate of the same numbers' error
};

Agreement collocation_vs_shooting(const Parameters& p) {
  const TradePath path{TradePathKind::Jump, p.phi0, p.phi1, 0.0};
  TransitionOptions o;
  o.check_v2 = false;
  o.method = PathMethod::Shooting;
  const TransitionResult shot = solve_transition(p, path, {}, o);
  INFO(shot.brief_report() << " " << shot.message);
  REQUIRE(shot.converged);
  REQUIRE(shot.bvp.method == solvers::BvpMethod::MultipleShooting);
  o.method = PathMethod::Collocation;
  const TransitionResult coll = solve_transition(p, path, {}, o);
  INFO(coll.brief_report() << " " << coll.message);
  REQUIRE(coll.converged);
  REQUIRE(coll.bvp.method == solvers::BvpMethod::Collocation);
  REQUIRE(coll.bvp.termination == solvers::BvpTermination::Converged);
  REQUIRE(coll.error_estimate.available);
  Agreement a;
  a.difference =
      std::max(std::fabs(coll.sn_inf - shot.sn_inf), std::fabs(coll.aR_inf - shot.aR_inf));
  for (int k : {kValueNorth, kValueSouth, kRelocationValue}) {
    a.difference = std::max(a.difference, std::fabs(coll.initial_state[k] - shot.initial_state[k]));
  }
  const PathErrorEstimate& e = coll.error_estimate;
  a.error_estimate = std::max({e.sn_inf, e.aR_inf, e.W0, e.S0, e.P0});
  std::cout << "[path collocation] sigma " << p.sigma << ", rho " << p.rho << ", sE " << p.sE
            << ", phi1 " << p.phi1 << ", gamma_R/gamma_E " << p.gamma_R / p.gamma_E
            << ": max |collocation - shooting| " << a.difference << " (collocation estimate "
            << a.error_estimate << ", " << coll.bvp.intervals << " intervals, "
            << coll.solve_seconds << " s; shooting " << shot.solve_seconds << " s)\n";
  return a;
}

}  // namespace

TEST_CASE("Collocation and multiple shooting agree on the baseline path",
          "[transition][collocation]") {
  const Agreement a = collocation_vs_shooting(Parameters{});
  CHECK(a.difference < 1e-8);
}

TEST_CASE("Collocation and multiple shooting agree on 10 parameter sets across the domain",
          "[transition][collocation]") {
  // sigma, rho, sE, F, FI, delta, r, phi0, phi1, gamma_E, gamma_R
  const std::vector<Parameters> sets{{3.0, 4.0, 0.60, 2.0, 1.0, 0.10, 0.00, 0.0, 0.30, 1.0, 1.0},
                                     {5.0, 8.0, 0.55, 2.0, 1.0, 0.10, 0.02, 0.0, 0.50, 1.0, 3.0},
                                     {4.0, 9.0, 0.60, 3.0, 1.0, 0.05, 0.03, 0.0, 0.40, 2.0, 1.0},
                                     {6.0, 7.5, 0.65, 1.0, 0.8, 0.15, 0.00, 0.0, 0.30, 1.0, 10.0},
                                     {2.5, 3.0, 0.70, 2.0, 1.0, 0.20, 0.05, 0.0, 0.20, 0.5, 0.5},
                                     {4.0, 4.5, 0.60, 1.5, 1.0, 0.10, 0.00, 0.0, 0.25, 1.0, 100.0},
                                     {8.0, 14.0, 0.60, 2.0, 1.0, 0.10, 0.01, 0.0, 0.40, 3.0, 1.0},
                                     {3.0, 8.0, 0.58, 4.0, 1.0, 0.08, 0.00, 0.0, 0.50, 1.0, 0.3},
                                     {4.0, 6.0, 0.75, 2.0, 1.0, 0.10, 0.00, 0.0, 0.20, 1.0, 1.0},
                                     {5.0, 10.0, 0.62, 2.5, 1.2, 0.12, 0.04, 0.0, 0.35, 5.0, 20.0}};
  for (const Parameters& p : sets) CHECK(collocation_vs_shooting(p).difference < 1e-8);
}
