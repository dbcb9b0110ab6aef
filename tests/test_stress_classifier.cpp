// The stress classifier (bench/stress_record.hpp, classify_record) on records built from real
// solves, then with faults injected: an answer that claims to be converged while its residual,
// error estimate, matching defect or long-run values say otherwise must be "silent" (issue 14: the
// CLI's fault injection only covers crash, hang and throw, none of which is a silent answer).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "bench/stress_record.hpp"
#include "models/transition.hpp"
#include "tests/path_test_helpers.hpp"

using namespace footloose;
using footloose::testing::jump;
using footloose::testing::with_method;
using solvers::BvpTermination;

namespace {

PointResult classify(const ChildRecord& record) {
  PointResult out;
  out.record = record;
  out.has_record = true;
  classify_record(out);
  return out;
}

const TransitionResult& solved(PathMethod method) {
  static const TransitionResult collocation = [] {
    Parameters p;
    return solve_transition(p, jump(p), {}, TransitionOptions{});
  }();
  static const TransitionResult shooting = [] {
    Parameters p;
    TransitionOptions o;
    o.method = PathMethod::Shooting;
    return solve_transition(p, jump(p), {}, o);
  }();
  return method == PathMethod::Shooting ? shooting : collocation;
}

}  // namespace

TEST_CASE("Stress classifier: real answers are valid, flagged or failed, never silent",
          "[stress][classifier]") {
  for (PathMethod method : {PathMethod::Collocation, PathMethod::Shooting}) {
    const TransitionResult& r = solved(method);
    REQUIRE(r.converged);
    REQUIRE(r.trustworthy());
    const PointResult out = classify(record_of_result(r));
    INFO(to_string(method) << ": " << out.silent_reason);
    CHECK(out.cls == StressClass::Valid);
    CHECK_FALSE(out.silent);
    CHECK(out.flags.empty());
  }
  SECTION("a V2 violation (phi1 = 0.6) is flagged, not silent") {
    Parameters p;
    p.phi1 = 0.6;
    const TransitionResult r = solve_transition(p, jump(p), {}, TransitionOptions{});
    REQUIRE(r.converged);
    const PointResult out = classify(record_of_result(r));
    CHECK(out.cls == StressClass::Flagged);
    CHECK(out.flags == std::vector<std::string>{"V2"});
    CHECK_FALSE(out.silent);
  }
  SECTION("an unconverged answer (too-stiff shooting) is failed, not silent") {
    Parameters p;
    p.phi1 = 0.02;
    TransitionOptions o;
    o.method = PathMethod::Shooting;
    const TransitionResult r = solve_transition(p, jump(p), {}, o);
    REQUIRE_FALSE(r.converged);
    const PointResult out = classify(record_of_result(r));
    CHECK(out.cls == StressClass::Failed);
    CHECK_FALSE(out.silent);
  }
}

TEST_CASE("Stress classifier: an injected silent answer is caught", "[stress][classifier]") {
  SECTION("converged, residual 100x above the tolerance") {
    for (PathMethod method : {PathMethod::Collocation, PathMethod::Shooting}) {
      ChildRecord record = record_of_result(solved(method));
      record.residual = 100.0 * record.tolerance;
      const PointResult out = classify(record);
      INFO(to_string(method));
      CHECK(out.silent);
      CHECK_THAT(out.silent_reason, Catch::Contains("scaled residual"));
      CHECK(out.cls == StressClass::Valid);  // it claims to be valid: that is what makes it silent
    }
  }
  SECTION("stalled Newton: accepted up to stall_factor x tolerance, silent beyond") {
    ChildRecord record = record_of_result(solved(PathMethod::Shooting));
    record.termination = static_cast<std::int32_t>(BvpTermination::ConvergedAtStall);
    record.residual = 5.0 * record.tolerance;  // within the documented 10x
    CHECK_FALSE(classify(record).silent);
    record.residual = 20.0 * record.tolerance;
    const PointResult out = classify(record);
    CHECK(out.silent);
    CHECK_THAT(out.silent_reason, Catch::Contains("stall tolerance"));
    // The same residual reported as plainly "converged" is silent too.
    record.termination = static_cast<std::int32_t>(BvpTermination::Converged);
    record.residual = 5.0 * record.tolerance;
    CHECK(classify(record).silent);
  }
  SECTION("collocation: trustworthy with an error estimate above the tolerance") {
    ChildRecord record = record_of_result(solved(PathMethod::Collocation));
    record.error_estimate = 1e-6;  // default tolerance 1e-9
    const PointResult out = classify(record);
    CHECK(out.silent);
    CHECK_THAT(out.silent_reason, Catch::Contains("error estimate"));
    // Flagged (untrustworthy) answers with a large estimate are not silent: they say so.
    record.trustworthy = 0;
    record.termination = static_cast<std::int32_t>(BvpTermination::AccuracyNotReached);
    CHECK_FALSE(classify(record).silent);
  }
  SECTION("shooting: a discontinuous path (matching defect)") {
    ChildRecord record = record_of_result(solved(PathMethod::Shooting));
    record.defect = 1e-2;
    const PointResult out = classify(record);
    CHECK(out.silent);
    CHECK_THAT(out.silent_reason, Catch::Contains("matching defect"));
  }
  SECTION("non-finite long-run values or residual") {
    ChildRecord record = record_of_result(solved(PathMethod::Collocation));
    record.sn_inf = NAN;
    CHECK(classify(record).silent);
    record = record_of_result(solved(PathMethod::Collocation));
    record.residual = INFINITY;
    CHECK(classify(record).silent);
  }
}
