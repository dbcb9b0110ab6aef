// Anderson acceleration (solvers/anderson.hpp) against known fixed points: a linear contraction
// solved directly (Eigen LU), a nonlinear system checked by evaluating the map at the answer and
// against a long damped Picard run; fewer iterations than damped Picard; failures reported by
// the termination enum.
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "solvers/anderson.hpp"

using namespace footloose::solvers;

namespace {

// x = A x + b with A = Q diag(λ) Q^{-1}, eigenvalues in (−0.9, 0.95): a contraction whose
// slow modes make damped Picard slow.
struct LinearProblem {
  Eigen::MatrixXd A;
  Eigen::VectorXd b;
  explicit LinearProblem(int n) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    Eigen::MatrixXd Q(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) Q(i, j) = (i == j ? 2.0 : 0.0) + 0.3 * u(rng);
    Eigen::VectorXd lambda(n);
    for (int i = 0; i < n; ++i) lambda[i] = -0.9 + 1.85 * i / (n - 1.0);
    A = Q * lambda.asDiagonal() * Q.inverse();
    b = Eigen::VectorXd::NullaryExpr(n, [&]() { return u(rng); });
  }
  FixedPointMap map() const {
    return [this](const std::vector<double>& x, std::vector<double>& out) {
      const Eigen::Map<const Eigen::VectorXd> xv(x.data(), static_cast<Eigen::Index>(x.size()));
      const Eigen::VectorXd y = A * xv + b;
      out.assign(y.data(), y.data() + y.size());
      return true;
    };
  }
  Eigen::VectorXd exact() const {
    const Eigen::Index n = b.size();
    return (Eigen::MatrixXd::Identity(n, n) - A).partialPivLu().solve(b);
  }
};

// A nonlinear map with a unique fixed point (a contraction in ‖·‖∞ with constant ≈ 0.95).
bool nonlinear_map(const std::vector<double>& x, std::vector<double>& out) {
  const std::size_t n = x.size();
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double left = x[(i + n - 1) % n], right = x[(i + 1) % n];
    out[i] = 0.6 * std::cos(x[i]) + 0.2 * std::tanh(left) - 0.15 * std::sin(right) + 0.1 * i / n;
  }
  return true;
}

}  // namespace

TEST_CASE("Anderson solves a linear contraction in fewer iterations than damped Picard",
          "[anderson]") {
  const LinearProblem lp(30);
  const Eigen::VectorXd exact = lp.exact();
  FixedPointOptions o;
  o.tolerance = 1e-12;
  std::vector<double> x(30, 0.0);
  const FixedPointSummary s = solve_fixed_point(lp.map(), x, {}, o);
  REQUIRE(s.termination == FixedPointTermination::Converged);
  REQUIRE(s.is_usable());
  for (int i = 0; i < 30; ++i)
    CHECK(x[static_cast<std::size_t>(i)] == Approx(exact[i]).margin(1e-10));

  FixedPointOptions picard = o;
  picard.memory = 0;
  std::vector<double> xp(30, 0.0);
  const FixedPointSummary sp = solve_fixed_point(lp.map(), xp, {}, picard);
  INFO("Anderson " << s.iterations << " iterations, damped Picard " << sp.iterations << " ("
                   << to_string(sp.termination) << ")");
  CHECK(s.iterations < sp.iterations);
  CHECK(s.history.size() == static_cast<std::size_t>(s.iterations) + 1);
}

TEST_CASE("Anderson solves a nonlinear system; the answer is a fixed point", "[anderson]") {
  const int n = 40;
  FixedPointOptions o;
  o.tolerance = 1e-12;
  std::vector<double> x(n, 0.0);
  const FixedPointSummary s = solve_fixed_point(nonlinear_map, x, {}, o);
  REQUIRE(s.termination == FixedPointTermination::Converged);
  std::vector<double> image;
  nonlinear_map(x, image);
  for (int i = 0; i < n; ++i) CHECK(std::fabs(image[i] - x[i]) < 1e-11);

  // The same point by plain Picard iteration (no acceleration, no damping), run long.
  std::vector<double> y(n, 0.0), next;
  for (int k = 0; k < 5000; ++k) {
    nonlinear_map(y, next);
    y.swap(next);
  }
  for (int i = 0; i < n; ++i) CHECK(x[i] == Approx(y[i]).margin(1e-10));

  FixedPointOptions picard = o;
  picard.memory = 0;
  std::vector<double> xp(n, 0.0);
  const FixedPointSummary sp = solve_fixed_point(nonlinear_map, xp, {}, picard);
  INFO("Anderson " << s.iterations << ", damped Picard " << sp.iterations);
  CHECK(s.iterations < sp.iterations);
}

