// What the speed work of issue 10 reuses must not change answers: (M5) root-finds started from a
// guess land on the cold start's root (and satisfy (M5)); the path problem's rhs and Jacobian,
// which keep the (M5) levels per time, equal the model's own at any sequence of states; and a
// line split for threads (split_anchored_line) covers the line once, in order.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "models/dynamics.hpp"
#include "models/market.hpp"
#include "models/transition.hpp"
#include "src/sweep.hpp"

using namespace footloose;

TEST_CASE("(M5) from a guess: the cold start's root, which satisfies (M5)", "[market][speed]") {
  const Parameters p;
  const Pareto pareto(p);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int trial = 0; trial < 50; ++trial) {
    const MarketState s{0.2 + 3.0 * unit(rng), 0.2 + 3.0 * unit(rng), unit(rng), unit(rng)};
    const DemandLevels cold = solve_demand_levels(p, s);
    // (M5): B · (North market size) = sE, B* · (South market size) = 1 − sE
    CHECK(cold.B * north_market_size(pareto, s, cold.B) == Approx(p.sE).epsilon(1e-13));
    CHECK(cold.B_star * south_market_size(pareto, s, cold.B_star) ==
          Approx(1.0 - p.sE).epsilon(1e-13));
    for (double factor : {1e-3, 0.5, 0.999, 1.0, 1.001, 2.0, 1e3}) {
      DemandLevels guess;
      guess.B = cold.B * factor;
      guess.B_star = cold.B_star / factor;
      const DemandLevels warm = solve_demand_levels(p, s, guess);
      CHECK(warm.B == Approx(cold.B).epsilon(1e-14));
      CHECK(warm.B_star == Approx(cold.B_star).epsilon(1e-14));
      if (factor == 1.0) CHECK(warm.root_iterations <= cold.root_iterations);
    }
    const DemandLevels no_guess = solve_demand_levels(p, s, DemandLevels{});  // B ≤ 0: ignored
    CHECK(no_guess.B == cold.B);
    CHECK(no_guess.B_star == cold.B_star);
  }
}

TEST_CASE("Path problem: rhs and Jacobian with the per-time (M5) levels equal the model's",
          "[transition][speed]") {
  const Parameters p;
  const TradePath path;  // jump to φ1 = 0.4
  const GeneralModel model(p, path);
  TransitionOptions options;
  const auto problem = make_path_problem(p, path, InitialStateSpec{}, options, 0.5);
  const auto& bvp = problem->bvp;
  const State base = model.steady_state(0.5, path.phi1);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> wiggle(-0.05, 0.05);
  const auto state_near = [&] {
    State y = base;
    for (int j = 0; j < kStateSize; ++j) y[j] *= 1.0 + wiggle(rng);
    y[kRelocationValue] = 0.01 * p.FI * (1.0 + wiggle(rng));
    return y;
  };
  // Same time with new states, repeated states, rhs before and after the Jacobian.
  const std::vector<double> times = {0.1, 0.5, 0.1, 2.0, 0.5, 0.5, 0.1};
  State previous = state_near();
  for (std::size_t k = 0; k < times.size(); ++k) {
    const State y = k % 3 == 2 ? previous : state_near();
    double f[kStateSize], f_ref[kStateSize], J[kStateSize * kStateSize],
        J_ref[kStateSize * kStateSize];
    bvp.rhs(times[k], y.data(), f);
    bvp.jacobian(times[k], y.data(), J);
    model.rhs(times[k], y.data(), f_ref);
    model.jacobian(times[k], y.data(), J_ref);
    for (int i = 0; i < kStateSize; ++i) {
      double row = 1e-300;
      for (int j = 0; j < kStateSize; ++j)
        row = std::max(row, std::fabs(J_ref[i * kStateSize + j]));
      CHECK(std::fabs(f[i] - f_ref[i]) <= 1e-12 * std::max(std::fabs(f_ref[i]), 1e-6));
      for (int j = 0; j < kStateSize; ++j)
        CHECK(std::fabs(J[i * kStateSize + j] - J_ref[i * kStateSize + j]) <= 1e-12 * row);
    }
    previous = y;
  }
}

TEST_CASE("split_anchored_line: consecutive pieces, the anchor kept, the others at the middle",
          "[sweep][speed]") {
  AnchoredLine line;
  for (int i = 0; i < 30; ++i) {
    SweepPoint s;
    s.params.gamma_R = i + 1.0;  // a label
    line.points.push_back(s);
  }
  line.anchor = 7;
  for (std::size_t pieces : {0, 1, 2, 3, 4, 30, 40}) {
    const auto split = split_anchored_line(line, pieces);
    const std::size_t expected = std::max<std::size_t>(1, std::min<std::size_t>(pieces, 30));
    REQUIRE(split.size() == expected);
    std::vector<double> labels;
    std::size_t offset = 0;
    for (const auto& piece : split) {
      REQUIRE(!piece.points.empty());
      REQUIRE(piece.anchor < piece.points.size());
      if (line.anchor >= offset && line.anchor < offset + piece.points.size())
        CHECK(piece.anchor == line.anchor - offset);
      else
        CHECK(piece.anchor == piece.points.size() / 2);
      for (const auto& s : piece.points) labels.push_back(s.params.gamma_R);
      offset += piece.points.size();
    }
    REQUIRE(labels.size() == 30);
    for (int i = 0; i < 30; ++i) CHECK(labels[i] == i + 1.0);
  }
  const auto two = split_anchored_line(line, 2);  // the bench's λR line on 2 threads
  CHECK(two[0].points.size() == 15);
  CHECK(two[0].anchor == 7);
  CHECK(two[1].anchor == 7);  // index 22 of the line
}

TEST_CASE("A warm start on the coarse mesh: the cold start's mesh and answer, not the neighbour's",
          "[transition][speed]") {
  // The neighbour is solved at a tighter tolerance, on a mesh over twice the cold one: a warm
  // start that kept it would end on at least as many intervals.
  const Parameters p;
  TradePath path;
  const InitialStateSpec initial;
  TransitionOptions tight;
  tight.tolerance = 1e-11;
  const TransitionResult anchor = solve_transition(p, path, initial, tight);
  REQUIRE(anchor.converged);
  path.phi1 = 0.4005;
  TransitionOptions options;
  options.warm_start_on_coarse_mesh = true;
  const TransitionResult warm = solve_transition(p, path, initial, options, &anchor);
  const TransitionResult cold = solve_transition(p, path, initial, TransitionOptions{});
  REQUIRE(warm.converged);
  REQUIRE(cold.converged);
  CHECK(anchor.bvp.intervals > 2 * cold.bvp.intervals);
  CHECK(warm.bvp.intervals < anchor.bvp.intervals);
  CHECK(warm.sn_inf == Approx(cold.sn_inf).margin(1e-9));
  CHECK(warm.lambda_R == Approx(cold.lambda_R).margin(1e-8));
  for (int k : {kValueNorth, kValueSouth, kRelocationValue})
    CHECK(warm.initial_state[k] == Approx(cold.initial_state[k]).margin(1e-9 * p.FI));
}
