// The deferred-correction error estimate of collocation (CollocationOptions::error_estimate,
// solvers/collocation_error.hpp) against the true error of problems with closed-form solutions
// (smooth, a fast stable mode, a kink at a break point), against the halving estimate (also on
// model paths), and the truncation error itself against the Taylor expansion of a known
// function.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <functional>
#include <iostream>
#include <vector>

#include "models/transition.hpp"
#include "solvers/collocation.hpp"
#include "solvers/collocation_error.hpp"
#include "solvers/worker_team.hpp"
#include "tests/bratu_problem.hpp"

using namespace footloose::solvers;

namespace {

// y1' = y2 + r1(t), y2' = y1 + r2(t) on [0, T] with r = Y' − A Y for a chosen exact solution Y
// (manufactured): y1(0) = Y1(0) (y2(0) = z free), y1(T) + y2(T) = Y1(T) + Y2(T). The saddle
// (eigenvalues ±1) keeps the error from growing along the path.
struct Manufactured {
  std::function<void(double, double*)> exact;  // Y
  std::function<void(double, double*)> slope;  // Y'
  double T = 4.0;

  BoundaryValueProblem problem() const {
    BoundaryValueProblem pb;
    pb.state_size = 2;
    pb.left_free_size = 1;
    const Manufactured self = *this;
    pb.rhs = [self](double t, const double* y, double* f) {
      double Y[2], dY[2];
      self.exact(t, Y);
      self.slope(t, dY);
      f[0] = y[1] + dY[0] - Y[1];
      f[1] = y[0] + dY[1] - Y[0];
    };
    pb.jacobian = [](double, const double*, double* J) {
      J[0] = 0.0;
      J[1] = 1.0;
      J[2] = 1.0;
      J[3] = 0.0;
    };
    double Y0[2], YT[2];
    exact(0.0, Y0);
    exact(T, YT);
    const double y10 = Y0[0], right = YT[0] + YT[1];
    pb.left_state = [y10](const double* z, double* y) {
      y[0] = y10;
      y[1] = z[0];
    };
    pb.right_residual = [right](const double* y, const double*, double* r) {
      r[0] = y[0] + y[1] - right;
    };
    pb.typical_state = {1.0, 1.0};
    pb.typical_left_free = {1.0};
    return pb;
  }
  MeshSolution exact_guess(const std::vector<double>& nodes) const {
    MeshSolution g;
    g.nodes = nodes;
    double Y[2];
    for (double t : nodes) {
      exact(t, Y);
      g.states.insert(g.states.end(), {Y[0], Y[1]});
    }
    exact(0.0, Y);
    g.left_free = {Y[1]};
    return g;
  }
};

// Smooth: Y = (e^{−t} + sin 2t / 4, −e^{−t} + cos 3t / 3).
Manufactured smooth_problem() {
  Manufactured m;
  m.exact = [](double t, double* Y) {
    Y[0] = std::exp(-t) + std::sin(2 * t) / 4;
    Y[1] = -std::exp(-t) + std::cos(3 * t) / 3;
  };
  m.slope = [](double t, double* dY) {
    dY[0] = -std::exp(-t) + std::cos(2 * t) / 2;
    dY[1] = std::exp(-t) - std::sin(3 * t);
  };
  return m;
}

// A kink at t_b: Y1 = e^{−t} + (t − t_b)₊³: y1'' and the slope's second derivative jump there.
Manufactured kinked_problem(double tb) {
  Manufactured m;
  m.exact = [tb](double t, double* Y) {
    const double d = std::max(t - tb, 0.0);
    Y[0] = std::exp(-t) + d * d * d;
    Y[1] = -std::exp(-t) + std::sin(t);
  };
  m.slope = [tb](double t, double* dY) {
    const double d = std::max(t - tb, 0.0);
    dY[0] = -std::exp(-t) + 3 * d * d;
    dY[1] = std::exp(-t) + std::cos(t);
  };
  return m;
}

// A fast stable mode: y1' = −k (y1 − cos t) − sin t (solution cos t + e^{−kt}), y2' = y1 − y2
// ... with y1(0) = 2 fixed, y2(0) = z free, y2(T) = Y2(T); k = 200 (stiff-ish on [0, 2]).
struct FastMode {
  double k = 200.0, T = 2.0;
  static double y2_exact(double k, double t) {
    // y2' + y2 = cos t + e^{−kt}: y2 = (cos t + sin t)/2 + e^{−kt}/(1 − k) + C e^{−t}, C = 1.
    return 0.5 * (std::cos(t) + std::sin(t)) + std::exp(-k * t) / (1.0 - k) + std::exp(-t);
  }
  void exact(double t, double* Y) const {
    Y[0] = std::cos(t) + std::exp(-k * t);
    Y[1] = y2_exact(k, t);
  }
  BoundaryValueProblem problem() const {
    BoundaryValueProblem pb;
    pb.state_size = 2;
    pb.left_free_size = 1;
    const double kk = k;
    pb.rhs = [kk](double t, const double* y, double* f) {
      f[0] = -kk * (y[0] - std::cos(t)) - std::sin(t);
      f[1] = y[0] - y[1];
    };
    pb.left_state = [](const double* z, double* y) {
      y[0] = 2.0;
      y[1] = z[0];
    };
    const double right = y2_exact(k, T);
    pb.right_residual = [right](const double* y, const double*, double* r) { r[0] = y[1] - right; };
    pb.typical_state = {1.0, 1.0};
    pb.typical_left_free = {1.0};
    return pb;
  }
};

// True scaled error at nodes and midpoints (as the estimate measures it) and of z.
template <class ExactFn>
double true_error(const BoundaryValueProblem& pb, const MeshSolution& s, const ExactFn& exact,
                  double z_exact) {
  const int n = pb.state_size;
  const size_t N = s.nodes.size() - 1;
  const double t0 = s.nodes.front(), L = s.nodes.back() - t0, p = s.time_stretch;
  const auto xi = [&](double t) { return std::pow((t - t0) / L, 1.0 / p); };
  double e = std::fabs(s.left_free[0] - z_exact) / pb.typical_left_free[0], Y[2];
  for (size_t i = 0; i <= N; ++i) {
    exact(s.nodes[i], Y);
    for (int j = 0; j < n; ++j)
      e = std::max(e, std::fabs(s.states[i * n + j] - Y[j]) / pb.typical_state[j]);
    if (i == N) break;
    exact(t0 + L * std::pow(0.5 * (xi(s.nodes[i]) + xi(s.nodes[i + 1])), p), Y);
    for (int j = 0; j < n; ++j)
      e = std::max(e, std::fabs(s.midpoints[i * n + j] - Y[j]) / pb.typical_state[j]);
  }
  return e;
}

// A solve on the given mesh only, with its error estimate (Newton to near rounding).
BvpSummary fixed_mesh_solve(const BoundaryValueProblem& pb, const MeshSolution& guess,
                            ErrorEstimate how, const std::vector<double>& breaks = {}) {
  CollocationOptions o;
  o.adapt_mesh = false;
  o.tolerance = 1.0;
  o.newton_tolerance = 1e-14;
  o.error_estimate = how;
  o.break_points = breaks;
  return solve_collocation(pb, guess, o);
}

}  // namespace

