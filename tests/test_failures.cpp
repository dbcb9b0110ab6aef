// Failures on purpose (issue 14): every diagnostic of solve_transition is shown to fire on a real
// solve, not on a result built by hand. Each case is a problem where the check must fail, with
// the reason from the model (docs/model.md Section 3, docs/solver.md):
//   V1          a linear phi ramp from phi0 = 0 (moved types cannot export while phi ~ 0);
//   V2          the baseline with phi1 = 0.6 (binds near instant relocation for phi1 > 0.5);
//   saddle      gamma_E = 1e7: the entry eigenvalue ~ -0.27/gamma_E is below the centre
//               tolerance 1e-6 (r + delta), so the long run is not a 2-1-3 saddle to the check;
//   continuation a ramp whose full-shock collocation fails cold;
//   time limit  1e-4 s, both methods: termination time_limit, not usable, says so;
//   too stiff   multiple shooting at phi1 = 0.02 (its mesh would need ~4e4 nodes), and on the
//               baseline with max_nodes = 10;
//   horizon     T = 4 is doubled (the path is far from the long run at T) to the answer at T = 60.
// Each test also asserts the control: the same check passes where it must.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "models/static_equilibria.hpp"
#include "models/transition.hpp"
#include "tests/path_test_helpers.hpp"

using namespace footloose;
using footloose::testing::jump;
using footloose::testing::with_method;
using solvers::BvpTermination;

