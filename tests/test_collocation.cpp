// Global collocation (solvers/collocation.hpp), the second, independent BVP method: closed-form
// solutions (linear saddle, Bratu, a boundary layer), its fourth order on fixed meshes (uniform in
// t, and uniform in the stretched variable ξ for a t^{1/3} start), the mesh-halving error
// estimate, adaptive solves to a tolerance, agreement with multiple shooting, and failures
// reported by their termination enum.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <functional>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "solvers/collocation.hpp"
#include "solvers/linearization.hpp"
#include "solvers/multiple_shooting.hpp"
#include "tests/bratu_problem.hpp"

using namespace footloose::solvers;

namespace {

std::vector<double> uniform_mesh(double a, double b, int intervals) {
  std::vector<double> t(intervals + 1);
  for (int i = 0; i <= intervals; ++i) t[i] = a + (b - a) * i / intervals;
  t.back() = b;
  return t;
}

MeshSolution constant_guess(const std::vector<double>& mesh, const std::vector<double>& state,
                            const std::vector<double>& z, const std::vector<double>& params) {
  MeshSolution g;
  g.nodes = mesh;
  for (size_t i = 0; i < mesh.size(); ++i)
    g.states.insert(g.states.end(), state.begin(), state.end());
  g.left_free = z;
  g.params = params;
  return g;
}

// Options for a solve on the given mesh only (no adaptation, no estimate), Newton to near
// rounding so that the discretisation error is what is measured.
CollocationOptions fixed_mesh_options() {
  CollocationOptions o;
  o.adapt_mesh = false;
  o.estimate_error = false;
  o.newton_tolerance = 1e-14;
  return o;
}

// Max over nodes and components of |y − exact(t)|.
template <class Exact>
double max_error(const MeshSolution& s, int n, Exact exact) {
  double e = 0.0;
  std::vector<double> y(n);
  for (size_t i = 0; i < s.nodes.size(); ++i) {
    exact(s.nodes[i], y.data());
    for (int j = 0; j < n; ++j) e = std::max(e, std::fabs(s.states[i * n + j] - y[j]));
  }
  return e;
}

// The time of the ξ-midpoint of interval i (t = t_0 + L ξ^p), where the solver keeps y_{i½}.
double midpoint_time(const MeshSolution& s, size_t i) {
  const double t0 = s.nodes.front(), L = s.nodes.back() - t0, p = s.time_stretch;
  const auto xi = [&](double t) { return std::pow((t - t0) / L, 1.0 / p); };
  return t0 + L * std::pow(0.5 * (xi(s.nodes[i]) + xi(s.nodes[i + 1])), p);
}

// The points the error estimate looks at: the nodes, then the interval midpoints (in ξ).
std::vector<double> nodes_and_midpoints(const MeshSolution& s) {
  std::vector<double> t = s.nodes;
  for (size_t i = 0; i + 1 < s.nodes.size(); ++i) t.push_back(midpoint_time(s, i));
  return t;
}

// A known solution: the path, the left unknowns and the parameters.
struct Exact {
  std::function<void(double, double*)> y;
  std::vector<double> z, params;
};

// Scaled max difference in the free unknowns (z, params) only: global quantities.
double free_unknowns_difference(const BoundaryValueProblem& pb, const MeshSolution& a,
                                const MeshSolution& b) {
  double d = 0.0;
  for (size_t k = 0; k < a.left_free.size(); ++k)
    d = std::max(d, std::fabs(a.left_free[k] - b.left_free[k]) / pb.typical_left_free[k]);
  for (size_t k = 0; k < a.params.size(); ++k)
    d = std::max(d, std::fabs(a.params[k] - b.params[k]) / pb.typical_params[k]);
  return d;
}

// The true error of a solution measured as the estimate measures it: max over nodes,
// midpoints (the solver's own midpoint unknowns), z and params, each scaled by its typical size.
double scaled_true_error(const BoundaryValueProblem& pb, const MeshSolution& s, const Exact& ex) {
  const int n = pb.state_size;
  const size_t N = s.nodes.size() - 1;
  REQUIRE(s.midpoints.size() == N * n);
  double e = 0.0;
  std::vector<double> y(n);
  for (size_t k = 0; k <= 2 * N; ++k) {
    const bool node = k <= N;
    const double t = node ? s.nodes[k] : midpoint_time(s, k - N - 1);
    const double* ys = node ? &s.states[k * n] : &s.midpoints[(k - N - 1) * n];
    ex.y(t, y.data());
    for (int j = 0; j < n; ++j) e = std::max(e, std::fabs(ys[j] - y[j]) / pb.typical_state[j]);
  }
  MeshSolution exact_free;
  exact_free.left_free = ex.z;
  exact_free.params = ex.params;
  return std::max(e, free_unknowns_difference(pb, s, exact_free));
}

// Scaled max difference between a solution and a finer one (whose mesh contains the coarse
// nodes and midpoints): at the coarse nodes and midpoints, z and params.
double scaled_difference(const BoundaryValueProblem& pb, const MeshSolution& coarse,
                         const MeshSolution& fine) {
  const int n = pb.state_size;
  const size_t N = coarse.nodes.size() - 1;
  const auto times = nodes_and_midpoints(coarse);
  const auto yf = evaluate_collocation_solution(pb, fine, times);
  double d = 0.0;
  for (size_t k = 0; k <= 2 * N; ++k) {
    const double* yc = k <= N ? &coarse.states[k * n] : &coarse.midpoints[(k - N - 1) * n];
    for (int j = 0; j < n; ++j)
      d = std::max(d, std::fabs(yc[j] - yf[k * n + j]) / pb.typical_state[j]);
  }
  return std::max(d, free_unknowns_difference(pb, coarse, fine));
}

// ---- (1) linear saddle: y1' = y2, y2' = y1 on [0, T]; y1(0) = 1, y1(T) + y2(T) = 0 ----------
// General solution A e^t (1, 1) + B e^{−t} (1, −1); the right condition kills the growing mode,
// so y = e^{−t} (1, −1) exactly, z = y2(0) = −1.
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
// the lower branch, θ > 4.80 the upper one (both exist for λ < 3.51). z = u'(0) = θ tanh(θ/4).
using footloose::testing::bratu;  // tests/bratu_problem.hpp
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
// The crude start of the upper branch: a parabola of peak 2.5 (the true peak is 2.65 for θ = 8).
MeshSolution bratu_parabola_guess(const std::vector<double>& mesh) {
  MeshSolution g;
  g.nodes = mesh;
  for (double x : mesh) g.states.insert(g.states.end(), {10 * x * (1 - x), 10 * (1 - 2 * x)});
  g.left_free = {10.0};
  return g;
}

// ---- (3) boundary layer: ε y'' = y on [0, 1], y(0) = 1, y(1) = 0 -----------------------------
// y = sinh((1 − t)/s) / sinh(1/s), s = √ε: a layer of width s at t = 0. States (y, y'), with the
// analytic Jacobian (the other problems use the solver's difference Jacobian).
BoundaryValueProblem boundary_layer(double eps) {
  BoundaryValueProblem pb;
  pb.state_size = 2;
  pb.left_free_size = 1;
  pb.rhs = [eps](double, const double* y, double* f) {
    f[0] = y[1];
    f[1] = y[0] / eps;
  };
  pb.jacobian = [eps](double, const double*, double* J) {
    J[0] = 0.0;
    J[1] = 1.0;
    J[2] = 1.0 / eps;
    J[3] = 0.0;
  };
  pb.left_state = [](const double* z, double* y) {
    y[0] = 1.0;
    y[1] = z[0];
  };
  pb.right_residual = [](const double* y, const double*, double* r) { r[0] = y[0]; };
  pb.typical_state = {1.0, 1.0 / std::sqrt(eps)};
  pb.typical_left_free = {1.0 / std::sqrt(eps)};
  return pb;
}
Exact boundary_layer_exact(double eps) {
  const double s = std::sqrt(eps), q = std::exp(-2.0 / s);
  Exact ex;
  // sinh((1−t)/s)/sinh(1/s) = (e^{−t/s} − e^{(t−2)/s}) / (1 − e^{−2/s}), without overflow.
  ex.y = [s, q](double t, double* y) {
    const double a = std::exp(-t / s), b = std::exp((t - 2.0) / s);
    y[0] = (a - b) / (1.0 - q);
    y[1] = -(a + b) / (s * (1.0 - q));
  };
  ex.z = {-(1.0 + q) / (s * (1.0 - q))};
  return ex;
}

// ---- (4) a relocation-like saddle with a line of steady states --------------------------------
// States (k, x) and co-states (v, q), mimicking (M7): x ≥ 0 drives the "profit gap" through x^{1/3}
// (the t^{1/3}-type behaviour of aR^θ near t = 0), and the rhs throws for x < 0:
//   k' = v − 1,  x' = q,  v' = r v − π,  q' = r q − c (π − r),
//   π = r + α tanh(1 − k − x^{1/3}) (1 + x).
// Steady states: the curve ȳ(s) = (1 − s^{1/3}, s, 1, 0); spectrum {λ−, 0, r, λ+}. Left: k(0) = k0,
// x(0) = 0, free (v0, q0). With eps > 0 the problem starts at t = eps and y(eps) comes from one
// Euler step of length eps from t = 0 (as the transition path does); with eps = 0 the left state
// is exact at t = 0 (x ≈ q0 t there, so x^{1/3} ~ t^{1/3} and the path has t^{4/3} terms, which
// are smooth in ξ for t ∝ ξ³). Right: the deviation from ȳ(s) has no unstable and no centre
// component; s is the parameter. n = 4 = 2m, m + p = 3 right residuals.
struct RelocationToy {
  double r = 0.1, alpha = 0.5, c = 1.0, k0 = 0.5, eps = 1e-12;
  bool flag_positive_x = true;

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
      double f[4] = {0.0, 0.0, 0.0, 0.0};
      if (self.eps > 0.0) self.field(y0, f);
      for (int i = 0; i < 4; ++i) y[i] = y0[i] + self.eps * f[i];
    };
    pb.typical_state = {1.0, 0.1, 1.0, 0.1};
    // x ≥ 0 (difference steps keep its sign, Newton steps stay inside)
    if (flag_positive_x) pb.positive_state = {false, true, false, false};
    pb.typical_left_free = {1.0, 0.1};
    pb.typical_params = {0.1};
    pb.positive_params = {true};
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
  MeshSolution guess(const std::vector<double>& mesh, double s_guess) const {
    MeshSolution g;
    g.nodes = mesh;
    const std::vector<double> ybar = steady(s_guess);
    for (double t : mesh) {
      const double d = std::exp(-0.5 * t);
      g.states.insert(g.states.end(),
                      {ybar[0] + (k0 - ybar[0]) * d, s_guess * (1.0 - d), 1.0, 0.5 * s_guess * d});
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

// The relocation toy (Euler start at eps = 1e-12) by multiple shooting with tight CVODE
// tolerances: independent numerics, started from a collocation solution on its own nodes (the
// crude guess sends CVODE into x < 0 from some nodes: an unstable saddle integrated from off-path
// states); its converged values are those of its own discretisation, independent of the start.
ShootingSummary relocation_by_shooting(const BoundaryValueProblem& collocation_problem,
                                       const MeshSolution& start, double T) {
  const RelocationToy euler_toy;  // eps = 1e-12
  const auto pb = euler_toy.problem();
  MeshSolution gs;
  gs.nodes = graded_mesh(euler_toy.eps, 1e-3, 4.0, 1.0, T);
  gs.states = evaluate_collocation_solution(collocation_problem, start, gs.nodes);
  gs.left_free = start.left_free;
  gs.params = start.params;
  return solve_multiple_shooting(pb, gs, accurate_shooting());
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("Collocation: mesh helpers (stretched meshes, halving, smoothing stretch)",
          "[collocation]") {
  // t = 2 + 8 ξ³ on [2, 10], ξ uniform.
  const auto mesh = stretched_uniform_mesh(2.0, 10.0, 3.0, 4);
  REQUIRE(mesh.size() == 5);
  for (int i = 0; i <= 4; ++i)
    CHECK(mesh[i] == Approx(2.0 + 8.0 * std::pow(i / 4.0, 3.0)).margin(1e-14));
  CHECK(mesh.front() == 2.0);
  CHECK(mesh.back() == 10.0);
  // Halving in ξ: the new nodes are at the ξ-midpoints.
  const auto halved = halve_mesh(mesh, 3.0);
  REQUIRE(halved.size() == 9);
  for (int i = 0; i <= 8; ++i)
    CHECK(halved[i] == Approx(2.0 + 8.0 * std::pow(i / 8.0, 3.0)).margin(1e-14));
  const auto halved_t = halve_mesh(uniform_mesh(0.0, 1.0, 3));
  REQUIRE(halved_t.size() == 7);
  for (int i = 0; i <= 6; ++i) CHECK(halved_t[i] == Approx(i / 6.0).margin(1e-15));
  // A break point becomes a node, the count of intervals is kept when a node can be moved.
  const auto broken = stretched_uniform_mesh(0.0, 1.0, 2.0, 10, {0.3});
  CHECK(std::count(broken.begin(), broken.end(), 0.3) == 1);
  CHECK(std::is_sorted(broken.begin(), broken.end()));
  CHECK(broken.size() == 11);
  CHECK_THROWS(stretched_uniform_mesh(1.0, 0.0, 1.0, 10));
  CHECK_THROWS(stretched_uniform_mesh(0.0, 1.0, 0.5, 10));
  // The stretch that makes t^q smooth in ξ.
  CHECK(smoothing_stretch(1.0 / 3.0) == 3.0);
  CHECK(smoothing_stretch(0.5) == 2.0);
  CHECK(smoothing_stretch(2.0) == 1.0);
  CHECK(smoothing_stretch(4.0 / 3.0) == 3.0);
  CHECK(smoothing_stretch(0.3) == 4.0);  // 3/10: denominator above 8, the fallback
  CHECK(smoothing_stretch(0.3, 10) == 10.0);
  CHECK(smoothing_stretch(0.3, 8, 6.0) == 6.0);
}

TEST_CASE("Collocation: linear saddle BVP converges at fourth order to e^{-t}", "[collocation]") {
  const auto pb = linear_saddle();
  std::vector<double> errors, dense_errors;
  for (int N : {50, 100, 200, 400, 800}) {
    const auto mesh = uniform_mesh(0.0, 10.0, N);
    // A crude non-zero guess: KINSOL caps the scaled Newton step at 1000 × the guess's norm, or
    // at 1 for an all-zero guess, which would take several damped steps (or fail) here.
    const auto s =
        solve_collocation(pb, constant_guess(mesh, {0.5, -0.5}, {-0.5}, {}), fixed_mesh_options());
    INFO(s.brief_report());
    REQUIRE(s.is_usable());
    CHECK(s.termination == BvpTermination::Converged);
    CHECK(s.newton_iterations <= 2);  // linear: one Newton step (FD Jacobian exact up to rounding)
    CHECK(s.intervals == N);
    CHECK(s.mesh_passes == 1);
    CHECK(s.solution.nodes == mesh);  // adapt_mesh = false: the mesh is kept
    CHECK_FALSE(s.error.available);   // estimate_error = false
    CHECK(s.residual_max <= 1e-14);
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
    // The cubic passes through the solver's own midpoint unknowns (Lobatto IIIA = collocation).
    double md = 0.0;
    for (size_t k = 0; k < ym.size(); ++k)
      md = std::max(md, std::fabs(ym[k] - s.solution.midpoints[k]));
    CHECK(md < 1e-12);
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
    MeshSolution exact;
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
  CHECK(errors[3] < 1e-9);  // N = 400
  CHECK(errors.back() < 2e-11);
}

TEST_CASE("Collocation: Bratu problem, both branches, against the closed form", "[collocation]") {
  for (double theta : {1.0, 8.0}) {  // lower and upper branch
    const double lambda = bratu_lambda(theta);
    const auto pb = bratu(lambda);
    const auto exact = bratu_exact(theta);
    double y_peak[2];
    exact(0.5, y_peak);
    std::vector<double> errors, z_errors;
    for (int N : {20, 40, 80, 160}) {
      const auto mesh = uniform_mesh(0.0, 1.0, N);
      // Guess: a parabola with 1.3 × the true peak (upper branch) or zero (lower branch).
      MeshSolution g;
      g.nodes = mesh;
      const double peak = theta > 4.8 ? 1.3 * y_peak[0] : 0.0;
      for (double x : mesh)
        g.states.insert(g.states.end(), {4 * peak * x * (1 - x), 4 * peak * (1 - 2 * x)});
      g.left_free = {4 * peak};
      const auto s = solve_collocation(pb, g, fixed_mesh_options());
      INFO("theta " << theta << ", N " << N << ": " << s.brief_report());
      REQUIRE(s.is_usable());
      CHECK(s.termination == BvpTermination::Converged);
      CHECK(s.newton_iterations >= 2);  // nonlinear
      CHECK(s.newton_iterations <= 15);
      errors.push_back(max_error(s.solution, 2, exact));
      z_errors.push_back(std::fabs(s.solution.left_free[0] - theta * std::tanh(theta / 4.0)));
    }
    for (size_t k = 0; k + 1 < errors.size(); ++k) {
      const double ratio = errors[k] / errors[k + 1];
      const double z_ratio = z_errors[k] / z_errors[k + 1];
      std::cout << "[collocation] Bratu theta=" << theta << " lambda=" << lambda
                << " N=" << 20 * (1 << k) << " error " << errors[k] << " ratio " << ratio
                << "; u'(0) error " << z_errors[k] << " ratio " << z_ratio << "\n";
      CHECK(ratio > 13.0);
      CHECK(ratio < 19.0);
      CHECK(z_ratio > 13.0);
      CHECK(z_ratio < 19.0);
    }
    CHECK(errors.back() < (theta > 4.8 ? 1e-7 : 1e-10));
  }
}

TEST_CASE("Collocation: the mesh-halving estimate bounds the error of the returned solution",
          "[collocation]") {
  const double theta = 8.0;
  const auto pb = bratu(bratu_lambda(theta));
  Exact ex;
  ex.y = bratu_exact(theta);
  ex.z = {theta * std::tanh(theta / 4.0)};
  for (int N : {20, 40, 80}) {
    const auto mesh = uniform_mesh(0.0, 1.0, N);
    MeshSolution g;
    g.nodes = mesh;
    for (double x : mesh) {
      double y[2];
      ex.y(x, y);
      g.states.insert(g.states.end(), {y[0], y[1]});  // start at the exact solution
    }
    g.left_free = ex.z;
    CollocationOptions o = fixed_mesh_options();
    o.estimate_error = true;
    o.tolerance = 1e-3;  // met by the estimate on these meshes: Converged
    const auto s = solve_collocation(pb, g, o);
    INFO(s.brief_report());
    REQUIRE(s.termination == BvpTermination::Converged);
    REQUIRE(s.error.available);
    CHECK(s.solution.nodes == mesh);  // the answer is on the given mesh, not the halved one
    CHECK(s.intervals == N);
    const double truth = scaled_true_error(pb, s.solution, ex);
    const double ratio = s.error.scaled_max / truth;
    std::cout << "[collocation] halving estimate, Bratu upper branch N=" << N << ": estimate "
              << s.error.scaled_max << ", true error " << truth << ", ratio " << ratio << "\n";
    // Measured ratios 1.07–1.08 (asymptotically 16/15 × (E_N − E_2N) = E_N; the max sits at a
    // midpoint stage value, whose halved-mesh value is a node value with an error of the other
    // sign); the test asks for an upper bound within a factor 2.
    CHECK(ratio >= 1.0 - 0.02);
    CHECK(ratio < 2.0);
    // Per component (absolute, nodes only) and z.
    REQUIRE(s.error.state_abs.size() == 2);
    REQUIRE(s.error.left_free_abs.size() == 1);
    CHECK(s.error.params_abs.empty());
    CHECK(s.error.state_abs[0] <= s.error.scaled_max);
    CHECK(s.error.state_abs[1] <= s.error.scaled_max);
    CHECK(s.error.left_free_abs[0] <= s.error.scaled_max);
    const double z_error = std::fabs(s.solution.left_free[0] - ex.z[0]);
    CHECK(s.error.left_free_abs[0] / z_error > 0.9);
    CHECK(s.error.left_free_abs[0] / z_error < 1.5);
    CHECK(max_error(s.solution, 2, ex.y) <=
          1.02 * std::max(s.error.state_abs[0], s.error.state_abs[1]));
    // The same solve with a tolerance the estimate does not meet: a usable answer, flagged.
    o.tolerance = 0.1 * s.error.scaled_max;
    const auto t = solve_collocation(pb, g, o);
    CHECK(t.termination == BvpTermination::AccuracyNotReached);
    CHECK(t.is_usable());
    CHECK(t.solution.nodes == mesh);
    CHECK(t.error.scaled_max == Approx(s.error.scaled_max).epsilon(1e-3));
  }
}

TEST_CASE("Collocation: adaptive solves reach the tolerance, and the estimate bounds the error",
          "[collocation]") {
  struct Case {
    std::string name;
    BoundaryValueProblem pb;
    Exact exact;
    MeshSolution guess;
  };
  std::vector<Case> cases;
  {
    const double theta = 8.0;
    Case c{"Bratu upper branch",
           bratu(bratu_lambda(theta)),
           {},
           bratu_parabola_guess(uniform_mesh(0.0, 1.0, 10))};
    c.exact.y = bratu_exact(theta);
    c.exact.z = {theta * std::tanh(theta / 4.0)};
    cases.push_back(c);
  }
  {
    Case c{"linear saddle on [0, 40]",
           linear_saddle(),
           {},
           constant_guess(uniform_mesh(0.0, 40.0, 20), {0.5, -0.5}, {-0.5}, {})};
    c.exact.y = linear_saddle_exact;
    c.exact.z = {-1.0};
    cases.push_back(c);
  }
  {
    const double eps = 1e-3;
    Case c{"boundary layer eps=1e-3", boundary_layer(eps), boundary_layer_exact(eps),
           constant_guess(uniform_mesh(0.0, 1.0, 10), {0.0, 0.0}, {0.0}, {})};
    cases.push_back(c);
  }
  double worst_ratio_vs_finer = 0.0;
  for (const auto& c : cases) {
    int previous_intervals = 0;
    for (double tol : {1e-6, 1e-8, 1e-10}) {
      const auto t0 = std::chrono::steady_clock::now();
      CollocationOptions o;
      o.tolerance = tol;
      const auto s = solve_collocation(c.pb, c.guess, o);
      const double secs = seconds_since(t0);
      INFO(c.name << ", tolerance " << tol << ": " << s.brief_report() << "\n" << s.message);
      REQUIRE(s.termination == BvpTermination::Converged);
      REQUIRE(s.error.available);
      CHECK(s.error.scaled_max <= tol);
      CHECK(s.intervals == static_cast<int>(s.solution.nodes.size()) - 1);
      CHECK(s.intervals > previous_intervals);  // a tighter tolerance needs a finer mesh
      previous_intervals = s.intervals;
      CHECK(s.residual_max <= tol / 100.0);
      CHECK(s.tolerance <= tol / 100.0);     // Newton stops at min(tol/100, tol/(10 N))
      CHECK(s.residual_max <= s.tolerance);  // the Newton tolerance: tolerance / 100 by default
      const double truth = scaled_true_error(c.pb, s.solution, c.exact);
      // The estimate is an estimate (of the leading term), not a bound: the true error may
      // exceed it by a little; we ask for at most 2× (measured: 0.92–0.94×, see the output).
      CHECK(truth <= 2.0 * s.error.scaled_max);
      // Against a 4× finer solve on the final mesh halved twice (error 1/256 of the answer's):
      // |answer − finer| is the answer's error up to 0.4 %, so it checks the estimate without the
      // closed form.
      CollocationOptions fo = fixed_mesh_options();
      fo.newton_tolerance = std::min(1e-12, tol / 100.0);
      const auto finer_mesh = halve_mesh(halve_mesh(s.solution.nodes, s.solution.time_stretch),
                                         s.solution.time_stretch);
      const auto f =
          solve_collocation(c.pb, remesh_collocation_solution(c.pb, s.solution, finer_mesh), fo);
      INFO("4x finer: " << f.brief_report());
      REQUIRE(f.termination == BvpTermination::Converged);
      CHECK(f.newton_iterations <= 3);  // started from the answer's cubic: already close
      const double vs_finer = scaled_difference(c.pb, s.solution, f.solution);
      const double finer_truth = scaled_true_error(c.pb, f.solution, c.exact);
      worst_ratio_vs_finer = std::max(worst_ratio_vs_finer, vs_finer / s.error.scaled_max);
      std::cout << "[collocation] adaptive, " << c.name << ", tol " << tol << ": " << s.intervals
                << " intervals, " << s.mesh_passes << " passes, " << s.newton_iterations
                << " Newton its, " << secs << " s; estimate " << s.error.scaled_max << ", true "
                << truth << " (" << truth / s.error.scaled_max << "x), vs 4x finer " << vs_finer
                << " (" << vs_finer / s.error.scaled_max << "x); 4x finer true error "
                << finer_truth << "\n";
      // Measured |answer − finer| / estimate: 0.92–0.94 on all nine solves.
      CHECK(vs_finer <= 1.25 * s.error.scaled_max);
      CHECK(vs_finer >= 0.5 * s.error.scaled_max);  // and the estimate is not far too pessimistic
      CHECK(vs_finer <= 1.25 * tol);
      // The finer solve is ~256× more accurate (allowing for rounding at tight tolerances).
      CHECK(finer_truth <= std::max(0.05 * truth, 1e-12));
    }
  }
  std::cout << "[collocation] adaptive: worst |answer - 4x finer| / estimate "
            << worst_ratio_vs_finer << "\n";
}

TEST_CASE("Collocation: the stretched variable restores fourth order for an x^{1/3} start",
          "[collocation]") {
  const double T = 40.0;
  RelocationToy toy;
  toy.eps = 0.0;  // no Euler step: the left state is exact at t = 0, where x = 0
  const auto pb = toy.problem();
  // For p = 1 the same problem started by an Euler step at t = 1e-12 (they differ by O(1e-16)).
  // With p = 1 the eps = 0 problem has x = 0 exactly at node 0, where ∂f/∂x ∝ x^{−2/3} is
  // infinite (the one-sided difference gives ~1e6); rounding then makes the Newton step of x at
  // node 0 slightly negative and KINSOL's x ≥ 0 constraint scales the whole step by
  // 0.9·|x|/|Δx| = 0 (KIN_LINESEARCH_NONCONV, from a good guess). With p > 1 the solver passes
  // g = f·t'(ξ) = 0 at ξ = 0 and never differentiates the rhs there.
  const RelocationToy euler_toy;
  const auto pb_euler = euler_toy.problem();
  struct Run {
    double p;
    const BoundaryValueProblem* pb;
    double t0;
    std::vector<MeshSolution> solutions;
    std::vector<double> orders;
  };
  std::vector<Run> runs = {{3.0, &pb, 0.0, {}, {}}, {1.0, &pb_euler, euler_toy.eps, {}, {}}};
  for (auto& run : runs) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int N : {40, 80, 160, 320}) {
      const auto mesh = stretched_uniform_mesh(run.t0, T, run.p, N);
      MeshSolution g;
      if (run.solutions.empty()) {
        g = toy.guess(mesh, 0.05);
        g.time_stretch = run.p;
      } else {
        g = remesh_collocation_solution(*run.pb, run.solutions.back(), mesh);
      }
      const auto s = solve_collocation(*run.pb, g, fixed_mesh_options());
      INFO("p = " << run.p << ", N = " << N << ": " << s.brief_report() << "\n" << s.message);
      REQUIRE(s.termination == BvpTermination::Converged);
      CHECK(s.solution.time_stretch == run.p);
      CHECK(s.solution.nodes.front() == run.t0);
      CHECK(s.solution.nodes.back() == T);
      CHECK(s.solution.params[0] > 0.0);
      run.solutions.push_back(s.solution);
    }
    // Stretched: differences of successive levels in (v0, q0, s), d_N = E_N − E_2N ≈ (15/16) E_N.
    // Uniform in t: errors against the finest stretched answer (whose error, ~1e-10, is
    // negligible next to theirs).
    std::vector<double> d;
    for (size_t k = 0; k + 1 < run.solutions.size(); ++k) {
      const MeshSolution& reference =
          run.p == 1.0 ? runs[0].solutions.back() : run.solutions[k + 1];
      d.push_back(free_unknowns_difference(pb, run.solutions[k], reference));
    }
    if (run.p == 1.0)
      d.push_back(free_unknowns_difference(pb, run.solutions.back(), runs[0].solutions.back()));
    for (size_t k = 0; k + 1 < d.size(); ++k) {
      const double ratio = d[k] / d[k + 1];
      run.orders.push_back(std::log2(ratio));
      std::cout << "[collocation] relocation toy, stretch p=" << run.p << ", N=" << (40 << k)
                << (run.p == 1.0 ? ": error" : " vs " + std::to_string(80 << k) + ": difference")
                << " in (v0, q0, s) " << d[k] << ", ratio " << ratio << " (order "
                << std::log2(ratio) << ")\n";
    }
    std::cout << "[collocation] relocation toy, stretch p=" << run.p
              << ": s = " << run.solutions.back().params[0] << ", " << seconds_since(t0) << " s\n";
  }
  // Stretched, p = 3: fourth order (measured 3.98, 4.00). Uniform in t: x^{1/3} ~ t^{1/3} enters
  // the rhs itself, so the first interval's local error is O(h^{4/3}) and so is the global error
  // (measured orders 1.2–1.3, tending to 4/3), but it does converge to the stretched answer.
  REQUIRE(runs[0].orders.size() == 2);
  REQUIRE(runs[1].orders.size() == 3);
  for (double order : runs[0].orders) CHECK(order > 3.5);
  for (double order : runs[1].orders) {
    CHECK(order < 3.0);
    CHECK(order > 1.0);
  }

  // The finest stretched solution against multiple shooting (Euler start at 1e-12, tight CVODE
  // tolerances): the free unknowns, and the dense output near t = 0 and beyond.
  const MeshSolution& fine = runs[0].solutions.back();
  const auto sh = relocation_by_shooting(pb, fine, T);
  INFO(sh.brief_report());
  REQUIRE(sh.converged);
  const std::vector<double> times = {1e-6, 1e-3, 0.1, 1.0, 5.0, 20.0};
  const auto yc = evaluate_collocation_solution(pb, fine, times);
  const auto ys = evaluate_shooting_solution(pb_euler, sh.solution, times, accurate_shooting());
  double dense = 0.0;
  for (size_t k = 0; k < yc.size(); ++k)
    dense = std::max(dense, std::fabs(yc[k] - ys[k]) / pb.typical_state[k % 4]);
  const double dz = free_unknowns_difference(pb, fine, sh.solution);
  std::cout << "[collocation] relocation toy, p=3 N=320 vs shooting: (v0, q0, s) " << dz
            << ", dense output " << dense << " (scaled)\n";
  CHECK(dz < 1e-9);
  CHECK(dense < 5e-9);
  // x ≈ q0 t near 0 (x^{1/3} enters only at higher order): the cubic in ξ resolves it.
  const auto x_early = evaluate_collocation_solution(pb, fine, {1e-9});
  CHECK(x_early[1] == Approx(fine.left_free[1] * 1e-9).epsilon(1e-3));
}

TEST_CASE("Collocation: graded mesh in t recovers fourth order with an Euler start",
          "[collocation]") {
  const RelocationToy toy;  // eps = 1e-12: the problem starts at t = eps
  const auto pb = toy.problem();
  const double T = 40.0;
  std::vector<MeshSolution> solutions;
  auto mesh = graded_mesh(toy.eps, 1e-9, std::sqrt(2.0), 0.5, T);
  MeshSolution g = toy.guess(mesh, 0.05);
  for (int level = 0; level < 3; ++level) {
    const auto c = solve_collocation(pb, g, fixed_mesh_options());
    INFO(c.brief_report());
    REQUIRE(c.termination == BvpTermination::Converged);
    solutions.push_back(c.solution);
    // Next level: every interval halved, started from this solution's cubic.
    mesh = halve_mesh(mesh);
    g = remesh_collocation_solution(pb, c.solution, mesh);
  }
  const auto sh = relocation_by_shooting(pb, solutions.back(), T);
  INFO(sh.brief_report());
  REQUIRE(sh.converged);
  std::vector<double> errors;
  for (const auto& c : solutions) {
    // Error in the free unknowns (v0, q0) and the curve point s: global quantities.
    double e = std::fabs(c.params[0] - sh.solution.params[0]);
    for (int j = 0; j < 2; ++j)
      e = std::max(e, std::fabs(c.left_free[j] - sh.solution.left_free[j]));
    errors.push_back(e);
    std::cout << "[collocation] relocation toy, graded mesh, " << c.nodes.size() - 1
              << " intervals: error in (v0, q0, s) " << e << "\n";
  }
  for (size_t k = 0; k + 1 < errors.size(); ++k) {
    const double ratio = errors[k] / errors[k + 1];
    std::cout << "[collocation] relocation toy, graded mesh ratio " << ratio << " (order "
              << std::log2(ratio) << ")\n";
    CHECK(ratio > 11.0);
    CHECK(ratio < 22.0);
  }
}

TEST_CASE("Collocation agrees with multiple shooting on the generic test problems",
          "[collocation]") {
  const ShootingOptions so = accurate_shooting();
  SECTION("linear saddle") {
    const auto pb = linear_saddle();
    const auto mesh = uniform_mesh(0.0, 10.0, 800);
    const auto c =
        solve_collocation(pb, constant_guess(mesh, {0.5, -0.5}, {-0.5}, {}), fixed_mesh_options());
    REQUIRE(c.termination == BvpTermination::Converged);
    // Shooting on 41 nodes from a crude non-zero guess (KINSOL's default maximal step is
    // relative to the guess's norm, so an all-zero guess stalls it).
    const auto nodes = uniform_mesh(0.0, 10.0, 40);
    const auto sh = solve_multiple_shooting(pb, constant_guess(nodes, {0.5, -0.5}, {-0.5}, {}), so);
    INFO(sh.brief_report());
    REQUIRE(sh.converged);
    const auto yc = evaluate_collocation_solution(pb, c.solution, nodes);
    double d = std::fabs(c.solution.left_free[0] - sh.solution.left_free[0]);
    for (size_t k = 0; k < yc.size(); ++k)
      d = std::max(d, std::fabs(yc[k] - sh.solution.states[k]));
    std::cout << "[collocation] vs shooting, linear saddle: max difference " << d
              << " (collocation error " << max_error(c.solution, 2, linear_saddle_exact)
              << ", shooting error " << max_error(sh.solution, 2, linear_saddle_exact) << ")\n";
    CHECK(d < 1e-8);
  }
  SECTION("Bratu, upper branch (adaptive collocation)") {
    const double theta = 8.0;
    const auto pb = bratu(bratu_lambda(theta));
    const auto g = bratu_parabola_guess(uniform_mesh(0.0, 1.0, 20));
    CollocationOptions o;
    o.tolerance = 1e-10;
    const auto c = solve_collocation(pb, g, o);
    INFO(c.brief_report());
    REQUIRE(c.termination == BvpTermination::Converged);
    // Shooting on 21 nodes from the same crude guess: independent of the collocation answer.
    const auto sh = solve_multiple_shooting(pb, g, so);
    INFO(sh.brief_report());
    REQUIRE(sh.converged);
    const auto yc = evaluate_collocation_solution(pb, c.solution, sh.solution.nodes);
    double d = std::fabs(c.solution.left_free[0] - sh.solution.left_free[0]);
    for (size_t k = 0; k < yc.size(); ++k)
      d = std::max(d, std::fabs(yc[k] - sh.solution.states[k]));
    std::cout << "[collocation] vs shooting, Bratu upper branch: max difference " << d << " ("
              << c.intervals << " adaptive intervals, estimate " << c.error.scaled_max << ")\n";
    CHECK(d < 1e-9);
  }
  SECTION("relocation-like saddle: graded mesh, Euler start, curve parameter") {
    const RelocationToy toy;
    const auto pb = toy.problem();
    const double T = 40.0;
    const auto t0 = std::chrono::steady_clock::now();
    const auto mesh = graded_mesh(toy.eps, 1e-9, 1.044, 0.0625, T);
    const auto c = solve_collocation(pb, toy.guess(mesh, 0.05), fixed_mesh_options());
    INFO(c.brief_report());
    REQUIRE(c.termination == BvpTermination::Converged);
    const double t_coll = seconds_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    const auto sh = relocation_by_shooting(pb, c.solution, T);
    INFO(sh.brief_report());
    REQUIRE(sh.converged);
    const double t_shoot = seconds_since(t1);
    // Shooting's trajectory (CVODE from its node values) at the collocation nodes.
    const std::vector<double> times(c.solution.nodes.begin() + 1, c.solution.nodes.end());
    const auto ys = evaluate_shooting_solution(pb, sh.solution, times, so);
    double d = 0.0;
    for (size_t k = 0; k < ys.size(); ++k)
      d = std::max(d, std::fabs(c.solution.states[k + 4] - ys[k]));
    for (int j = 0; j < 2; ++j)
      d = std::max(d, std::fabs(c.solution.left_free[j] - sh.solution.left_free[j]));
    d = std::max(d, std::fabs(c.solution.params[0] - sh.solution.params[0]));
    std::cout << "[collocation] vs shooting, relocation toy: s = " << c.solution.params[0]
              << ", q0 = " << c.solution.left_free[1] << ", max difference " << d << " ("
              << mesh.size() - 1 << " collocation intervals, " << c.newton_iterations
              << " Newton iterations, " << t_coll << " s; shooting " << t_shoot << " s)\n";
    CHECK(c.solution.params[0] > 0.0);
    CHECK(d < 1e-8);
  }
}

TEST_CASE("Collocation: a converged answer restarts in one step and its cubic is consistent",
          "[collocation]") {
  const auto pb = bratu(bratu_lambda(8.0));
  const auto mesh = uniform_mesh(0.0, 1.0, 60);
  const auto s = solve_collocation(pb, bratu_parabola_guess(mesh), fixed_mesh_options());
  REQUIRE(s.termination == BvpTermination::Converged);
  // The answer (with its midpoints) as a guess on the same mesh: already converged.
  const auto again = solve_collocation(pb, s.solution, fixed_mesh_options());
  REQUIRE(again.termination == BvpTermination::Converged);
  CHECK(again.newton_iterations <= 1);
  CHECK(std::fabs(again.solution.left_free[0] - s.solution.left_free[0]) < 1e-12);
  // Moved onto its own mesh, the cubic reproduces the nodes and the midpoint unknowns.
  const auto same = remesh_collocation_solution(pb, s.solution, mesh);
  REQUIRE(same.states.size() == s.solution.states.size());
  REQUIRE(same.midpoints.size() == s.solution.midpoints.size());
  double dn = 0.0, dm = 0.0;
  for (size_t k = 0; k < same.states.size(); ++k)
    dn = std::max(dn, std::fabs(same.states[k] - s.solution.states[k]));
  for (size_t k = 0; k < same.midpoints.size(); ++k)
    dm = std::max(dm, std::fabs(same.midpoints[k] - s.solution.midpoints[k]));
  CHECK(dn == 0.0);
  CHECK(dm < 1e-11);
  // The defects of the answer with the cubic's midpoints: at the Newton tolerance.
  const auto defects = collocation_defects(pb, s.solution);
  CHECK(*std::max_element(defects.begin(), defects.end()) < 1e-11);
}

TEST_CASE("Collocation: failures are reported by their termination", "[collocation]") {
  SECTION("iteration limit: NotConverged") {
    const auto pb = bratu(bratu_lambda(8.0));
    CollocationOptions o;
    o.max_newton_iterations = 1;
    const auto s = solve_collocation(pb, bratu_parabola_guess(uniform_mesh(0.0, 1.0, 40)), o);
    INFO(s.brief_report());
    CHECK(s.termination == BvpTermination::NotConverged);
    CHECK_FALSE(s.is_usable());
    CHECK(s.newton_iterations == 1);
    CHECK(s.solution.nodes.size() == 41);  // the last iterate is returned
  }
  SECTION("bad input: BadInput") {
    const auto pb = bratu(bratu_lambda(8.0));
    const auto good = bratu_parabola_guess(uniform_mesh(0.0, 1.0, 20));
    REQUIRE(solve_collocation(pb, good, fixed_mesh_options()).termination ==
            BvpTermination::Converged);
    std::vector<MeshSolution> bad(7, good);
    bad[0].states[7] = std::numeric_limits<double>::quiet_NaN();    // non-finite state
    bad[1].left_free[0] = std::numeric_limits<double>::infinity();  // non-finite left unknown
    bad[2].states.pop_back();                                       // wrong size
    bad[3].left_free.clear();                                       // wrong size
    bad[4].params = {1.0};                                          // p = 0
    bad[5].nodes[3] = bad[5].nodes[2];                              // not increasing
    bad[6].time_stretch = 0.5;                                      // stretch < 1
    for (size_t k = 0; k < bad.size(); ++k) {
      const auto s = solve_collocation(pb, bad[k]);
      INFO("bad guess " << k << ": " << s.message);
      CHECK(s.termination == BvpTermination::BadInput);
      CHECK_FALSE(s.is_usable());
      CHECK(s.newton_iterations == 0);
    }
    auto wrong = pb;
    wrong.typical_state = {1.0};  // n = 2
    CHECK(solve_collocation(wrong, good).termination == BvpTermination::BadInput);
    wrong = pb;
    wrong.rhs = nullptr;
    CHECK(solve_collocation(wrong, good).termination == BvpTermination::BadInput);
  }
  SECTION("mesh limit below what the tolerance needs: TooStiff") {
    const auto pb = boundary_layer(1e-6);
    CollocationOptions o;
    o.tolerance = 1e-10;
    o.max_intervals = 100;
    const auto s =
        solve_collocation(pb, constant_guess(uniform_mesh(0.0, 1.0, 20), {0.0, 0.0}, {0.0}, {}), o);
    INFO(s.brief_report() << "\n" << s.message);
    std::cout << "[collocation] mesh limit 100, boundary layer eps=1e-6: " << s.brief_report()
              << "\n";
    CHECK(s.termination == BvpTermination::TooStiff);
    CHECK_FALSE(s.is_usable());
    CHECK(s.intervals <= 100);
  }
  SECTION("mesh-pass limit below what the tolerance needs: AccuracyNotReached, usable") {
    const auto pb = bratu(bratu_lambda(8.0));
    CollocationOptions o;
    o.tolerance = 1e-10;
    o.max_mesh_passes = 1;
    const auto s = solve_collocation(pb, bratu_parabola_guess(uniform_mesh(0.0, 1.0, 10)), o);
    INFO(s.brief_report() << "\n" << s.message);
    CHECK(s.termination == BvpTermination::AccuracyNotReached);
    CHECK(s.is_usable());
    CHECK(s.mesh_passes == 2);
    REQUIRE(s.error.available);
    CHECK(s.error.scaled_max > o.tolerance);
  }
  SECTION("time limit: TimeLimit") {
    const auto pb = bratu(bratu_lambda(8.0));
    const auto big = bratu_parabola_guess(uniform_mesh(0.0, 1.0, 20000));
    CollocationOptions o;
    o.time_limit = 1e-9;
    const auto s = solve_collocation(pb, big, o);
    INFO(s.brief_report());
    CHECK(s.termination == BvpTermination::TimeLimit);
    CHECK_FALSE(s.is_usable());
    CHECK(s.seconds < 1.0);
    // A limit reached inside Newton (the unlimited solve takes several times longer).
    o.time_limit = 0.02;
    const auto t0 = std::chrono::steady_clock::now();
    const auto m = solve_collocation(pb, big, o);
    const double secs = seconds_since(t0);
    INFO(m.brief_report());
    std::cout << "[collocation] time limit 0.02 s on 20000 intervals: stopped after " << secs
              << " s\n";
    CHECK(m.termination == BvpTermination::TimeLimit);
    CHECK(secs < 0.5);
  }
  SECTION("rhs throws at the initial guess") {
    // x < 0 at node 5, where the rhs throws. Flagged positive, the guess is moved onto x = 0 and
    // the solve succeeds; unflagged, Newton cannot start.
    for (bool flagged : {true, false}) {
      RelocationToy toy;
      toy.flag_positive_x = flagged;
      const auto pb = toy.problem();
      auto g = toy.guess(graded_mesh(toy.eps, 1e-6, 4.0, 2.0, 20.0), 0.05);
      g.states[5 * 4 + 1] = -1.0;
      const auto s = solve_collocation(pb, g, fixed_mesh_options());
      INFO("flagged " << flagged << ": " << s.brief_report() << "\n" << s.message);
      if (flagged) {
        CHECK(s.termination == BvpTermination::Converged);
      } else {
        CHECK(s.termination == BvpTermination::NotConverged);
        CHECK_FALSE(s.is_usable());
      }
    }
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
      MeshSolution g;
      g.nodes = mesh;
      for (double t : mesh) g.states.insert(g.states.end(), {3.0 * std::exp(t), 0.0});
      g.left_free = {3.0};
      const auto s = solve_collocation(pb, g);
      INFO(s.brief_report());
      REQUIRE(s.termination == BvpTermination::Converged);
      // Unflagged, the line search backs off from trial points outside the domain; with
      // positive_state the rhs is never called outside it.
      if (flagged) {
        CHECK(evaluations_outside == 0);
      } else {
        CHECK(evaluations_outside > 0);
      }
      const double e = max_error(s.solution, 2, [](double t, double* y) {
        y[0] = std::exp(t);
        y[1] = 0.0;
      });
      std::cout << "[collocation] domain-limited problem (positive_state " << flagged
                << "): " << s.brief_report() << ", error " << e << ", " << evaluations_outside
                << " evaluations outside the domain\n";
      CHECK(std::fabs(s.solution.left_free[0] - 1.0) < 1e-9);
      CHECK(e < 1e-8);
      CHECK(s.error.scaled_max <= 1e-8);
    }
  }
}
