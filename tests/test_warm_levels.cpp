// The (M5) levels a collocation answer keeps at its mesh points (TransitionResult::mesh_levels):
// a warm start on that mesh seeded with them reaches the answer of the same warm start without
// them, and the outputs read at the nodes equal cold root-finds of (M5) at the reported states.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "models/dynamics.hpp"
#include "models/transition.hpp"
#include "tests/path_test_helpers.hpp"

using namespace footloose;

TEST_CASE("Warm levels: seeded root-finds give the unseeded answer", "[transition][warm]") {
  const TradePath path;  // the baseline jump 0 -> 0.4
  const InitialStateSpec autarky;
  const TransitionOptions o;
  const TransitionResult from = footloose::testing::baseline_neighbour();
  REQUIRE(from.converged);
  REQUIRE(from.mesh_levels != nullptr);
  // Every mesh point but t = 0 (where t'(ξ) = 0 and the rhs is not evaluated).
  CHECK(from.mesh_levels->times.size() == 2 * static_cast<size_t>(from.bvp.intervals));
  TransitionResult unseeded_from = from;
  unseeded_from.mesh_levels.reset();

  const Parameters p;  // sE = 0.6
  const TransitionResult seeded = solve_transition(p, path, autarky, o, &from);
  const TransitionResult unseeded = solve_transition(p, path, autarky, o, &unseeded_from);
  REQUIRE(seeded.converged);
  REQUIRE(unseeded.converged);
  CHECK(seeded.bvp.chord_iterations > 0);
  CHECK(std::fabs(seeded.sn_inf - unseeded.sn_inf) <= 1e-12);
  CHECK(std::fabs(seeded.aR_inf - unseeded.aR_inf) <= 1e-12 * unseeded.aR_inf);
  for (int k : {kValueNorth, kValueSouth, kRelocationValue})
    CHECK(std::fabs(seeded.initial_state[k] - unseeded.initial_state[k]) <=
          1e-12 * std::fabs(unseeded.initial_state[k]) + 1e-15);
  REQUIRE(seeded.path.size() == unseeded.path.size());
  double worst = 0.0;
  for (size_t k = 0; k < seeded.path.size(); ++k)
    worst = std::max(worst, std::fabs(seeded.path[k].B / unseeded.path[k].B - 1.0));
  // Both stop at a scaled residual below 1e-12 (the Newton floor): their iterates differ by that
  // noise (1.3e-12 relative in B when this was written), not by the seed.
  INFO("largest relative difference in B: " << worst);
  CHECK(worst <= 1e-11);

  SECTION("outputs at the nodes equal cold root-finds of (M5)") {
    const GeneralModel model(p, path);
    double B_error = 0.0, B_star_error = 0.0;
    for (const PathPoint& q : seeded.path) {
      if (q.t == 0.0) continue;  // aR = 0: the same root-find, nothing cached
      const State y{q.K, q.K_star, q.w, q.W, q.S, q.P};
      const DemandLevels cold = model.demand_levels(q.t, y.data());
      B_error = std::max(B_error, std::fabs(q.B / cold.B - 1.0));
      B_star_error = std::max(B_star_error, std::fabs(q.B_star / cold.B_star - 1.0));
    }
    CHECK(B_error <= 1e-12);
    CHECK(B_star_error <= 1e-12);
  }

  SECTION("release_solver_cache drops them with the matrix") {
    TransitionResult stored = seeded;
    REQUIRE(stored.mesh_levels != nullptr);
    stored.release_solver_cache();
    CHECK(stored.mesh_levels == nullptr);
    CHECK(stored.bvp.factorisation == nullptr);
  }
}
