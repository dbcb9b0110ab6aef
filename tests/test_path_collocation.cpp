// Issue 5(c): the transition path by a second, independent BVP method (Hermite–Simpson
// collocation with a sparse Newton solve) against multiple shooting on the baseline.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/transition.hpp"
#include "solvers/collocation.hpp"

using namespace footloose;

namespace {

// max |difference| in (W(0), S(0), P(0), aR∞) between collocation and shooting.
double collocation_vs_shooting(const Parameters& p) {
  const TradePath path{TradePathKind::Jump, p.phi0, p.phi1, 0.0};
  TransitionOptions o;
  const TransitionResult shot = solve_transition(p, path, {}, o);
  INFO(shot.brief_report() << " " << shot.message);
  REQUIRE(shot.converged);
  o.horizon = shot.horizon;
  const auto problem = make_path_problem(p, path, {}, o, shot.aR_inf);
  // Collocation mesh: geometric (ratio 1.1) from 1e-9 to 1, then h = 0.1 up to T.
  const std::vector<double> mesh =
      solvers::geometric_then_uniform_mesh(o.start_time, 1e-9, 1.0, 1.1, 0.1, o.horizon);
  solvers::ShootingGuess guess;
  guess.nodes = mesh;
  guess.states = solvers::evaluate_shooting_solution(problem->bvp, shot.shooting.solution, mesh,
                                                     solvers::ShootingOptions{});
  // A perturbed start, so the answer is collocation's own.
  guess.left_free = shot.shooting.solution.left_free;
  for (double& z : guess.left_free) z *= 1.001;
  guess.params = {shot.aR_inf * 0.99};
  const solvers::CollocationSummary c = solvers::solve_collocation(problem->bvp, guess, {});
  INFO(c.brief_report());
  REQUIRE(c.converged);
  double diff = std::fabs(c.solution.params[0] - shot.aR_inf);
  for (int k = 0; k < 3; ++k) {
    diff = std::max(diff, std::fabs(c.solution.left_free[k] - shot.shooting.solution.left_free[k]));
  }
  WARN("sigma " << p.sigma << ", rho " << p.rho << ", sE " << p.sE << ", phi1 " << p.phi1
                << ", gamma_R/gamma_E " << p.gamma_R / p.gamma_E << ": collocation ("
                << mesh.size() - 1 << " intervals) vs shooting, max |difference| in W0, S0, P0, aR_inf = "
                << diff);
  return diff;
}

}  // namespace

TEST_CASE("Collocation and multiple shooting agree on the baseline path", "[transition][collocation]") {
  CHECK(collocation_vs_shooting(Parameters{}) < 1e-7);
}

TEST_CASE("Collocation and multiple shooting agree on 10 parameter sets across the domain",
          "[transition][collocation]") {
  // sigma, rho, sE, F, FI, delta, r, phi0, phi1, gamma_E, gamma_R
  const std::vector<Parameters> sets{
      {3.0, 4.0, 0.60, 2.0, 1.0, 0.10, 0.00, 0.0, 0.30, 1.0, 1.0},
      {5.0, 8.0, 0.55, 2.0, 1.0, 0.10, 0.02, 0.0, 0.50, 1.0, 3.0},
      {4.0, 9.0, 0.60, 3.0, 1.0, 0.05, 0.03, 0.0, 0.40, 2.0, 1.0},
      {6.0, 7.5, 0.65, 1.0, 0.8, 0.15, 0.00, 0.0, 0.30, 1.0, 10.0},
      {2.5, 3.0, 0.70, 2.0, 1.0, 0.20, 0.05, 0.0, 0.20, 0.5, 0.5},
      {4.0, 4.5, 0.60, 1.5, 1.0, 0.10, 0.00, 0.0, 0.25, 1.0, 100.0},
      {8.0, 14.0, 0.60, 2.0, 1.0, 0.10, 0.01, 0.0, 0.40, 3.0, 1.0},
      {3.0, 8.0, 0.58, 4.0, 1.0, 0.08, 0.00, 0.0, 0.50, 1.0, 0.3},
      {4.0, 6.0, 0.75, 2.0, 1.0, 0.10, 0.00, 0.0, 0.20, 1.0, 1.0},
      {5.0, 10.0, 0.62, 2.5, 1.2, 0.12, 0.04, 0.0, 0.35, 5.0, 20.0}};
  for (const Parameters& p : sets) CHECK(collocation_vs_shooting(p) < 1e-7);
}
