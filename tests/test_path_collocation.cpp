// The transition path by its two BVP methods, each from its own cold start: global collocation
// (KINSOL + sparse LU, stretched time, adaptive mesh) against multiple shooting (CVODES +
// KINSOL) on the baseline and on 10 parameter sets across the domain.
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>
#include <limits>
#include <vector>

#include "models/transition.hpp"
#include "solvers/collocation.hpp"

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
  // Agreement, not speed: no time limit (the 10 sets take ~60 s optimised; under
  // AddressSanitizer one set's shooting reached the default 120 s).
  o.time_limit = 0.0;
  const TransitionResult shot = solve_transition(p, path, {}, o);
  o.time_limit = TransitionOptions{}.time_limit;
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

TEST_CASE("The path's error estimate bounds its distance to a 4x finer collocation solve",
          "[transition][collocation][accuracy]") {
  // Baseline and a small shock (phi1 = 0.05: aR_inf ~ 0.1, relocation eigenvalue ~ -300).
  for (double phi1 : {0.4, 0.05}) {
    Parameters p;
    p.phi1 = phi1;
    const TradePath path{TradePathKind::Jump, p.phi0, p.phi1, 0.0};
    TransitionOptions o;
    o.check_v2 = false;
    o.tolerance = 1e-7;  // a coarse answer, so that its error is far above rounding
    const TransitionResult r = solve_transition(p, path, {}, o);
    INFO(r.brief_report() << " " << r.message);
    REQUIRE(r.converged);
    REQUIRE(r.bvp.method == solvers::BvpMethod::Collocation);
    REQUIRE(r.error_estimate.available);
    // The same discretisation on the mesh halved twice, from the answer's cubic, no adaptation.
    TransitionOptions problem_options = o;
    problem_options.start_time = 0.0;
    problem_options.horizon = r.horizon;
    const auto pb = make_path_problem(p, path, {}, problem_options, r.aR_inf);
    const auto& sol = r.bvp.solution;
    const std::vector<double> finer =
        solvers::halve_mesh(solvers::halve_mesh(sol.nodes, sol.time_stretch), sol.time_stretch);
    solvers::CollocationOptions fixed;
    fixed.adapt_mesh = false;
    fixed.estimate_error = false;
    fixed.newton_tolerance = 1e-13;
    const solvers::BvpSummary fine = solvers::solve_collocation(
        pb->bvp, solvers::remesh_collocation_solution(pb->bvp, sol, finer), fixed);
    INFO(fine.brief_report() << " " << fine.message);
    REQUIRE(fine.is_usable());
    const double aR_fine = std::exp(fine.solution.params[0]);
    const double d_aR = std::fabs(r.aR_inf - aR_fine);
    double d_z = 0.0, e_z = 0.0;
    const double estimates[3] = {r.error_estimate.W0, r.error_estimate.S0, r.error_estimate.P0};
    for (int k = 0; k < 3; ++k) {
      // (an estimate below the rounding of z, e.g. 0, counts as that rounding: 2 ulp)
      const double rounding = 2.0 * std::numeric_limits<double>::epsilon() *
                              std::max(std::fabs(sol.left_free[k]), 1e-300);
      d_z = std::max(d_z, std::fabs(sol.left_free[k] - fine.solution.left_free[k]) /
                              std::max(estimates[k], rounding));
      e_z = std::max(e_z, estimates[k]);
    }
    std::cout << "[path collocation] phi1 " << phi1 << ", tolerance 1e-7: " << r.bvp.intervals
              << " intervals; |aR_inf - 4x finer| " << d_aR << " vs estimate "
              << r.error_estimate.aR_inf << "; worst |z - 4x finer|/estimate " << d_z
              << " (largest z estimate " << e_z << ")\n";
    // The estimate is Richardson's (order 4): the true error is ~15/16 of it; allow 1.5x.
    CHECK(d_aR <= 1.5 * r.error_estimate.aR_inf + 1e-14);
    CHECK(d_z <= 1.5);
    CHECK(r.error_estimate.path <= o.tolerance);
  }
}
