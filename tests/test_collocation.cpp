// Hermite–Simpson collocation (solvers/collocation.hpp), the second, independent BVP method:
// closed-form solutions (linear saddle, Bratu), its order of convergence on uniform and graded
// meshes, the mesh-halving error estimate, and agreement with multiple shooting.
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <stdexcept>

#include "solvers/collocation.hpp"
#include "solvers/linearization.hpp"
#include "solvers/multiple_shooting.hpp"

using namespace footloose::solvers;

namespace {

std::vector<double> uniform_mesh(double a, double b, int intervals) {
  std::vector<double> t(intervals + 1);
  for (int i = 0; i <= intervals; ++i) t[i] = a + (b - a) * i / intervals;
  t.back() = b;
  return t;
}

ShootingGuess constant_guess(const BoundaryValueProblem& pb, const std::vector<double>& mesh,
                             const std::vector<double>& state, const std::vector<double>& z,
                             const std::vector<double>& params) {
  ShootingGuess g;
  g.nodes = mesh;
  for (size_t i = 0; i < mesh.size(); ++i) g.states.insert(g.states.end(), state.begin(), state.end());
  g.left_free = z;
  g.params = params;
  (void)pb;
  return g;
}

// Max over nodes and components of |y − exact(t)|.
template <class Exact>
double max_error(const ShootingGuess& s, int n, Exact exact) {
  double e = 0.0;
  std::vector<double> y(n);
  for (size_t i = 0; i < s.nodes.size(); ++i) {
    exact(s.nodes[i], y.data());
    for (int j = 0; j < n; ++j) e = std::max(e, std::fabs(s.states[i * n + j] - y[j]));
  }
  return e;
}

// ---- (1) linear saddle: y1' = y2, y2' = y1 on [0, T]; y1(0) = 1, y1(T) + y2(T) = 0 ----------
// General solution A e^t (1, 1) + B e^{−t} (1, −1); the right condition kills the growing mode,
// so y = e^{−t} (1, −1) exactly.
BoundaryValueProblem linear_saddle() {
  BoundaryValueProblem pb;
  pb.state_size = 2;
  pb.left_free_size = 1;
  pb.parameter_size = 0;
  pb.rhs = [](double, const double* y, double* f) {
    f[0] = y[1];
    f[1] = y[0];
  };
  pb.left_state = [](const double* z, double* y) {
    y[0] = 1.0;
    y[1] = z[0];
  };
  pb.right_residual = [](const double* y, const double*, double* r) { r[0] = y[0] + y[1]; };
  pb.typical_state = {1.0, 1.0};
  pb.typical_left_free = {1.0};
  return pb;
}
void linear_saddle_exact(double t, double* y) {
  y[0] = std::exp(-t);
  y[1] = -std::exp(-t);
}

// ---- (2) Bratu: u'' = −λ e^u on [0, 1], u(0) = u(1) = 0 -----------------------------------------
// u(x) = −2 ln[cosh((x − ½)θ/2) / cosh(θ/4)] solves it when λ = θ² / (2 cosh²(θ/4)); θ < 4.80 is
// the lower branch, θ > 4.80 the upper one (both exist for λ < 3.51).
BoundaryValueProblem bratu(double lambda) {
  BoundaryValueProblem pb;
  pb.state_size = 2;
  pb.left_free_size = 1;
  pb.rhs = [lambda](double, const double* y, double* f) {
    f[0] = y[1];
    f[1] = -lambda * std::exp(y[0]);
  };
  pb.left_state = [](const double* z, double* y) {
    y[0] = 0.0;
    y[1] = z[0];
  };
  pb.right_residual = [](const double* y, const double*, double* r) { r[0] = y[0]; };
  pb.typical_state = {1.0, 1.0};
  pb.typical_left_free = {1.0};
  return pb;
}
double bratu_lambda(double theta) {
  const double c = std::cosh(theta / 4.0);
  return theta * theta / (2.0 * c * c);
}
auto bratu_exact(double theta) {
  return [theta](double x, double* y) {
    y[0] = -2.0 * std::log(std::cosh((x - 0.5) * theta / 2.0) / std::cosh(theta / 4.0));
    y[1] = -theta * std::tanh((x - 0.5) * theta / 2.0);
  };
}

// ---- (3) a relocation-like saddle with a line of steady states --------------------------------
// States (k, x) and co-states (v, q), mimicking (M7): x ≥ 0 drives the "profit gap" through x^{1/3}
// (the t^{1/3}-type behaviour of aR^θ near t = 0), and the rhs throws for x < 0:
//   k' = v − 1,  x' = q,  v' = r v − π,  q' = r q − c (π − r),
//   π = r + α tanh(1 − k − x^{1/3}) (1 + x).
// Steady states: the curve ȳ(s) = (1 − s^{1/3}, s, 1, 0); spectrum {λ−, 0, r, λ+}. Left: k(0) = k0,
// x(0) = 0, free (v0, q0), and y(ε) by one Euler step of length ε from t = 0 (as the transition
// path does). Right: the deviation from ȳ(s) has no unstable and no centre component; s is the
// parameter. n = 4 = 2m, m + p = 3 right residuals.
struct RelocationToy {
  double r = 0.1, alpha = 0.5, c = 1.0, k0 = 0.5, eps = 1e-12;

