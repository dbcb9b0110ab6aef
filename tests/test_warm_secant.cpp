// The secant predictor of warm starts along a sweep (models/transition.hpp, warm_start_origin):
// a chain of warm starts whose parameters continue one line records its origins, and its
// secant-predicted points give the cold answers at the same parameters (sn∞, aR∞, W(0), S(0),
// P(0) to 1e-10, as tests/test_warm_start.cpp asks of plain warm starts); a warm start off the
// line, and one whose origin has another trade path, are the plain warm start's answers too.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "models/transition.hpp"

using namespace footloose;

namespace {

double largest_difference(const TransitionResult& x, const TransitionResult& y) {
  double d = std::max(std::fabs(x.sn_inf - y.sn_inf), std::fabs(x.aR_inf - y.aR_inf));
  for (int k : {kValueNorth, kValueSouth, kRelocationValue})
    d = std::max(d, std::fabs(x.initial_state[k] - y.initial_state[k]));
  return d;
}

Parameters with_ratio(double ratio) {
  Parameters p;
  p.gamma_R = ratio * p.gamma_E;
  return p;
}

}  // namespace

TEST_CASE("Secant-predicted warm starts give the cold answers", "[transition][warm]") {
  const TradePath path;  // the baseline jump 0 -> 0.4
  const InitialStateSpec autarky;
  const TransitionOptions o;
  // γR/γE log-spaced as in the λR sweep: 1e3, 2e3, 4e3, 8e3 (steps of log 2).
  TransitionResult previous = solve_transition(with_ratio(1e3), path, autarky, o);
  REQUIRE(previous.converged);
  CHECK(previous.problem.recorded);
  CHECK(previous.warm_start_origin == nullptr);  // cold: no origin
  for (const double ratio : {2e3, 4e3, 8e3}) {
    CAPTURE(ratio);
    const Parameters p = with_ratio(ratio);
    TransitionResult warm = solve_transition(p, path, autarky, o, &previous);
    REQUIRE(warm.converged);
    REQUIRE(warm.warm_start_origin != nullptr);
    CHECK(warm.warm_start_origin->problem.parameters.gamma_R ==
          previous.problem.parameters.gamma_R);
    const TransitionResult cold = solve_transition(p, path, autarky, o);
    REQUIRE(cold.converged);
    INFO("warm: " << warm.brief_report() << "\ncold: " << cold.brief_report());
    CHECK(largest_difference(warm, cold) <= 1e-10);
    previous = std::move(warm);
  }

  SECTION("a step off the line (another field changes too) is a plain warm start") {
    Parameters p = with_ratio(1.6e4);
    p.sE = 0.61;
    const TransitionResult warm = solve_transition(p, path, autarky, o, &previous);
    const TransitionResult cold = solve_transition(p, path, autarky, o);
    REQUIRE(warm.converged);
    REQUIRE(cold.converged);
    CHECK(largest_difference(warm, cold) <= 1e-10);
  }
  SECTION("an origin with another trade path is not recorded") {
    TradePath other = path;
    other.phi1 = 0.38;
    Parameters p = with_ratio(1.6e4);
    p.phi1 = other.phi1;
    const TransitionResult warm = solve_transition(p, other, autarky, o, &previous);
    REQUIRE(warm.converged);
    CHECK(warm.warm_start_origin == nullptr);
    const TransitionResult cold = solve_transition(p, other, autarky, o);
    REQUIRE(cold.converged);
    CHECK(largest_difference(warm, cold) <= 1e-10);
  }
}
