// The stretched variable of the collocation (solvers/time_map.hpp): p = 2 and 3 by products (and
// p = 2 back by a square root) within 1 ulp of std::pow, and the times at which a solve evaluates
// the rhs are collocation_point_times bit for bit (a problem's levels cache keys on them), for p =
// 1, 2, 3, on the calling thread and through a point evaluator on a team.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "solvers/collocation.hpp"
#include "solvers/time_map.hpp"
#include "solvers/worker_team.hpp"
#include "tests/bratu_problem.hpp"

using namespace footloose;

namespace {

// Distance in units in the last place between two finite doubles of the same sign.
std::uint64_t ulps_apart(double a, double b) {
  std::int64_t ia, ib;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return ia > ib ? static_cast<std::uint64_t>(ia - ib) : static_cast<std::uint64_t>(ib - ia);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("TimeMap: p = 2 and 3 by products (p = 2: a square root back), within 1 ulp of std::pow",
          "[collocation][time_map]") {
  const double t0 = 0.25, length = 80.0;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> xs = {0.0, 1e-300, 1e-8, 0.5, std::nextafter(1.0, 0.0), 1.0};
  for (int k = 0; k < 200000; ++k) xs.push_back(std::ldexp(uniform(rng), -(k % 30)));
  for (const double p : {2.0, 3.0}) {
    CAPTURE(p);
    const solvers::TimeMap map{t0, length, p};
    std::uint64_t power_ulps = 0, time_ulps = 0, rate_ulps = 0, xi_ulps = 0;
    for (double x : xs) {
      power_ulps = std::max(power_ulps, ulps_apart(map.power(x), std::pow(x, p)));
      const double t_pow = x >= 1.0 ? t0 + length : t0 + length * std::pow(x, p);
      time_ulps = std::max(time_ulps, ulps_apart(map.time(x), t_pow));
      if (x > 0.0)
        rate_ulps = std::max(rate_ulps, ulps_apart(map.rate(x), p * length * std::pow(x, p - 1.0)));
      const double t = t0 + length * x;
      xi_ulps = std::max(xi_ulps, ulps_apart(map.xi(t), std::pow((t - t0) / length, 1.0 / p)));
    }
    CHECK(power_ulps <= 1);
    // (1 ulp in ξ^p or ξ^{p−1} may become 2 in the product with L rounded again.)
    CHECK(time_ulps <= 2);
    CHECK(rate_ulps <= 2);
    CHECK(xi_ulps <= (p == 2.0 ? 1 : 0));  // p = 3: std::pow itself
    CHECK(map.rate(0.0) == 0.0);
    CHECK(map.xi(t0 - 1.0) == 0.0);
    CHECK(map.xi(t0 + 2.0 * length) == 1.0);
    CHECK(map.time(1.0) == t0 + length);
  }
  // p = 1: the identity, exactly; other p: std::pow.
  const solvers::TimeMap linear{t0, length, 1.0}, other{t0, length, 5.0};
  int differs = 0;
  for (double x : xs) {
    if (linear.time(x) != (x >= 1.0 ? t0 + length : t0 + length * x)) ++differs;
    const double t = t0 + length * x;
    if (linear.xi(t) != std::clamp((t - t0) / length, 0.0, 1.0)) ++differs;
    if (other.time(x) != (x >= 1.0 ? t0 + length : t0 + length * std::pow(x, 5.0))) ++differs;
    if (x > 0.0 && other.rate(x) != 5.0 * length * std::pow(x, 4.0)) ++differs;
  }
  CHECK(differs == 0);
}

namespace {

// Bratu's problem that records the times of its rhs calls, and of its point evaluators.
struct RecordingBratu {
  solvers::BoundaryValueProblem pb = testing::bratu(1.0);
  std::set<double> rhs_times;
  std::vector<std::vector<double>> evaluator_times;  // the times of each at_points call

  class Evaluator : public solvers::PointEvaluator {
   public:
    Evaluator(const solvers::BoundaryValueProblem& bratu, std::vector<double> times)
        : rhs_(bratu.rhs), times_(std::move(times)) {}
    bool begin_loop() override { return true; }
    void rhs(int point, const double* y, double* f) override { rhs_(times_[point], y, f); }
    void jacobian(int, const double*, double*) override { FAIL("bratu has no jacobian"); }
    void end_loop(int) override {}

   private:
    solvers::OdeRhs rhs_;
    std::vector<double> times_;
  };

  RecordingBratu() {
    const solvers::OdeRhs plain = pb.rhs;
    pb.rhs = [this, plain](double t, const double* y, double* f) {
      rhs_times.insert(t);
      plain(t, y, f);
    };
    const solvers::BoundaryValueProblem unrecorded = testing::bratu(1.0);
    pb.at_points = [this, unrecorded](const std::vector<double>& times) {
      evaluator_times.push_back(times);
      return std::unique_ptr<solvers::PointEvaluator>(new Evaluator(unrecorded, times));
    };
  }
};

}  // namespace

TEST_CASE("Collocation: the rhs is evaluated at collocation_point_times, bit for bit",
          "[collocation][time_map]") {
  for (const double p : {1.0, 2.0, 3.0}) {
    CAPTURE(p);
    solvers::MeshSolution guess;
    guess.nodes = solvers::stretched_uniform_mesh(0.0, 1.0, p, 24);
    guess.time_stretch = p;
    guess.states.assign(guess.nodes.size() * 2, 0.0);
    guess.left_free = {0.0};
    const std::vector<double> point_times = solvers::collocation_point_times(guess);
    REQUIRE(point_times.size() == 2 * guess.nodes.size() - 1);
    // The points with t'(ξ) ≠ 0: all but ξ = 0 when p > 1.
    const std::vector<double> evaluated(point_times.begin() + (p > 1.0 ? 1 : 0), point_times.end());
    solvers::CollocationOptions o;
    o.adapt_mesh = false;  // the guess's mesh only: every rhs call is at a collocation point
    o.estimate_error = false;
    // On the calling thread (the problem's rhs; Jacobians by its differences at the same times).
    RecordingBratu serial;
    const solvers::BvpSummary a = solvers::solve_collocation(serial.pb, guess, o);
    REQUIRE(a.is_usable());
    CHECK(serial.rhs_times == std::set<double>(evaluated.begin(), evaluated.end()));
    CHECK(serial.evaluator_times.empty());
    // On a team: one point evaluator for the mesh, given exactly these times in point order.
    RecordingBratu split;
    solvers::WorkerTeam team(2);
    o.team = &team;
    const solvers::BvpSummary b = solvers::solve_collocation(split.pb, guess, o);
    REQUIRE(b.is_usable());
    REQUIRE(split.evaluator_times.size() == 1);
    CHECK(same_bits(split.evaluator_times[0], evaluated));
    CHECK(split.rhs_times.empty());
    CHECK(same_bits(a.solution.states, b.solution.states));
  }
}