TEST_CASE("Collocation error: truncation error of the rows against their Taylor expansion",
          "[collocation][error]") {
  // y = e^{a ξ} (g = a e^{aξ}) on a nonuniform mesh: the residual of the exact y in each row
  // against τ through the h⁷ terms (solvers/collocation_error.hpp). With the leading terms only
  // (h⁴/384 y⁗(ξ_i + 13h/30), −h⁵/2880 y⁽⁵⁾; until session 7) they were within 3.7e-5 / 3.1e-5.
  const double a = 1.7;
  std::vector<double> xi{0.0};
  for (int i = 0; i < 24; ++i) xi.push_back(xi.back() + 0.02 * (1.0 + 0.5 * std::sin(i)));
  const int N = static_cast<int>(xi.size()) - 1;
  std::vector<double> slopes;
  for (int k = 0; k <= 2 * N; ++k) {
    const double x = k % 2 == 0 ? xi[k / 2] : 0.5 * (xi[k / 2] + xi[k / 2 + 1]);
    slopes.push_back(a * std::exp(a * x));
  }
  const auto tau = TruncationErrorStencils(xi, {}).truncation_error(slopes, {2.0}, 0);
  REQUIRE(tau.size() == static_cast<size_t>(1 + 2 * N));
  CHECK(tau[0] == 0.0);
  double worst_mid = 0.0, worst_end = 0.0;
  for (int i = 0; i < N; ++i) {
    // The residual rows at the exact solution (scaled by typical_state = 2), in long double:
    // the end row's is ~1e-11, a difference of O(1) numbers (in double good to ~1e-4 only).
    using Long = long double;
    const Long h = Long(xi[i + 1]) - xi[i], x0 = xi[i], xm = x0 + h / 2, x1 = xi[i + 1];
    const auto y = [&](Long x) { return std::exp(Long(a) * x); };
    const auto g = [&](Long x) { return Long(a) * std::exp(Long(a) * x); };
    const double mid =
        static_cast<double>((y(xm) - y(x0) - h * (5 * g(x0) / 24 + g(xm) / 3 - g(x1) / 24)) / 2);
    const double end =
        static_cast<double>((y(x1) - y(x0) - h * (g(x0) / 6 + 2 * g(xm) / 3 + g(x1) / 6)) / 2);
    worst_mid = std::max(worst_mid, std::fabs(tau[1 + 2 * i] / mid - 1.0));
    worst_end = std::max(worst_end, std::fabs(tau[2 + 2 * i] / end - 1.0));
  }
  std::cout << "[collocation error] truncation error vs the rows' residual at e^{1.7 xi}: "
            << "midpoint rows within " << worst_mid << ", end rows within " << worst_end << "\n";
  CHECK(worst_mid < 1e-6);  // measured 5.7e-8
  CHECK(worst_end < 2e-5);  // measured 8.3e-6 (G₄'s stencil on the uneven mesh)
}