TEST_CASE("Anderson reports divergence, the iteration limit and bad input", "[anderson]") {
  // Expanding map x ↦ 3x + 1: damped Picard moves away from the fixed point −1/2.
  const FixedPointMap expanding = [](const std::vector<double>& x, std::vector<double>& out) {
    out = {3.0 * x[0] + 1.0};
    return true;
  };
  FixedPointOptions picard;
  picard.memory = 0;
  std::vector<double> x{1.0};
  const FixedPointSummary d = solve_fixed_point(expanding, x, {}, picard);
  CHECK(d.termination == FixedPointTermination::Diverged);
  CHECK_FALSE(d.is_usable());
  CHECK(x[0] == 1.0);  // the best iterate is returned

  // A slow contraction stopped after 3 iterations.
  const FixedPointMap slow = [](const std::vector<double>& x, std::vector<double>& out) {
    out = {0.999 * x[0] + 1.0};
    return true;
  };
  FixedPointOptions few;
  few.memory = 0;
  few.max_iterations = 3;
  std::vector<double> y{0.0};
  const FixedPointSummary nc = solve_fixed_point(slow, y, {}, few);
  CHECK(nc.termination == FixedPointTermination::NotConverged);
  CHECK(nc.iterations == 3);
  CHECK_FALSE(nc.full_report().empty());

  // A map that cannot be evaluated at the guess, and invalid options.
  const FixedPointMap broken = [](const std::vector<double>&, std::vector<double>&) {
    return false;
  };
  std::vector<double> z{0.0};
  CHECK(solve_fixed_point(broken, z, {}, {}).termination == FixedPointTermination::BadInput);
  FixedPointOptions bad;
  bad.mixing = 0.0;
  CHECK(solve_fixed_point(slow, z, {}, bad).termination == FixedPointTermination::BadInput);
  CHECK(solve_fixed_point(slow, z, {-1.0}, {}).termination == FixedPointTermination::BadInput);
}

TEST_CASE("A map that fails away from the guess shortens the step", "[anderson]") {
  // Φ(x) = 0.5x + 4 is undefined above x = 3: the full step from 0 (to 2, then to the fixed
  // point 8) is cut back; the iteration stays where the map is defined and ends at x = 3.
  const FixedPointMap capped = [](const std::vector<double>& x, std::vector<double>& out) {
    if (x[0] > 3.0) return false;
    out = {0.5 * x[0] + 4.0};
    return true;
  };
  FixedPointOptions o;
  o.max_iterations = 200;
  std::vector<double> x{0.0};
  const FixedPointSummary s = solve_fixed_point(capped, x, {}, o);
  CHECK_FALSE(s.is_usable());
  CHECK(x[0] <= 3.0);
}

namespace {

// A kinked, strongly expanding map (the irreversibility of type-resolved relocation in one
// variable): x ↦ a − G·max(x, 0), so the fixed point a/(1 + G) sits on the steep side, plus slow
// contractive components y ↦ 0.9 y + c_i with fixed points 10 c_i. Damped Picard needs
// β < 2/(1 + G) there; any larger step crosses to where the map is steep or flat.
constexpr double kLevel = 1e-3, kSlope = 1e4;
bool kinked_map(const std::vector<double>& x, std::vector<double>& out) {
  out.resize(x.size());
  out[0] = kLevel - kSlope * std::max(x[0], 0.0);
  for (std::size_t i = 1; i < x.size(); ++i) out[i] = 0.9 * x[i] + 0.01 * static_cast<double>(i);
  return true;
}

void check_kinked_answer(const std::vector<double>& x) {
  CHECK(x[0] == Approx(kLevel / (1.0 + kSlope)).epsilon(1e-6));
  for (std::size_t i = 1; i < x.size(); ++i)
    CHECK(x[i] == Approx(0.1 * static_cast<double>(i)).epsilon(1e-8));
}

}  // namespace

TEST_CASE("Anderson on a kinked expanding map: the rejected step as a secant, backtracking",
          "[anderson]") {
  const std::vector<double> start(6, 0.0);
  FixedPointOptions o;
  o.tolerance = 1e-12;
  {  // The plain safeguard forgets the rejected step and fails at the minimum mixing.
    std::vector<double> x = start;
    const FixedPointSummary s = solve_fixed_point(kinked_map, x, {}, o);
    INFO(s.full_report());
    CHECK(s.termination == FixedPointTermination::Diverged);
  }
  {  // Keeping it: the next step from the best iterate is the secant root (the kink alone).
    FixedPointOptions k = o;
    k.keep_rejected_step = true;
    std::vector<double> x(1, 0.0);
    const FixedPointSummary s = solve_fixed_point(kinked_map, x, {}, k);
    INFO(s.full_report());
    REQUIRE(s.is_usable());
    check_kinked_answer(x);
  }
  {  // Halving the step until the residual is acceptable, then Anderson's secants.
    FixedPointOptions b = o;
    b.backtracking_steps = 20;
    std::vector<double> x = start;
    const FixedPointSummary s = solve_fixed_point(kinked_map, x, {}, b);
    INFO(s.full_report());
    REQUIRE(s.is_usable());
    check_kinked_answer(x);
  }
  {  // Bad option values are reported, not used.
    FixedPointOptions bad = o;
    bad.backtracking_steps = -1;
    std::vector<double> x = start;
    CHECK(solve_fixed_point(kinked_map, x, {}, bad).termination == FixedPointTermination::BadInput);
  }
}
