// Issue 5(c): the transition path by a second, independent BVP method (Hermite–Simpson
// collocation with a sparse Newton solve) against multiple shooting on the baseline.
#include <catch2/catch.hpp>
#include <cmath>

#include "models/transition.hpp"
#include "solvers/collocation.hpp"

using namespace footloose;

TEST_CASE("Collocation and multiple shooting agree on the baseline path", "[transition][collocation]") {
  Parameters p;
  const TradePath path{TradePathKind::Jump, p.phi0, p.phi1, 0.0};
  const TransitionOptions o;
  const TransitionResult shot = solve_transition(p, path, {}, o);
  REQUIRE(shot.converged);
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
  WARN("collocation (" << mesh.size() - 1 << " intervals) vs shooting: max |difference| in W0, S0, P0, aR_inf = "
                       << diff);
  CHECK(diff < 1e-7);
}