TEST_CASE("Collocation error: deferred correction against the true error of closed forms",
          "[collocation][error]") {
  struct Row {
    const char* name;
    double estimate, truth, halving;
  };
  std::vector<Row> rows;
  const auto check_ratio = [&](const char* name, const BvpSummary& dc, const BvpSummary& hv,
                               double truth) {
    INFO(name << ": " << dc.brief_report());
    REQUIRE(dc.is_usable());
    REQUIRE(dc.error.available);
    REQUIRE(hv.error.available);
    rows.push_back({name, dc.error.scaled_max, truth, hv.error.scaled_max});
    std::cout << "[collocation error] " << name << ", " << dc.intervals
              << " intervals: deferred correction " << dc.error.scaled_max << ", true " << truth
              << " (estimate/true " << dc.error.scaled_max / truth << "), halving "
              << hv.error.scaled_max << " (" << hv.error.scaled_max / truth << ")\n";
    CHECK(dc.error.scaled_max >= 0.9 * truth);  // measured 0.99–1.06
    CHECK(dc.error.scaled_max <= 1.2 * truth);
  };
  {
    const Manufactured m = smooth_problem();
    const auto pb = m.problem();
    double Y0[2];
    m.exact(0.0, Y0);
    for (int N : {10, 20, 40}) {
      const auto mesh = stretched_uniform_mesh(0.0, m.T, 1.0, N);
      const auto dc = fixed_mesh_solve(pb, m.exact_guess(mesh), ErrorEstimate::DeferredCorrection);
      const auto hv = fixed_mesh_solve(pb, m.exact_guess(mesh), ErrorEstimate::Halving);
      check_ratio("smooth saddle", dc, hv, true_error(pb, dc.solution, m.exact, Y0[1]));
    }
  }
  {
    // Stretched (p = 2): y smooth in ξ, the slope g = f t'(ξ) carries the stretch.
    const Manufactured m = smooth_problem();
    const auto pb = m.problem();
    double Y0[2];
    m.exact(0.0, Y0);
    for (int N : {16, 32}) {
      auto guess = m.exact_guess(stretched_uniform_mesh(0.0, m.T, 2.0, N));
      guess.time_stretch = 2.0;
      const auto dc = fixed_mesh_solve(pb, guess, ErrorEstimate::DeferredCorrection);
      const auto hv = fixed_mesh_solve(pb, guess, ErrorEstimate::Halving);
      check_ratio("smooth saddle, stretch 2", dc, hv, true_error(pb, dc.solution, m.exact, Y0[1]));
    }
  }
  {
    // The kink at a node: one-sided stencils there. Without the break point the stencils
    // straddle the jump of g'' and the estimate is far off (checked below).
    const double tb = 1.7;
    const Manufactured m = kinked_problem(tb);
    const auto pb = m.problem();
    double Y0[2];
    m.exact(0.0, Y0);
    for (int N : {12, 24, 48}) {
      const auto mesh = stretched_uniform_mesh(0.0, m.T, 1.0, N, {tb});
      REQUIRE(std::count(mesh.begin(), mesh.end(), tb) == 1);
      const auto dc =
          fixed_mesh_solve(pb, m.exact_guess(mesh), ErrorEstimate::DeferredCorrection, {tb});
      const auto hv = fixed_mesh_solve(pb, m.exact_guess(mesh), ErrorEstimate::Halving, {tb});
      const double truth = true_error(pb, dc.solution, m.exact, Y0[1]);
      check_ratio("kink at a break point", dc, hv, truth);
      if (N == 48) {
        const auto blind =
            fixed_mesh_solve(pb, m.exact_guess(mesh), ErrorEstimate::DeferredCorrection);
        std::cout << "[collocation error] kink, break point not given: estimate/true "
                  << blind.error.scaled_max / truth << "\n";
        CHECK(blind.error.scaled_max > 3.0 * truth);
      }
    }
  }
  {
    // A fast stable mode (k = 200) resolved by a mesh graded at t = 0.
    const FastMode f;
    const auto pb = f.problem();
    const auto exact = [&f](double t, double* Y) { f.exact(t, Y); };
    for (int N : {40, 80}) {
      MeshSolution g;
      // Stretch p = 3 in t = T ξ³: fine near 0 where e^{−200t} lives.
      g.nodes = stretched_uniform_mesh(0.0, f.T, 3.0, N);
      g.time_stretch = 3.0;
      double Y[2];
      for (double t : g.nodes) {
        f.exact(t, Y);
        g.states.insert(g.states.end(), {Y[0], Y[1]});
      }
      f.exact(0.0, Y);
      g.left_free = {Y[1]};
      const auto dc = fixed_mesh_solve(pb, g, ErrorEstimate::DeferredCorrection);
      const auto hv = fixed_mesh_solve(pb, g, ErrorEstimate::Halving);
      check_ratio("fast stable mode k=200", dc, hv, true_error(pb, dc.solution, exact, Y[1]));
    }
  }
}