namespace {

bool any_warning_contains(const TransitionResult& r, const std::string& text) {
  for (const auto& w : r.warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

// docs/model.md (9): HFT share sn = 1/2 + (sE − 1/2)(1 + φ^β)/(1 − φ^β), written out here.
double hft_share(const Parameters& p, double phi) {
  const double b = std::pow(phi, p.rho / (p.sigma - 1.0));
  return 0.5 + (p.sE - 0.5) * (1.0 + b) / (1.0 - b);
}

}  // namespace

TEST_CASE("V1 fires on a linear phi ramp from phi0 = 0", "[failures][validity]") {
  Parameters p;  // baseline, phi0 = 0, autarky start
  const TradePath ramp{TradePathKind::Linear, 0.0, p.phi1, 0.05};
  const TransitionResult r = solve_transition(p, ramp, {}, TransitionOptions{});
  INFO(r.brief_report() << "\n" << r.message << "\n" << r.validity.report());
  REQUIRE(r.converged);
  CHECK(r.saddle.ok);
  CHECK(r.validity.v0.ok);
  CHECK_FALSE(r.validity.v1.ok);
  // Where it fails: early (φ(t) ≈ 0, so aX ≈ 0 while aR(t) > 0), by far more than the −1e-9
  // tolerance of docs/solver.md.
  CHECK(r.validity.v1.margin < -1e-2);
  CHECK(r.validity.v1.time < 0.05);
  CHECK_FALSE(r.validity.all_ok());
  CHECK_FALSE(r.trustworthy());
  CHECK(any_warning_contains(r, "V1: VIOLATED"));
  // Control: the jump at the same parameters keeps V1 (φ = φ1 from t = 0).
  const TransitionResult j = solve_transition(p, jump(p), {}, TransitionOptions{});
  REQUIRE(j.converged);
  CHECK(j.validity.v1.ok);
  CHECK(j.validity.v1.margin > 0.1);
}

TEST_CASE("V2 fires at phi1 = 0.6 (the marginal type no longer gains most)",
          "[failures][validity]") {
  Parameters p;
  p.phi1 = 0.6;
  const TransitionResult r = solve_transition(p, jump(p), {}, TransitionOptions{});
  INFO(r.brief_report() << "\n" << r.message << "\n" << r.validity.report());
  REQUIRE(r.converged);
  CHECK(r.saddle.ok);
  CHECK(r.validity.v0.ok);
  CHECK(r.validity.v1.ok);
  REQUIRE(r.validity.v2.evaluated);
  CHECK_FALSE(r.validity.v2.ok);
  CHECK(r.validity.v2.margin < -0.1);    // far beyond the −1e-6 tolerance
  CHECK(r.validity.v2.type > r.aR_inf);  // the type that gains more lies above the front
  CHECK_FALSE(r.trustworthy());
  CHECK(any_warning_contains(r, "V2: VIOLATED"));
  // The answer itself is a converged, accurate path: only the model's validity is in question.
  CHECK(r.bvp.termination == BvpTermination::Converged);
  CHECK(std::fabs(r.sn_hft - hft_share(p, p.phi1)) < 1e-12);
  // Control: with V2 not evaluated the same path would pass (V2 alone makes it untrustworthy).
  TransitionOptions no_v2;
  no_v2.check_v2 = false;
  const TransitionResult q = solve_transition(p, jump(p), {}, no_v2);
  REQUIRE(q.converged);
  CHECK_FALSE(q.validity.v2.evaluated);
  CHECK(q.trustworthy());
  CHECK(std::fabs(q.sn_inf - r.sn_inf) < 1e-10);
}

TEST_CASE("The saddle-path check fires when the entry eigenvalue is below its centre tolerance",
          "[failures][saddle]") {
  // γE = 1e7: entry is ~1e7 times slower than at the baseline, its stable eigenvalue
  // ≈ −0.27/γE ≈ −3e-8 lies inside the centre band |λ| ≤ 1e-6 (r + δ) = 1e-7, and the check
  // counts 1 stable, 2 centre, 3 unstable instead of 2, 1, 3.
  Parameters p;
  p.gamma_E = 1e7;
  const TransitionResult r = solve_transition(p, jump(p), {}, TransitionOptions{});
  INFO(r.brief_report() << "\n" << r.message);
  REQUIRE(r.converged);
  CHECK_FALSE(r.saddle.ok);
  CHECK(r.saddle.stable == 1);
  CHECK(r.saddle.center == 2);
  CHECK(r.saddle.unstable == 3);
  REQUIRE(r.saddle.eigenvalues.size() == 6);
  // The two centre eigenvalues: the curve's (≈ 0) and entry's, which is what makes the check fire.
  const auto& e = r.saddle.eigenvalues;
  INFO("eigenvalues " << e[0] << ", " << e[1] << ", " << e[2] << ", " << e[3] << ", " << e[4]
                      << ", " << e[5]);
  int entry_like = 0, zero_like = 0;
  for (double x : e) {
    if (x < -1e-9 && x > -1e-7) ++entry_like;
    if (std::fabs(x) <= 1e-9) ++zero_like;
  }
  CHECK(entry_like == 1);
  CHECK(zero_like == 1);
  CHECK_FALSE(r.trustworthy());
  CHECK(any_warning_contains(r, "saddle-path check failed"));
  // Control: γE = 1e5 (entry eigenvalue ≈ −3e-6) is still classified as a saddle.
  p.gamma_E = 1e5;
  const TransitionResult ok = solve_transition(p, jump(p), {}, TransitionOptions{});
  REQUIRE(ok.converged);
  CHECK(ok.saddle.ok);
}

TEST_CASE("A ramp whose full-shock collocation fails cold is reached by continuation",
          "[failures][continuation]") {
  // Found by search (issue 14): a 0.3-year ramp from φ0 = 0 with γR = 0.3. The cold full-shock
  // collocation fails (Newton), the γR/γE continuation from 1 does not reach 0.3, continuation
  // in the shock size from 1/4 does. (The answer breaks V2 and misses the accuracy target: it is
  // flagged. What is tested is the fallback.)
  Parameters p;
  p.gamma_R = 0.3;
  const TradePath ramp{TradePathKind::Linear, 0.0, p.phi1, 0.3};
  TransitionOptions o;
  o.time_limit = 30.0;
  const TransitionResult r = solve_transition(p, ramp, {}, o);
  INFO(r.brief_report() << "\n" << r.message << "\ncontinuation: " << r.continuation.report());
  REQUIRE(r.converged);
  CHECK(r.used_continuation);
  CHECK(r.continuation.reached);
  CHECK(r.continuation.last_lambda == 1.0);
  CHECK(r.continuation.solved.size() > 1);
  CHECK(r.continuation.solved.front() < 1.0);  // it started below the full shock
  CHECK(any_warning_contains(r, "continuation in its size"));
  CHECK(r.bvp.method == solvers::BvpMethod::Collocation);
  CHECK(r.bvp.is_usable());
  // The continued answer is a steady state on the curve (M4) at φ1 with the solved aR∞.
  const CurvePoint c = corrected_curve_at_aR(p, p.phi1, r.aR_inf);
  CHECK(std::fabs(r.sk_inf - c.sn) < 1e-8);
}

TEST_CASE("A tiny time limit stops the solve with termination time_limit", "[failures][time]") {
  Parameters p;
  for (PathMethod method : {PathMethod::Auto, PathMethod::Collocation, PathMethod::Shooting}) {
    TransitionOptions o = with_method(method);
    o.time_limit = 1e-4;
    const TransitionResult r = solve_transition(p, jump(p), {}, o);
    INFO(to_string(method) << ": " << r.brief_report() << "\n" << r.message);
    CHECK_FALSE(r.converged);
    CHECK(r.bvp.termination == BvpTermination::TimeLimit);
    CHECK_FALSE(r.bvp.is_usable());
    CHECK_FALSE(r.trustworthy());
    CHECK_THAT(r.message, Catch::Contains("time limit"));
    CHECK_THAT(r.message, Catch::Contains("time_limit"));
    CHECK(r.path.empty());
    CHECK(r.solve_seconds < 5.0);  // it stopped (the check is between Newton iterations)
  }
}

TEST_CASE("Multiple shooting refuses a too-stiff mesh with termination too_stiff",
          "[failures][stiff]") {
  SECTION("phi1 = 0.02: the relocation eigenvalue needs ~4e4 shooting nodes") {
    Parameters p;
    p.phi1 = 0.02;
    const TransitionResult r = solve_transition(p, jump(p), {}, with_method(PathMethod::Shooting));
    INFO(r.brief_report() << "\n" << r.message);
    CHECK_FALSE(r.converged);
    CHECK(r.bvp.method == solvers::BvpMethod::MultipleShooting);
    CHECK(r.bvp.termination == BvpTermination::TooStiff);
    CHECK_FALSE(r.bvp.is_usable());
    CHECK_THAT(r.message, Catch::Contains("too_stiff"));
    CHECK_THAT(r.message, Catch::Contains("max_nodes = 4000"));
    CHECK(r.solve_seconds < 1.0);  // refused at once, no integration
    // Control: collocation (the default) answers the same problem.
    const TransitionResult c = solve_transition(p, jump(p), {}, TransitionOptions{});
    REQUIRE(c.converged);
    CHECK(c.trustworthy());
  }
  SECTION("the baseline with max_nodes = 10") {
    Parameters p;
    TransitionOptions o = with_method(PathMethod::Shooting);
    o.max_nodes = 10;
    const TransitionResult r = solve_transition(p, jump(p), {}, o);
    INFO(r.brief_report() << "\n" << r.message);
    CHECK_FALSE(r.converged);
    CHECK(r.bvp.termination == BvpTermination::TooStiff);
    CHECK_THAT(r.message, Catch::Contains("max_nodes = 10"));
  }
}

TEST_CASE("A short horizon is doubled until the path reaches the long run", "[failures][horizon]") {
  Parameters p;
  TransitionOptions base;
  const TransitionResult ref = solve_transition(p, jump(p), {}, base);
  REQUIRE(ref.converged);
  for (PathMethod method : {PathMethod::Collocation, PathMethod::Shooting}) {
    TransitionOptions o = with_method(method);
    o.horizon = 4.0;  // y(4) is ~7e-4 (scaled) from the long run, above max_terminal_deviation
    const TransitionResult r = solve_transition(p, jump(p), {}, o);
    INFO(to_string(method) << ": " << r.brief_report() << "\n" << r.message);
    REQUIRE(r.converged);
    CHECK(r.horizon > 4.0);
    CHECK(any_warning_contains(r, "horizon doubled from 4"));
    CHECK(std::fabs(r.sn_inf - ref.sn_inf) < 1e-8);
    CHECK(std::fabs(r.aR_inf - ref.aR_inf) < 1e-8);
    // Control: with doubling off the horizon stays at 4 (and no warning says otherwise). (Its
    // answer is not visibly worse: the asymptotic condition's error is second order in the
    // terminal deviation, ~1e-7 here.)
    o.extend_horizon = false;
    const TransitionResult fixed = solve_transition(p, jump(p), {}, o);
    REQUIRE(fixed.converged);
    CHECK(fixed.horizon == 4.0);
    CHECK_FALSE(any_warning_contains(fixed, "horizon doubled"));
  }
}

TEST_CASE("A Newton stalled at its floor is accepted as converged_at_stall, with a warning",
          "[failures][stall]") {
  // Multiple shooting asked for a residual of 1e-10 at the baseline: its integration floor
  // (rtol 1e-10 times the segment amplification) is above that, KINSOL's line search stalls, and
  // the iterate is accepted because it is within stall_factor (10) times the tolerance.
  Parameters p;
  TransitionOptions o = with_method(PathMethod::Shooting);
  o.rtol = 1e-10;
  o.newton_tolerance = 1e-10;
  const TransitionResult stalled = solve_transition(p, jump(p), InitialStateSpec{}, o);
  REQUIRE(stalled.converged);
  CHECK(stalled.bvp.termination == BvpTermination::ConvergedAtStall);
  CHECK(stalled.bvp.is_usable());
  CHECK(stalled.bvp.residual_max > o.newton_tolerance);
  CHECK(stalled.bvp.residual_max <= o.stall_factor * o.newton_tolerance);
  CHECK((any_warning_contains(stalled, "stall") || !stalled.bvp.warnings.empty()));
  // The accepted answer is right: the independent method, cold.
  const TransitionResult reference =
      solve_transition(p, jump(p), InitialStateSpec{}, with_method(PathMethod::Collocation));
  REQUIRE(reference.converged);
  CHECK(std::fabs(stalled.sn_inf - reference.sn_inf) < 1e-8);
  CHECK(std::fabs(stalled.aR_inf - reference.aR_inf) < 1e-8);
}