  void field(const double* y, double* f) const {
    if (y[1] < 0.0) throw std::domain_error("x < 0");
    const double pi = r + alpha * std::tanh(1.0 - y[0] - std::cbrt(y[1])) * (1.0 + y[1]);
    f[0] = y[2] - 1.0;
    f[1] = y[3];
    f[2] = r * y[2] - pi;
    f[3] = r * y[3] - c * (pi - r);
  }
  std::vector<double> steady(double s) const { return {1.0 - std::cbrt(s), s, 1.0, 0.0}; }

  BoundaryValueProblem problem() const {
    BoundaryValueProblem pb;
    pb.state_size = 4;
    pb.left_free_size = 2;
    pb.parameter_size = 1;
    const RelocationToy self = *this;
    pb.rhs = [self](double, const double* y, double* f) { self.field(y, f); };
    pb.left_state = [self](const double* z, double* y) {
      const double y0[4] = {self.k0, 0.0, z[0], z[1]};
      double f[4];
      self.field(y0, f);
      for (int i = 0; i < 4; ++i) y[i] = y0[i] + self.eps * f[i];
    };
    pb.typical_state = {1.0, 0.1, 1.0, 0.1};
    pb.positive_state = {false, true, false, false};  // x ≥ 0 (difference steps keep its sign)
    pb.typical_left_free = {1.0, 0.1};
    pb.typical_params = {0.1};
    const std::vector<double> typ = pb.typical_state;
    pb.right_residual = [self, typ](const double* yT, const double* s, double* res) {
      if (!(s[0] > 0.0)) throw std::domain_error("s <= 0");
      const std::vector<double> ybar = self.steady(s[0]);
      const VectorField f = [&self](const double* y, double* out) { self.field(y, out); };
      Eigen::MatrixXd J = jacobian_central(f, ybar, typ, 1e-6);
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) J(i, j) *= typ[j] / typ[i];
      const SpectralSplit split = split_spectrum(J, 1e-7 * (1.0 + J.cwiseAbs().maxCoeff()));
      if (split.unstable != 2 || split.center != 1) throw std::runtime_error("not a saddle");
      Eigen::VectorXd d(4);
      for (int i = 0; i < 4; ++i) d(i) = (yT[i] - ybar[i]) / typ[i];
      const Eigen::VectorXd ru = split.left_unstable * d, rc = split.left_center * d;
      res[0] = ru(0);
      res[1] = ru(1);
      res[2] = rc(0);
    };
    return pb;
  }

  // A crude guess: k relaxes to the guessed curve point, x rises, q decays.
  ShootingGuess guess(const std::vector<double>& mesh, double s_guess) const {
    ShootingGuess g;
    g.nodes = mesh;
    const std::vector<double> ybar = steady(s_guess);
    for (double t : mesh) {
      const double d = std::exp(-0.5 * t);
      g.states.insert(g.states.end(), {ybar[0] + (k0 - ybar[0]) * d, s_guess * (1.0 - d), 1.0,
                                       0.5 * s_guess * d});
    }
    g.left_free = {1.0, 0.5 * s_guess};
    g.params = {s_guess};
    return g;
  }
};

// ε, then geometric spacing with the given ratio from t_first up to 1, then uniform steps ≤ h_max.
std::vector<double> graded_mesh(double eps, double t_first, double ratio, double h_max, double T) {
  return geometric_then_uniform_mesh(eps, t_first, 1.0, ratio, h_max, T);
}