TEST_CASE("Collocation error: adaptive solves with deferred correction reach the tolerance",
          "[collocation][error]") {
  // The refinement by the deferred-correction estimate (no halved-mesh solve): the answer's true
  // error is within 2× the tolerance, on the kinked problem from a coarse mesh.
  const double tb = 1.7;
  const Manufactured m = kinked_problem(tb);
  const auto pb = m.problem();
  double Y0[2];
  m.exact(0.0, Y0);
  MeshSolution g;
  g.nodes = stretched_uniform_mesh(0.0, m.T, 1.0, 8, {tb});
  for (size_t i = 0; i < g.nodes.size(); ++i) g.states.insert(g.states.end(), {0.0, 0.0});
  g.left_free = {0.0};
  for (double tol : {1e-6, 1e-9}) {
    CollocationOptions o;
    o.error_estimate = ErrorEstimate::DeferredCorrection;
    o.tolerance = tol;
    o.break_points = {tb};
    const auto s = solve_collocation(pb, g, o);
    INFO(s.brief_report() << "\n" << s.message);
    REQUIRE(s.termination == BvpTermination::Converged);
    const double truth = true_error(pb, s.solution, m.exact, Y0[1]);
    std::cout << "[collocation error] adaptive, kinked, tol " << tol << ": " << s.intervals
              << " intervals, estimate " << s.error.scaled_max << ", true " << truth << "\n";
    CHECK(s.error.scaled_max <= tol);
    CHECK(truth <= 2.0 * tol);
    CHECK(std::count(s.solution.nodes.begin(), s.solution.nodes.end(), tb) == 1);
  }
}

