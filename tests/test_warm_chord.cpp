// Reuse of a factorised Newton matrix (BvpSummary::factorisation): chord steps of a warm start
// on the neighbour's mesh reach the answer of an exact-Newton solve of the same discretisation;
// a matrix too far away or of another mesh is not used (exact Newton); the transition path's
// warm start uses it and agrees with a tight cold solve; sweeps do not keep it per point.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "models/transition.hpp"
#include "solvers/collocation.hpp"
#include "src/sweep.hpp"
#include "tests/bratu_problem.hpp"
#include "tests/path_test_helpers.hpp"

using namespace footloose;
using namespace footloose::solvers;

namespace {

using footloose::testing::bratu;  // tests/bratu_problem.hpp

MeshSolution zero_guess(int intervals) {
  MeshSolution g;
  g.nodes = stretched_uniform_mesh(0.0, 1.0, 1.0, intervals);
  g.states.assign(g.nodes.size() * 2, 0.0);
  g.left_free = {0.0};
  return g;
}

double largest_difference(const MeshSolution& a, const MeshSolution& b) {
  double d = std::fabs(a.left_free[0] - b.left_free[0]);
  for (size_t k = 0; k < a.states.size(); ++k)
    d = std::max(d, std::fabs(a.states[k] - b.states[k]));
  for (size_t k = 0; k < a.midpoints.size(); ++k)
    d = std::max(d, std::fabs(a.midpoints[k] - b.midpoints[k]));
  return d;
}

}  // namespace

TEST_CASE("Warm chord: a reused factorised matrix gives the exact-Newton answer",
          "[collocation][warm]") {
  CollocationOptions o;
  o.adapt_mesh = false;
  o.tolerance = 1e-4;
  o.error_estimate = ErrorEstimate::DeferredCorrection;
  o.newton_tolerance = 1e-14;
  o.newton_floor = 1e-14;  // both solves to near rounding: the same discrete solution
  const BvpSummary first = solve_collocation(bratu(1.0), zero_guess(60), o);
  REQUIRE(first.termination == BvpTermination::Converged);
  REQUIRE(first.factorisation != nullptr);
  CHECK(first.factorisation->nodes == first.solution.nodes);

  // A nearby problem from the answer on its mesh: chord steps alone.
  const BvpSummary chord = solve_collocation(bratu(1.01), first.solution, o, first.factorisation);
  const BvpSummary exact = solve_collocation(bratu(1.01), first.solution, o);
  INFO("chord: " << chord.brief_report() << "\nexact: " << exact.brief_report());
  REQUIRE(chord.termination == BvpTermination::Converged);
  REQUIRE(exact.termination == BvpTermination::Converged);
  CHECK(chord.chord_iterations > 0);
  CHECK(chord.chord_iterations == chord.newton_iterations);
  CHECK(exact.chord_iterations == 0);
  CHECK(largest_difference(chord.solution, exact.solution) < 1e-11);
  // The estimate with the neighbour's matrix: within 10 % of the one with the answer's own.
  CHECK(chord.error.scaled_max == Approx(exact.error.scaled_max).epsilon(0.1));
  CHECK(chord.factorisation == first.factorisation);  // nothing new was factorised

  // Far away (λ = 3, near the fold at 3.51): the chord steps do not contract; exact Newton.
  const BvpSummary far = solve_collocation(bratu(3.0), first.solution, o, first.factorisation);
  const BvpSummary far_exact = solve_collocation(bratu(3.0), first.solution, o);
  INFO("far: " << far.brief_report());
  REQUIRE(far.termination == BvpTermination::Converged);
  CHECK(far.newton_iterations > far.chord_iterations);
  CHECK(far.factorisation != first.factorisation);
  CHECK(largest_difference(far.solution, far_exact.solution) < 1e-11);

  // Another mesh: the matrix is not used.
  const BvpSummary other = solve_collocation(bratu(1.01), zero_guess(61), o, first.factorisation);
  REQUIRE(other.termination == BvpTermination::Converged);
  CHECK(other.chord_iterations == 0);

  // A bad contraction factor is bad input.
  o.chord_contraction = 1.0;
  CHECK(solve_collocation(bratu(1.0), zero_guess(10), o).termination == BvpTermination::BadInput);
}

TEST_CASE("Warm chord: the transition path's warm start reuses the neighbour's matrix",
          "[transition][warm]") {
  const TradePath path;  // the baseline jump 0 -> 0.4
  const InitialStateSpec autarky;
  const TransitionOptions o;
  const TransitionResult from = footloose::testing::baseline_neighbour();
  REQUIRE(from.converged);
  REQUIRE(from.bvp.factorisation != nullptr);
  const Parameters p;  // sE = 0.6
  const TransitionResult warm = solve_transition(p, path, autarky, o, &from);
  TransitionOptions tight = o;
  tight.tolerance = 1e-12;
  tight.error_estimate = ErrorEstimate::Halving;  // independent of the estimate under test
  const TransitionResult reference = solve_transition(p, path, autarky, tight);
  REQUIRE(warm.converged);
  REQUIRE(reference.converged);
  INFO("warm: " << warm.bvp.brief_report());
  CHECK(warm.bvp.chord_iterations > 0);
  CHECK(std::fabs(warm.sn_inf - reference.sn_inf) <= 1e-8);
  CHECK(std::fabs(warm.aR_inf - reference.aR_inf) <= 1e-8);
  CHECK(std::fabs(warm.initial_state[kValueNorth] - reference.initial_state[kValueNorth]) <= 1e-8);
  CHECK(warm.error_estimate.sn_inf >= 0.2 * std::fabs(warm.sn_inf - reference.sn_inf));

  SECTION("a sweep keeps no factorisation per point") {
    SweepSettings settings;
    settings.threads = 1;
    settings.progress = false;
    std::vector<SweepPoint> chain;
    for (double sE : {0.602, 0.603, 0.604}) {
      SweepPoint s;
      s.params = p;
      s.params.sE = sE;
      s.phi_path = path;
      s.initial = autarky;
      s.options = o;
      chain.push_back(s);
    }
    const auto outcomes = run_sweep({chain}, settings, {&from});
    for (const SweepOutcome& out : outcomes[0]) {
      CHECK(out.solved());
      CHECK(out.result.bvp.factorisation == nullptr);
    }
    CHECK(from.bvp.factorisation != nullptr);  // the given warm start is not the sweep's
  }
}