ShootingOptions accurate_shooting() {
  ShootingOptions so;
  so.rtol = 1e-12;
  so.atol_factor = 1e-2;
  so.newton.function_tolerance = 1e-11;
  return so;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("Collocation: linear saddle BVP converges at fourth order to e^{-t}",
          "[collocation]") {
  const auto pb = linear_saddle();
  std::vector<double> errors, dense_errors;
  for (int N : {50, 100, 200, 400, 800}) {
    const auto mesh = uniform_mesh(0.0, 10.0, N);
    const auto s = solve_collocation(pb, constant_guess(pb, mesh, {0.0, 0.0}, {0.0}, {}));
    INFO(s.brief_report());
    REQUIRE(s.converged);
    CHECK(s.iterations <= 2);  // linear: one Newton step (FD Jacobian exact up to rounding)
    errors.push_back(max_error(s.solution, 2, linear_saddle_exact));
    // Dense output (the cubic collocation polynomial) at the interval midpoints.
    std::vector<double> mids;
    for (int i = 0; i < N; ++i) mids.push_back(0.5 * (mesh[i] + mesh[i + 1]));
    const auto ym = evaluate_collocation_solution(pb, s.solution, mids);
    double de = 0.0;
    for (size_t k = 0; k < mids.size(); ++k) {
      double y[2];
      linear_saddle_exact(mids[k], y);
      de = std::max({de, std::fabs(ym[2 * k] - y[0]), std::fabs(ym[2 * k + 1] - y[1])});
    }
    dense_errors.push_back(de);
  }
  for (size_t k = 0; k + 1 < errors.size(); ++k) {
    const double ratio = errors[k] / errors[k + 1];
    const double dense_ratio = dense_errors[k] / dense_errors[k + 1];
    std::cout << "[collocation] linear saddle N=" << 50 * (1 << k) << " error " << errors[k]
              << " ratio " << ratio << " (order " << std::log2(ratio) << "); dense error "
              << dense_errors[k] << " ratio " << dense_ratio << "\n";
    CHECK(ratio > 14.0);
    CHECK(ratio < 18.0);
    CHECK(dense_ratio > 14.0);
    CHECK(dense_ratio < 18.0);
  }
  std::cout << "[collocation] linear saddle N=800 error " << errors.back() << "\n";
  // Defects of the exact solution sampled on the mesh: local truncation error, O(h^5).
  std::vector<double> defects;
  for (int N : {50, 100}) {
    ShootingGuess exact;
    exact.nodes = uniform_mesh(0.0, 10.0, N);
    for (double t : exact.nodes) {
      double y[2];
      linear_saddle_exact(t, y);
      exact.states.insert(exact.states.end(), {y[0], y[1]});
    }
    exact.left_free = {-1.0};
    const auto d = collocation_defects(pb, exact);
    REQUIRE(d.size() == static_cast<size_t>(N));
    defects.push_back(d.front());  // largest where e^{-t} is largest
  }
  std::cout << "[collocation] linear saddle local defect ratio " << defects[0] / defects[1] << "\n";
  CHECK(defects[0] / defects[1] > 28.0);  // 32 · e^{-O(h)}: first interval shrinks
  CHECK(defects[0] / defects[1] < 34.0);
  CHECK(errors[3] < 1e-9);   // N = 400
  CHECK(errors.back() < 2e-11);
}

TEST_CASE("Collocation: Bratu problem, both branches, against the closed form",
          "[collocation]") {
  for (double theta : {1.0, 8.0}) {  // lower and upper branch
    const double lambda = bratu_lambda(theta);
    const auto pb = bratu(lambda);
    const auto exact = bratu_exact(theta);
    double y_peak[2];
    exact(0.5, y_peak);
    std::vector<double> errors;
    for (int N : {20, 40, 80, 160}) {
      const auto mesh = uniform_mesh(0.0, 1.0, N);
      // Guess: a parabola with 1.3 × the true peak (upper branch) or zero (lower branch).
      ShootingGuess g;
      g.nodes = mesh;
      const double peak = theta > 4.8 ? 1.3 * y_peak[0] : 0.0;
      for (double x : mesh) g.states.insert(g.states.end(), {4 * peak * x * (1 - x), 4 * peak * (1 - 2 * x)});
      g.left_free = {4 * peak};
      const auto s = solve_collocation(pb, g);
      INFO("theta " << theta << ", N " << N << ": " << s.brief_report());
      REQUIRE(s.converged);
      errors.push_back(max_error(s.solution, 2, exact));
    }
    for (size_t k = 0; k + 1 < errors.size(); ++k) {
      const double ratio = errors[k] / errors[k + 1];
      std::cout << "[collocation] Bratu theta=" << theta << " lambda=" << lambda
                << " N=" << 20 * (1 << k) << " error " << errors[k] << " ratio " << ratio << "\n";
      CHECK(ratio > 13.0);
      CHECK(ratio < 19.0);
    }
    CHECK(errors.back() < (theta > 4.8 ? 1e-7 : 1e-10));
  }
}

TEST_CASE("Collocation: mesh-halving estimate tracks the true error", "[collocation]") {
  const double theta = 8.0;
  const auto pb = bratu(bratu_lambda(theta));
  const auto exact = bratu_exact(theta);
  const auto mesh = uniform_mesh(0.0, 1.0, 40);
  ShootingGuess g;
  g.nodes = mesh;
  for (double x : mesh) {
    double y[2];
    exact(x, y);
    g.states.insert(g.states.end(), {y[0], y[1]});  // start at the exact solution
  }
  g.left_free = {g.states[1]};
  const auto est = estimate_discretisation_error(pb, g);
  INFO(est.brief_report());
  REQUIRE(est.converged);
  const double coarse_error = max_error(est.coarse.solution, 2, exact);
  const double fine_error = max_error(est.fine.solution, 2, exact);
  std::cout << "[collocation] halving estimate: " << est.brief_report()
            << "; true coarse error " << coarse_error << ", true fine error " << fine_error << "\n";
  CHECK(est.coarse_error_estimate() / coarse_error > 0.8);
  CHECK(est.coarse_error_estimate() / coarse_error < 1.25);
  CHECK(est.fine_error_estimate() / fine_error > 0.6);
  CHECK(est.fine_error_estimate() / fine_error < 1.6);
}

TEST_CASE("Collocation agrees with multiple shooting on the generic test problems",
          "[collocation]") {
  const ShootingOptions so = accurate_shooting();
  SECTION("linear saddle") {
    const auto pb = linear_saddle();
    const auto mesh = uniform_mesh(0.0, 10.0, 800);
    const auto c = solve_collocation(pb, constant_guess(pb, mesh, {0.0, 0.0}, {0.0}, {}));
    REQUIRE(c.converged);
    // Shooting on 41 nodes from a crude non-zero guess (KINSOL's default maximal step is
    // relative to the guess's norm, so an all-zero guess stalls it).
    const auto nodes = uniform_mesh(0.0, 10.0, 40);
    const auto sh = solve_multiple_shooting(pb, constant_guess(pb, nodes, {0.5, -0.5}, {-0.5}, {}), so);
    INFO(sh.brief_report());
    REQUIRE(sh.converged);
    const auto yc = evaluate_collocation_solution(pb, c.solution, nodes);
    double d = std::fabs(c.solution.left_free[0] - sh.solution.left_free[0]);
    for (size_t k = 0; k < yc.size(); ++k) d = std::max(d, std::fabs(yc[k] - sh.solution.states[k]));
    std::cout << "[collocation] vs shooting, linear saddle: max difference " << d
              << " (collocation error " << max_error(c.solution, 2, linear_saddle_exact)
              << ", shooting error " << max_error(sh.solution, 2, linear_saddle_exact) << ")\n";
    CHECK(d < 1e-8);
  }
  SECTION("Bratu, upper branch") {
    const double theta = 8.0;
    const auto pb = bratu(bratu_lambda(theta));
    const auto mesh = uniform_mesh(0.0, 1.0, 400);
    ShootingGuess g;
    g.nodes = mesh;
    for (double x : mesh) g.states.insert(g.states.end(), {10 * x * (1 - x), 10 * (1 - 2 * x)});
    g.left_free = {10.0};
    const auto c = solve_collocation(pb, g);
    INFO(c.brief_report());
    REQUIRE(c.converged);
    // Shooting on a coarser node set, from the collocation solution's node values.
    ShootingGuess gs;
    for (size_t i = 0; i < mesh.size(); i += 20) {
      gs.nodes.push_back(mesh[i]);
      gs.states.insert(gs.states.end(), {g.states[2 * i], g.states[2 * i + 1]});
    }
    gs.left_free = g.left_free;
    const auto sh = solve_multiple_shooting(pb, gs, so);
    INFO(sh.brief_report());
    REQUIRE(sh.converged);
    const auto yc = evaluate_collocation_solution(pb, c.solution, sh.solution.nodes);
    double d = std::fabs(c.solution.left_free[0] - sh.solution.left_free[0]);
    for (size_t k = 0; k < yc.size(); ++k) d = std::max(d, std::fabs(yc[k] - sh.solution.states[k]));
    std::cout << "[collocation] vs shooting, Bratu upper branch: max difference " << d << "\n";
    CHECK(d < 1e-8);
  }
  SECTION("relocation-like saddle: graded mesh, Euler start, curve parameter") {
    const RelocationToy toy;
    const auto pb = toy.problem();
    const double T = 40.0;
    const auto t0 = std::chrono::steady_clock::now();
    const auto mesh = graded_mesh(toy.eps, 1e-9, 1.044, 0.0625, T);
    const auto c = solve_collocation(pb, toy.guess(mesh, 0.05));
    INFO(c.brief_report());
    REQUIRE(c.converged);
    const double t_coll = seconds_since(t0);
    const auto shooting_mesh = graded_mesh(toy.eps, 1e-3, 4.0, 1.0, T);
    // The crude guess sends CVODE into x < 0 from some nodes (an unstable saddle integrated from
    // off-path states), so shooting starts from the collocation solution on its own nodes; its
    // converged values are those of its own discretisation, independent of the start.
    ShootingGuess gs = c.solution;
    gs.nodes = shooting_mesh;
    gs.states = evaluate_collocation_solution(pb, c.solution, shooting_mesh);
    const auto t1 = std::chrono::steady_clock::now();
    const auto sh = solve_multiple_shooting(pb, gs, so);
    INFO(sh.brief_report());
    REQUIRE(sh.converged);
    const double t_shoot = seconds_since(t1);
    // Shooting's trajectory (CVODE from its node values) at the collocation nodes.
    const std::vector<double> times(c.solution.nodes.begin() + 1, c.solution.nodes.end());
    const auto ys = evaluate_shooting_solution(pb, sh.solution, times, so);
    double d = 0.0;
    for (size_t k = 0; k < ys.size(); ++k) d = std::max(d, std::fabs(c.solution.states[k + 4] - ys[k]));
    for (int j = 0; j < 2; ++j)
      d = std::max(d, std::fabs(c.solution.left_free[j] - sh.solution.left_free[j]));
    d = std::max(d, std::fabs(c.solution.params[0] - sh.solution.params[0]));
    std::cout << "[collocation] vs shooting, relocation toy: s = " << c.solution.params[0]
              << ", q0 = " << c.solution.left_free[1] << ", max difference " << d << " ("
              << mesh.size() - 1 << " collocation intervals, " << c.iterations
              << " Newton iterations, " << t_coll << " s; shooting " << t_shoot << " s)\n";
    CHECK(c.solution.params[0] > 0.0);
    CHECK(d < 1e-8);
  }
}

TEST_CASE("Collocation: graded mesh recovers fourth order despite the x^{1/3} start",
          "[collocation]") {
  const RelocationToy toy;
  const auto pb = toy.problem();
  const double T = 40.0;
  std::vector<ShootingGuess> solutions;
  auto mesh = graded_mesh(toy.eps, 1e-9, std::sqrt(2.0), 0.5, T);
  ShootingGuess g = toy.guess(mesh, 0.05);
  for (int level = 0; level < 3; ++level) {
    const auto c = solve_collocation(pb, g);
    INFO(c.brief_report());
    REQUIRE(c.converged);
    solutions.push_back(c.solution);
    // Next level: every interval halved, started from this solution.
    g.nodes = halve_mesh(mesh);
    g.states = evaluate_collocation_solution(pb, c.solution, g.nodes);
    g.left_free = c.solution.left_free;
    g.params = c.solution.params;
    mesh = g.nodes;
  }
  // Reference: multiple shooting with tight CVODE tolerances (independent numerics), started
  // from the finest collocation solution on its own nodes.
  ShootingGuess gs = solutions.back();
  gs.nodes = graded_mesh(toy.eps, 1e-3, 4.0, 1.0, T);
  gs.states = evaluate_collocation_solution(pb, solutions.back(), gs.nodes);
  const auto sh = solve_multiple_shooting(pb, gs, accurate_shooting());
  INFO(sh.brief_report());
  REQUIRE(sh.converged);
  std::vector<double> errors;
  for (const auto& c : solutions) {
    // Error in the free unknowns (v0, q0) and the curve point s: global quantities.
    double e = std::fabs(c.params[0] - sh.solution.params[0]);
    for (int j = 0; j < 2; ++j) e = std::max(e, std::fabs(c.left_free[j] - sh.solution.left_free[j]));
    errors.push_back(e);
    std::cout << "[collocation] relocation toy, " << c.nodes.size() - 1
              << " intervals: error in (v0, q0, s) " << e << "\n";
  }
  for (size_t k = 0; k + 1 < errors.size(); ++k) {
    const double ratio = errors[k] / errors[k + 1];
    std::cout << "[collocation] relocation toy ratio " << ratio << " (order " << std::log2(ratio) << ")\n";
    CHECK(ratio > 11.0);
    CHECK(ratio < 22.0);
  }
}

TEST_CASE("Collocation: failures are reported, and throwing rhs only rejects trial steps",
          "[collocation]") {
  SECTION("iteration limit") {
    const auto pb = bratu(bratu_lambda(8.0));
    const auto mesh = uniform_mesh(0.0, 1.0, 40);
    ShootingGuess g;
    g.nodes = mesh;
    for (double x : mesh) g.states.insert(g.states.end(), {10 * x * (1 - x), 10 * (1 - 2 * x)});
    g.left_free = {10.0};
    CollocationOptions o;
    o.max_iterations = 1;
    const auto s = solve_collocation(pb, g, o);
    CHECK_FALSE(s.converged);
    CHECK(s.iterations == 1);
    CHECK(s.message.find("maximum") != std::string::npos);
  }
  SECTION("rhs throws at the initial guess") {
    const RelocationToy toy;
    const auto pb = toy.problem();
    auto g = toy.guess(graded_mesh(toy.eps, 1e-6, 4.0, 2.0, 20.0), 0.05);
    g.states[5 * 4 + 1] = -1.0;  // x < 0 at node 5
    const auto s = solve_collocation(pb, g);
    CHECK_FALSE(s.converged);
    CHECK(s.message.find("initial guess") != std::string::npos);
  }
  SECTION("a domain boundary in the way of the full Newton step") {
    // u' = u, v' = ln u − t on [0, 1]; u(0) = z free, v(0) = 0, v(1) = 0. Then v(1) = ln z, so
    // z = 1: u = e^t, v = 0. From z = 3 the full Newton step (z ← 3 − 3 ln 3 < 0 for the scalar
    // problem) leaves u > 0, where the rhs throws: the line search must back off.
    for (bool flagged : {false, true}) {
      BoundaryValueProblem pb;
      pb.state_size = 2;
      pb.left_free_size = 1;
      int evaluations_outside = 0;
      pb.rhs = [&evaluations_outside](double t, const double* y, double* f) {
        if (!(y[0] > 0.0)) {
          ++evaluations_outside;
          throw std::domain_error("u <= 0");
        }
        f[0] = y[0];
        f[1] = std::log(y[0]) - t;
      };
      pb.left_state = [](const double* z, double* y) {
        y[0] = z[0];
        y[1] = 0.0;
      };
      pb.right_residual = [](const double* y, const double*, double* r) { r[0] = y[1]; };
      pb.typical_state = {1.0, 1.0};
      pb.typical_left_free = {1.0};
      if (flagged) pb.positive_state = {true, false};
      const auto mesh = uniform_mesh(0.0, 1.0, 50);
      ShootingGuess g;
      g.nodes = mesh;
      for (double t : mesh) g.states.insert(g.states.end(), {3.0 * std::exp(t), 0.0});
      g.left_free = {3.0};
      const auto s = solve_collocation(pb, g);
      INFO(s.brief_report());
      REQUIRE(s.converged);
      CHECK(s.trial_failures > 0);
      // With positive_state the rhs is never called outside its domain.
      if (flagged) CHECK(evaluations_outside == 0);
      const double e = max_error(s.solution, 2, [](double t, double* y) {
        y[0] = std::exp(t);
        y[1] = 0.0;
      });
      std::cout << "[collocation] domain-limited problem (positive_state " << flagged
                << "): " << s.brief_report() << ", error " << e << "\n";
      CHECK(std::fabs(s.solution.left_free[0] - 1.0) < 1e-9);
      CHECK(e < 1e-8);
    }
  }
}
