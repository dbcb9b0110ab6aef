// Warm starts (issue 14): a solve warm-started from a neighbour's solution gives the cold answer
// at the same point, for both BVP methods, and so do the warm-started points of a sweep
// (src/sweep.hpp, as the experiments run them). Compared: sn∞, aR∞, W(0), S(0), P(0), to 1e-10.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/transition.hpp"
#include "src/sweep.hpp"
#include "tests/path_test_helpers.hpp"

using namespace footloose;
using footloose::testing::jump;
using footloose::testing::with_method;

namespace {

struct Headline {
  double sn_inf, aR_inf, W0, S0, P0;
};
Headline headline(const TransitionResult& r) {
  return {r.sn_inf, r.aR_inf, r.initial_state[kValueNorth], r.initial_state[kValueSouth],
          r.initial_state[kRelocationValue]};
}

// Largest |difference| over the five numbers; each is also checked on its own.
void check_same_answer(const TransitionResult& warm, const TransitionResult& cold, double tol) {
  const Headline a = headline(warm), b = headline(cold);
  INFO("warm: " << warm.brief_report() << "\ncold: " << cold.brief_report());
  CHECK(std::fabs(a.sn_inf - b.sn_inf) <= tol);
  CHECK(std::fabs(a.aR_inf - b.aR_inf) <= tol);
  CHECK(std::fabs(a.W0 - b.W0) <= tol);
  CHECK(std::fabs(a.S0 - b.S0) <= tol);
  CHECK(std::fabs(a.P0 - b.P0) <= tol);
}

double largest_difference(const TransitionResult& x, const TransitionResult& y) {
  const Headline a = headline(x), b = headline(y);
  return std::max({std::fabs(a.sn_inf - b.sn_inf), std::fabs(a.aR_inf - b.aR_inf),
                   std::fabs(a.W0 - b.W0), std::fabs(a.S0 - b.S0), std::fabs(a.P0 - b.P0)});
}

}  // namespace

TEST_CASE("A warm-started solve equals the cold solve at the same point", "[warm]") {
  // Two neighbours: a near one (sE, γR) and a far one (φ1 = 0.3, γR = 3), whose mesh is adapted
  // to another path.
  Parameters near, far;
  near.sE = 0.601;
  near.gamma_R = 1.5;
  far.phi1 = 0.3;
  far.gamma_R = 3.0;
  for (const Parameters& neighbour : {near, far})
    for (PathMethod method : {PathMethod::Collocation, PathMethod::Shooting}) {
      const TransitionOptions o = with_method(method);
      const TransitionResult from = solve_transition(neighbour, jump(neighbour), {}, o);
      REQUIRE(from.converged);
      Parameters p;  // the baseline
      const TransitionResult cold = solve_transition(p, jump(p), {}, o);
      const TransitionResult warm = solve_transition(p, jump(p), {}, o, &from);
      INFO(to_string(method) << " from phi1 = " << neighbour.phi1 << ", sE = " << neighbour.sE
                             << ", gamma_R = " << neighbour.gamma_R);
      REQUIRE(cold.converged);
      REQUIRE(warm.converged);
      CHECK(warm.bvp.method == cold.bvp.method);
      CHECK(warm.trustworthy());
      // The neighbour is a different answer (so a warm solve that returned its start would fail).
      CHECK(largest_difference(from, cold) > 1e-4);
      WARN(to_string(method) << " from phi1 = " << neighbour.phi1
                             << ", gamma_R = " << neighbour.gamma_R
                             << ": warm - cold, largest over sn_inf, aR_inf, W(0), S(0), P(0): "
                             << largest_difference(warm, cold) << " (Newton iterations warm "
                             << warm.bvp.newton_iterations << ", cold "
                             << cold.bvp.newton_iterations << ")");
      check_same_answer(warm, cold, 1e-10);
    }
}

TEST_CASE("Warm-started points of a sweep equal cold solves", "[warm][sweep]") {
  // One chain per method along γR = 1, 1.5, 2, 3 (the lambda_r experiment's kind of chain):
  // points 2-4 are warm-started from their predecessor by run_sweep.
  const std::vector<double> ratios{1.0, 1.5, 2.0, 3.0};
  std::vector<std::vector<SweepPoint>> chains;
  for (PathMethod method : {PathMethod::Collocation, PathMethod::Shooting}) {
    std::vector<SweepPoint> chain;
    for (double ratio : ratios) {
      SweepPoint point;
      point.params.gamma_R = ratio;
      point.phi_path = jump(point.params);
      point.options = with_method(method);
      chain.push_back(point);
    }
    chains.push_back(chain);
  }
  SweepSettings settings;
  settings.threads = 2;
  settings.progress = false;
  settings.cold_retry = false;  // a failed warm start must show, not be hidden by a cold retry
  const auto outcomes = run_sweep(chains, settings);
  REQUIRE(outcomes.size() == chains.size());
  for (std::size_t c = 0; c < chains.size(); ++c) {
    REQUIRE(outcomes[c].size() == ratios.size());
    for (std::size_t j = 1; j < ratios.size(); ++j) {
      const SweepPoint& point = chains[c][j];
      const SweepOutcome& out = outcomes[c][j];
      INFO(to_string(point.options.method) << " at gamma_R = " << ratios[j] << ": " << out.error);
      REQUIRE(out.status == SweepStatus::Valid);
      const TransitionResult cold =
          solve_transition(point.params, point.phi_path, point.initial, point.options);
      REQUIRE(cold.converged);
      WARN(to_string(point.options.method)
           << " gamma_R = " << ratios[j]
           << ": sweep (warm) - cold: " << largest_difference(out.result, cold));
      check_same_answer(out.result, cold, 1e-10);
      // The points differ from each other: a sweep that repeated its first answer would fail.
      CHECK(std::fabs(out.result.sn_inf - outcomes[c][j - 1].result.sn_inf) > 1e-5);
    }
  }
}