TEST_CASE("Collocation error: deferred correction agrees with halving on model paths",
          "[collocation][error][transition]") {
  // The baseline path and γR/γE = 1e4 at a loose tolerance (the error is discretisation, not
  // rounding): the same meshes, and the path estimates of the two methods within 25 % (measured
  // 0.88–0.92), each above the true error at the nodes (against a tight halving solve).
  for (const double ratio : {1.0, 1e4}) {
    footloose::Parameters p;
    p.gamma_R = ratio * p.gamma_E;
    const footloose::TradePath path;
    const footloose::InitialStateSpec autarky;
    footloose::TransitionOptions o;
    o.tolerance = 1e-6;
    o.error_estimate = ErrorEstimate::DeferredCorrection;
    const auto dc = footloose::solve_transition(p, path, autarky, o);
    o.error_estimate = ErrorEstimate::Halving;
    const auto halving = footloose::solve_transition(p, path, autarky, o);
    INFO("gamma_R/gamma_E " << ratio << "\nDC: " << dc.bvp.brief_report()
                            << "\nhalving: " << halving.bvp.brief_report());
    REQUIRE(dc.converged);
    REQUIRE(halving.converged);
    REQUIRE(dc.error_estimate.available);
    CHECK(dc.bvp.solution.nodes == halving.bvp.solution.nodes);
    const double ratio_of_estimates = dc.error_estimate.path / halving.error_estimate.path;
    std::cout << "[collocation error] model path gamma_R/gamma_E = " << ratio
              << ": path estimate deferred correction / halving " << ratio_of_estimates << "\n";
    CHECK(ratio_of_estimates > 0.75);
    CHECK(ratio_of_estimates < 1.25);
    // aR∞'s estimate against the difference to a tight solve.
    o.tolerance = 1e-11;
    const auto tight = footloose::solve_transition(p, path, autarky, o);
    REQUIRE(tight.converged);
    const double aR_error = std::fabs(dc.aR_inf - tight.aR_inf);
    std::cout << "[collocation error]   aR_inf: estimate " << dc.error_estimate.aR_inf << ", true "
              << aR_error << "\n";
    CHECK(dc.error_estimate.aR_inf >= 0.5 * aR_error);
    CHECK(dc.error_estimate.aR_inf <= 4.0 * aR_error + 1e-14);
  }
}

TEST_CASE("Collocation error: a warm start on the answer's mesh reuses its truncation stencils",
          "[collocation][error]") {
  // The stencils depend on the mesh only: the answer's factorisation keeps them, a solve from it
  // on the same mesh uses that object, and its estimate still meets the true error (closed form).
  const Manufactured m = smooth_problem();
  const auto pb = m.problem();
  double Y0[2];
  m.exact(0.0, Y0);
  CollocationOptions o;
  o.adapt_mesh = false;
  o.tolerance = 1.0;
  o.newton_tolerance = 1e-14;
  o.error_estimate = ErrorEstimate::DeferredCorrection;
  const auto first =
      solve_collocation(pb, m.exact_guess(stretched_uniform_mesh(0.0, m.T, 1.0, 20)), o);
  REQUIRE(first.is_usable());
  REQUIRE(first.factorisation);
  REQUIRE(first.factorisation->truncation_stencils);
  const auto again = solve_collocation(pb, first.solution, o, first.factorisation);
  REQUIRE(again.is_usable());
  REQUIRE(again.error.available);
  REQUIRE(again.factorisation);
  CHECK(again.factorisation->truncation_stencils == first.factorisation->truncation_stencils);
  const double truth = true_error(pb, again.solution, m.exact, Y0[1]);
  CHECK(again.error.scaled_max >= 0.9 * truth);
  CHECK(again.error.scaled_max <= 1.2 * truth);
  // A perturbed guess whose chord steps are refused: exact Newton, a new factorisation (same
  // mesh), the same stencils.
  MeshSolution perturbed = first.solution;
  for (double& y : perturbed.states) y *= 1.0 + 1e-6;
  o.chord_contraction = 1e-12;
  const auto exact_newton = solve_collocation(pb, perturbed, o, first.factorisation);
  REQUIRE(exact_newton.is_usable());
  REQUIRE(exact_newton.factorisation);
  CHECK(exact_newton.factorisation != first.factorisation);
  CHECK(exact_newton.factorisation->truncation_stencils ==
        first.factorisation->truncation_stencils);
  // Another mesh or other break points: the stencils do not fit.
  std::vector<double> xi;
  for (int i = 0; i <= 20; ++i) xi.push_back(i / 20.0);
  const TruncationErrorStencils stencils(xi, {});
  CHECK(stencils.fits(xi, {}));
  CHECK(stencils.fits(xi, {0, 20}));  // the ends are no break points
  CHECK_FALSE(stencils.fits(xi, {7}));
  xi[3] += 1e-3;
  CHECK_FALSE(stencils.fits(xi, {}));
}

TEST_CASE("Collocation error: stencils and truncation error with a WorkerTeam, the same bits",
          "[collocation][error][threads]") {
  // A nonuniform mesh with break points that leave pieces of one, two and many intervals (no
  // stencil, five points, seven points): the weights built with teams of 2 and 3 threads give
  // the same τ bits as those built on the calling thread, evaluated with or without a team.
  std::vector<double> xi{0.0};
  for (int i = 0; i < 41; ++i) xi.push_back(xi.back() + 0.01 * (1.0 + 0.7 * std::sin(1.3 * i)));
  const int N = static_cast<int>(xi.size()) - 1, n = 3;
  const std::vector<int> breaks{17, 3, 5, 6, 30, 0, N};
  std::vector<double> slopes;
  for (int k = 0; k <= 2 * N; ++k) {
    const double x = k % 2 == 0 ? xi[k / 2] : 0.5 * (xi[k / 2] + xi[k / 2 + 1]);
    for (int j = 0; j < n; ++j) slopes.push_back(std::exp((j + 1) * x) * std::cos(5.0 * x + j));
  }
  const std::vector<double> typical{1.0, 0.5, 3.0};
  const TruncationErrorStencils serial(xi, breaks);
  const std::vector<double> expected = serial.truncation_error(slopes, typical, 2);
  // Zero: the left and right rows and the rows of the one-interval piece [5, 6] only.
  REQUIRE(std::count(expected.begin(), expected.end(), 0.0) == static_cast<long>(n + 2 + 2 * n));
  WorkerTeam two(2), three(3);
  for (WorkerTeam* team : {&two, &three}) {
    CAPTURE(team->threads());
    const TruncationErrorStencils built(xi, breaks, team);
    CHECK(built.fits(xi, breaks));
    const std::vector<double> with_team = built.truncation_error(slopes, typical, 2, team);
    const std::vector<double> without = built.truncation_error(slopes, typical, 2);
    const std::vector<double> serial_with_team = serial.truncation_error(slopes, typical, 2, team);
    REQUIRE(with_team.size() == expected.size());
    CHECK(std::memcmp(with_team.data(), expected.data(), sizeof(double) * expected.size()) == 0);
    CHECK(std::memcmp(without.data(), expected.data(), sizeof(double) * expected.size()) == 0);
    CHECK(std::memcmp(serial_with_team.data(), expected.data(), sizeof(double) * expected.size()) ==
          0);
  }
}

TEST_CASE("Collocation error: solves with CollocationOptions::team give the same answer",
          "[collocation][error][threads]") {
  // Bratu's problem (tests/bratu_problem.hpp) with mesh adaptation, the deferred-correction
  // estimate and a warm start from the kept factorisation (chord steps, stencils reused): with
  // teams of 2 and 3 threads, the same bits as without a team.
  const auto pb = footloose::testing::bratu(2.0);
  MeshSolution guess;
  for (int i = 0; i <= 12; ++i) {
    const double x = i / 12.0;
    guess.nodes.push_back(x);
    guess.states.push_back(0.5 * x * (1.0 - x));
    guess.states.push_back(0.5 - x);
  }
  guess.left_free = {0.5};
  CollocationOptions o;
  o.tolerance = 1e-10;
  o.error_estimate = ErrorEstimate::DeferredCorrection;
  const auto serial = solve_collocation(pb, guess, o);
  REQUIRE(serial.is_usable());
  REQUIRE(serial.factorisation);
  MeshSolution nearby = serial.solution;
  for (double& y : nearby.states) y *= 1.0 + 1e-7;
  const auto serial_warm = solve_collocation(pb, nearby, o, serial.factorisation);
  REQUIRE(serial_warm.is_usable());
  CHECK(serial_warm.chord_iterations > 0);
  const auto same = [](const BvpSummary& a, const BvpSummary& b) {
    return a.solution.nodes == b.solution.nodes && a.solution.states == b.solution.states &&
           a.solution.midpoints == b.solution.midpoints &&
           a.solution.left_free == b.solution.left_free &&
           a.newton_iterations == b.newton_iterations && a.chord_iterations == b.chord_iterations &&
           a.error.scaled_max == b.error.scaled_max;
  };
  WorkerTeam two(2), three(3);
  for (WorkerTeam* team : {&two, &three}) {
    CAPTURE(team->threads());
    CollocationOptions ot = o;
    ot.team = team;
    const auto threaded = solve_collocation(pb, guess, ot);
    REQUIRE(threaded.is_usable());
    CHECK(same(threaded, serial));
    // A warm start from the factorisation made without a team, and one made with it.
    CHECK(same(solve_collocation(pb, nearby, ot, serial.factorisation), serial_warm));
    CHECK(same(solve_collocation(pb, nearby, o, threaded.factorisation), serial_warm));
  }
}
