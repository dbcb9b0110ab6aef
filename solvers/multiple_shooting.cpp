#include "solvers/multiple_shooting.hpp"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace footloose::solvers {

namespace {

using Matrix = Eigen::MatrixXd;
using Triplet = Eigen::Triplet<double>;

CvodeOptions integrator_options(const BoundaryValueProblem& problem, const ShootingOptions& o) {
  CvodeOptions c;
  c.rtol = o.rtol;
  c.max_steps = o.max_steps_per_segment;
  c.typical = problem.typical_state;
  c.positive = problem.positive_state;
  c.jacobian = problem.jacobian;
  c.atol.resize(problem.state_size);
  for (int i = 0; i < problem.state_size; ++i) {
    c.atol[i] = o.rtol * o.atol_factor * problem.typical_state.at(i);
  }
  return c;
}

// The discretised shooting system: unknowns u = [z | y_1 | ... | y_{N-1} | params].
class ShootingSystem {
 public:
  ShootingSystem(const BoundaryValueProblem& problem, std::vector<double> nodes,
                 const ShootingOptions& options)
      : pb_(problem),
        nodes_(std::move(nodes)),
        opt_(options),
        n_(problem.state_size),
        m_(problem.left_free_size),
        p_(problem.parameter_size),
        segments_(static_cast<int>(nodes_.size()) - 1),
        integrator_(problem.state_size, problem.rhs, integrator_options(problem, options)) {
    if (segments_ < 1) throw std::invalid_argument("multiple shooting: need at least two nodes");
    if (static_cast<int>(pb_.typical_state.size()) != n_ ||
        static_cast<int>(pb_.typical_params.size()) != p_ ||
        static_cast<int>(pb_.typical_left_free.size()) != m_) {
      throw std::invalid_argument("multiple shooting: typical magnitudes have the wrong size");
    }
    ends_.resize(static_cast<size_t>(segments_) * n_);
    if (options.newton.time_limit > 0.0) {
      deadline_ = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(options.newton.time_limit));
    }
  }

  int size() const { return m_ + (segments_ - 1) * n_ + p_; }
  int segments() const { return segments_; }
  const std::vector<double>& ends() const { return ends_; }
  CvodeIntegrator& integrator() { return integrator_; }

  void pack(const MeshSolution& g, std::vector<double>& u) const {
    u.assign(size(), 0.0);
    std::copy(g.left_free.begin(), g.left_free.end(), u.begin());
    for (int i = 1; i < segments_; ++i) {
      std::copy_n(&g.states[static_cast<size_t>(i) * n_], n_, &u[m_ + (i - 1) * n_]);
    }
    std::copy(g.params.begin(), g.params.end(), u.begin() + m_ + (segments_ - 1) * n_);
  }

  // Fills a full solution: node states from u, row N from the last integration.
  MeshSolution unpack(const std::vector<double>& u) const {
    MeshSolution g;
    g.nodes = nodes_;
    g.left_free.assign(u.begin(), u.begin() + m_);
    g.params.assign(u.begin() + m_ + (segments_ - 1) * n_, u.end());
    g.states.resize(static_cast<size_t>(segments_ + 1) * n_);
    pb_.left_state(u.data(), g.states.data());
    for (int i = 1; i < segments_; ++i) std::copy_n(&u[m_ + (i - 1) * n_], n_, &g.states[i * n_]);
    std::copy_n(&ends_[(segments_ - 1) * n_], n_, &g.states[segments_ * n_]);
    return g;
  }

  std::vector<double> u_scale() const {
    std::vector<double> s(size());
    for (int j = 0; j < m_; ++j) s[j] = 1.0 / pb_.typical_left_free[j];
    for (int i = 1; i < segments_; ++i)
      for (int j = 0; j < n_; ++j) s[m_ + (i - 1) * n_ + j] = 1.0 / pb_.typical_state[j];
    for (int j = 0; j < p_; ++j) s[m_ + (segments_ - 1) * n_ + j] = 1.0 / pb_.typical_params[j];
    return s;
  }
  std::vector<double> constraints() const {
    std::vector<double> c(size(), 0.0);
    if (!pb_.positive_state.empty())
      for (int i = 1; i < segments_; ++i)
        for (int j = 0; j < n_; ++j) c[m_ + (i - 1) * n_ + j] = pb_.positive_state[j] ? 2.0 : 0.0;
    if (!pb_.positive_params.empty())
      for (int j = 0; j < p_; ++j)
        c[m_ + (segments_ - 1) * n_ + j] = pb_.positive_params[j] ? 2.0 : 0.0;
    return c;
  }
  std::vector<double> f_scale() const {
    std::vector<double> s(size(), 1.0);
    for (int i = 0; i + 1 < segments_; ++i)
      for (int j = 0; j < n_; ++j) s[i * n_ + j] = 1.0 / pb_.typical_state[j];
    return s;  // right-boundary rows: the problem states them in scaled form
  }

  void residual(const double* u, double* F) { evaluate(u, F, false); }

  // Newton matrix at u (segment sensitivities, assembly, sparse LU); skipped when the last
  // setup was at the same u (the refinement check's setup then serves KINSOL's first one).
  void setup(const double* u) {
    if (have_setup_ && std::equal(u, u + size(), setup_point_.begin())) return;
    have_setup_ = false;
    std::vector<double> F(size());
    evaluate(u, F.data(), true);
    assemble_and_factor(u);
    setup_point_.assign(u, u + size());
    have_setup_ = true;
  }

  bool has_setup() const { return have_setup_; }

  // J·v with the Newton matrix of the last setup.
  void jacobian_times(const double* v, double* Jv) const {
    Eigen::Map<const Eigen::VectorXd> vv(v, size());
    Eigen::Map<Eigen::VectorXd>(Jv, size()) = jacobian_ * vv;
  }

  void precondition(double* v) const {
    Eigen::Map<Eigen::VectorXd> vv(v, size());
    Eigen::VectorXd x = lu_.solve(vv);
    if (lu_.info() != Eigen::Success)
      throw std::runtime_error("shooting preconditioner solve failed");
    vv = x;
  }

  // ‖D⁻¹ G_i D‖_∞ for every segment from the last setup (D: typical magnitudes). The first
  // segment is reported as 0: its start may sit at a singular point of the field.
  std::vector<double> amplification() const {
    std::vector<double> a(segments_, 0.0);
    if (static_cast<int>(sens_.size()) != segments_) return a;  // no sensitivities computed yet
    for (int i = 1; i < segments_; ++i) {
      const Matrix& G = sens_[i];
      for (int r = 0; r < n_; ++r) {
        double row = 0.0;
        for (int c = 0; c < n_; ++c) {
          row += std::fabs(G(r, c)) * pb_.typical_state[c] / pb_.typical_state[r];
        }
        a[i] = std::max(a[i], row);
      }
    }
    return a;
  }

  const BoundaryValueProblem& problem() const { return pb_; }

 private:
  const double* segment_start(const double* u, int i, std::vector<double>& y0) const {
    if (i == 0) {
      pb_.left_state(u, y0.data());
      return y0.data();
    }
    return u + m_ + (i - 1) * n_;
  }

  void evaluate(const double* u, double* F, bool with_sensitivity) {
    std::vector<double> y0(n_);
    if (with_sensitivity) sens_.assign(segments_, Matrix(n_, n_));
    for (int i = 0; i < segments_; ++i) {
      // The time limit is also checked between segments: one pass over thousands of stiff
      // segments can take longer than the limit on its own.
      if (std::chrono::steady_clock::now() > deadline_) {
        throw std::runtime_error("time limit reached during the segment integrations");
      }
      const double* start = segment_start(u, i, y0);
      double* end = &ends_[static_cast<size_t>(i) * n_];
      // The first segment may start at a singular point of the field (infinite derivatives):
      // its sensitivity by differences.
      if (with_sensitivity && i > 0 && uses_cvodes_sensitivity()) {
        integrator_.integrate_with_sensitivity(nodes_[i], start, nodes_[i + 1], end,
                                               sens_[i].data());
      } else if (with_sensitivity) {
        integrator_.integrate(nodes_[i], start, nodes_[i + 1], end);
        finite_difference_sensitivity(i, start, end);
      } else {
        integrator_.integrate(nodes_[i], start, nodes_[i + 1], end);
      }
      if (i + 1 < segments_) {
        const double* next = u + m_ + i * n_;
        for (int j = 0; j < n_; ++j) F[i * n_ + j] = next[j] - end[j];
      }
    }
    pb_.right_residual(&ends_[static_cast<size_t>(segments_ - 1) * n_],
                       u + m_ + (segments_ - 1) * n_, F + (segments_ - 1) * n_);
  }

  bool uses_cvodes_sensitivity() const { return opt_.sensitivity == SegmentSensitivity::Cvodes; }

  // G_i by forward differences of whole-segment integrations; steps relative to each component's
  // size (to |y_j| alone for components that must stay positive).
  void finite_difference_sensitivity(int i, const double* start, const double* end) {
    std::vector<double> y(start, start + n_), out(n_);
    for (int j = 0; j < n_; ++j) {
      const bool positive = !pb_.positive_state.empty() && pb_.positive_state[j];
      const double size =
          positive ? std::fabs(start[j]) : std::max(std::fabs(start[j]), pb_.typical_state[j]);
      const double h = 1e-7 * (size > 0.0 ? size : pb_.typical_state[j]);
      y[j] = start[j] + h;
      integrator_.integrate(nodes_[i], y.data(), nodes_[i + 1], out.data());
      y[j] = start[j];
      for (int r = 0; r < n_; ++r) sens_[i](r, j) = (out[r] - end[r]) / h;
    }
  }

  // ∂y0/∂z by central differences.
  Matrix left_jacobian(const double* u) const {
    Matrix L(n_, m_);
    std::vector<double> z(u, u + m_), yp(n_), ym(n_);
    for (int j = 0; j < m_; ++j) {
      const double h = opt_.fd_relative_step * std::max(std::fabs(z[j]), pb_.typical_left_free[j]);
      const double zj = z[j];
      z[j] = zj + h;
      pb_.left_state(z.data(), yp.data());
      z[j] = zj - h;
      pb_.left_state(z.data(), ym.data());
      z[j] = zj;
      for (int r = 0; r < n_; ++r) L(r, j) = (yp[r] - ym[r]) / (2.0 * h);
    }
    return L;
  }

  // ∂R/∂(yN, params) by central differences.
  void right_jacobians(const double* yN_in, const double* params_in, Matrix& Ry, Matrix& Rp) const {
    const int rows = m_ + p_;
    Ry.resize(rows, n_);
    Rp.resize(rows, p_);
    std::vector<double> yN(yN_in, yN_in + n_), par(params_in, params_in + p_), rp(rows), rm(rows);
    for (int j = 0; j < n_; ++j) {
      const double h = opt_.fd_relative_step * std::max(std::fabs(yN[j]), pb_.typical_state[j]);
      const double v = yN[j];
      yN[j] = v + h;
      pb_.right_residual(yN.data(), par.data(), rp.data());
      yN[j] = v - h;
      pb_.right_residual(yN.data(), par.data(), rm.data());
      yN[j] = v;
      for (int r = 0; r < rows; ++r) Ry(r, j) = (rp[r] - rm[r]) / (2.0 * h);
    }
    for (int j = 0; j < p_; ++j) {
      const double h = opt_.fd_relative_step * std::max(std::fabs(par[j]), pb_.typical_params[j]);
      const double v = par[j];
      par[j] = v + h;
      pb_.right_residual(yN.data(), par.data(), rp.data());
      par[j] = v - h;
      pb_.right_residual(yN.data(), par.data(), rm.data());
      par[j] = v;
      for (int r = 0; r < rows; ++r) Rp(r, j) = (rp[r] - rm[r]) / (2.0 * h);
    }
  }

  void add_block(std::vector<Triplet>& t, int row, int col, const Matrix& M) const {
    for (int c = 0; c < M.cols(); ++c)
      for (int r = 0; r < M.rows(); ++r)
        if (M(r, c) != 0.0) t.emplace_back(row + r, col + c, M(r, c));
  }

  void assemble_and_factor(const double* u) {
    std::vector<Triplet> t;
    const Matrix L = left_jacobian(u);
    const Matrix I = Matrix::Identity(n_, n_);
    const int param_col = m_ + (segments_ - 1) * n_;
    auto col_of = [&](int i) { return m_ + (i - 1) * n_; };  // column of y_i, i ≥ 1
    for (int i = 0; i + 1 < segments_; ++i) {
      const int row = i * n_;
      if (i == 0)
        add_block(t, row, 0, -sens_[0] * L);
      else
        add_block(t, row, col_of(i), -sens_[i]);
      add_block(t, row, col_of(i + 1), I);
    }
    Matrix Ry, Rp;
    const int last = segments_ - 1;
    right_jacobians(&ends_[static_cast<size_t>(last) * n_], u + param_col, Ry, Rp);
    const int row = last * n_;
    if (last == 0)
      add_block(t, row, 0, Ry * sens_[0] * L);
    else
      add_block(t, row, col_of(last), Ry * sens_[last]);
    if (p_ > 0) add_block(t, row, param_col, Rp);
    jacobian_.resize(size(), size());
    jacobian_.setFromTriplets(t.begin(), t.end());
    lu_.compute(jacobian_);
    if (lu_.info() != Eigen::Success) {
      throw std::runtime_error("shooting Jacobian is singular (sparse LU failed)");
    }
  }

  const BoundaryValueProblem& pb_;
  std::vector<double> nodes_;
  ShootingOptions opt_;
  int n_, m_, p_, segments_;
  CvodeIntegrator integrator_;
  std::vector<double> ends_;
  std::vector<Matrix> sens_;
  Eigen::SparseMatrix<double> jacobian_;
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu_;
  bool have_setup_ = false;
  std::vector<double> setup_point_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
};

}  // namespace

std::string ShootingSummary::brief_report() const {
  std::ostringstream os;
  os << (converged ? "converged" : "NOT converged") << " (" << newton.message
     << "): " << newton.iterations << " Newton iterations, " << newton.linear_iterations
     << " Krylov iterations, scaled residual " << newton.residual_max << ", matching defect "
     << max_matching_defect << ", segment amplification " << max_segment_amplification << ", "
     << seconds << " s";
  if (!message.empty()) os << "; " << message;
  return os.str();
}

ShootingSummary solve_multiple_shooting(const BoundaryValueProblem& problem,
                                        const MeshSolution& guess, const ShootingOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ShootingSystem sys(problem, guess.nodes, options);
  std::vector<double> u;
  sys.pack(guess, u);
  // KINSOL refuses a guess that violates its constraints (KIN_ILL_INPUT): components that must
  // stay positive and came in ≤ 0 (re-integrated or interpolated guesses) are moved just inside.
  const std::vector<double> constraints = sys.constraints(), scale = sys.u_scale();
  for (std::size_t j = 0; j < u.size(); ++j) {
    if (constraints[j] == 2.0 && !(u[j] > 0.0)) u[j] = 1e-12 / scale[j];
  }

  NonlinearSystem nl;
  nl.size = sys.size();
  nl.residual = [&](const double* uu, double* F) { sys.residual(uu, F); };
  nl.preconditioner_setup = [&](const double* uu, const double*) { sys.setup(uu); };
  nl.preconditioner_solve = [&](double* v) { sys.precondition(v); };
  nl.u_scale = sys.u_scale();
  nl.f_scale = sys.f_scale();
  nl.constraints = sys.constraints();

  ShootingSummary s;
  if (options.max_initial_amplification > 0.0) {
    // Mesh check at the guess: the Newton matrix built here is KINSOL's first one.
    try {
      sys.setup(u.data());
    } catch (const std::exception& e) {
      s.message = std::string("Newton matrix at the initial guess failed: ") + e.what();
      s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return s;
    }
    const auto amp = sys.amplification();
    const double worst = *std::max_element(amp.begin(), amp.end());
    if (worst > options.max_initial_amplification) {
      s.needs_refinement = true;
      s.segment_amplification = amp;
      s.max_segment_amplification = worst;
      s.message = "a segment amplifies perturbations by " + std::to_string(worst) +
                  " at the initial guess: refine the mesh";
      s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return s;
    }
  }
  bool chord = options.exact_jacobian_product;
  if (chord) {
    // Fast path: chord Newton with the exact product. If it has not converged within
    // chord_max_iterations (stale matrices on a strongly nonlinear problem), continue from its
    // last iterate with KINSOL's difference-quotient Jv (an inexact Newton that re-linearises
    // at every iterate).
    nl.jacobian_times = [&](const double* v, double* Jv) { sys.jacobian_times(v, Jv); };
    NewtonKrylovOptions chord_options = options.newton;
    chord_options.max_iterations =
        std::min(options.newton.max_iterations, options.chord_max_iterations);
    const std::vector<double> u0 = u;
    const auto chord_start = std::chrono::steady_clock::now();
    s.newton = solve_newton_krylov(nl, u, chord_options);
    const bool accept = s.newton.residual_max <= options.newton.function_tolerance ||
                        (!s.newton.converged && s.newton.residual_max <= options.stall_tolerance);
    if (!accept && !s.newton.timed_out) {
      const NewtonKrylovSummary first = s.newton;
      if (!std::isfinite(first.residual_max)) u = u0;
      nl.jacobian_times = nullptr;
      NewtonKrylovOptions rest = options.newton;
      if (rest.time_limit > 0.0) {
        rest.time_limit -=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - chord_start).count();
      }
      if (rest.time_limit >= 0.0) {
        s.newton = solve_newton_krylov(nl, u, rest);
        s.newton.iterations += first.iterations;
        s.newton.linear_iterations += first.linear_iterations;
        s.newton.function_evaluations += first.function_evaluations;
        s.newton.preconditioner_setups += first.preconditioner_setups;
        s.warnings.push_back("chord Newton did not converge in " +
                             std::to_string(first.iterations) + " iterations (" + first.message +
                             "); continued with difference-quotient Jv");
        chord = false;
      }
    }
  } else {
    s.newton = solve_newton_krylov(nl, u, options.newton);
  }
  // Final consistent evaluation at the returned iterate. The segment amplifications are those
  // of the last Newton matrix (a few iterations old at most).
  std::vector<double> F(sys.size());
  try {
    if (!chord || !sys.has_setup()) sys.setup(u.data());  // no Newton matrix yet: build one
    sys.residual(u.data(), F.data());
    const auto fs = sys.f_scale();
    const int match_rows = (sys.segments() - 1) * problem.state_size;
    for (int i = 0; i < match_rows; ++i) {
      s.max_matching_defect = std::max(s.max_matching_defect, std::fabs(F[i]) * fs[i]);
    }
    for (int i = match_rows; i < sys.size(); ++i) {
      s.max_boundary_residual = std::max(s.max_boundary_residual, std::fabs(F[i]));
    }
    s.segment_amplification = sys.amplification();
    for (int i = 0; i < static_cast<int>(s.segment_amplification.size()); ++i) {
      if (s.segment_amplification[i] > s.max_segment_amplification) {
        s.max_segment_amplification = s.segment_amplification[i];
        s.worst_segment = i;
      }
    }
    s.solution = sys.unpack(u);
  } catch (const std::exception& e) {
    s.newton.converged = false;
    s.message = std::string("final evaluation failed: ") + e.what();
  }
  // KINSOL may stop in its line search once the residual is at the integration noise floor;
  // the returned point is accepted only if its own scaled residual meets the tolerance, or the
  // looser stall tolerance (with a warning saying so).
  const double r = s.newton.residual_max;
  s.converged = s.message.empty() && (r <= options.newton.function_tolerance ||
                                      (!s.newton.converged && r <= options.stall_tolerance));
  if (s.converged && r > options.newton.function_tolerance) {
    std::ostringstream os;
    os << "Newton stalled at the integration noise floor: scaled residual " << r << " > tolerance "
       << options.newton.function_tolerance << " (accepted up to " << options.stall_tolerance
       << ")";
    s.warnings.push_back(os.str());
  } else if (s.converged && !s.newton.converged) {
    s.warnings.push_back("KINSOL stopped with " + s.newton.message +
                         " but the scaled residual meets the tolerance");
  }
  if (!s.converged && s.message.empty()) {
    s.message = "KINSOL " + s.newton.message;
    if (!s.newton.last_residual_error.empty()) {
      s.message += "; last residual error: " + s.newton.last_residual_error;
    }
  }
  if (s.max_segment_amplification > 1e4) {
    s.warnings.push_back("a shooting segment amplifies perturbations by more than 1e4 (segment " +
                         std::to_string(s.worst_segment) + "); refine the mesh there");
  }
  s.integration = sys.integrator().stats();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

MeshSolution interpolate_guess(const MeshSolution& from, const std::vector<double>& nodes,
                               int state_size) {
  const size_t n = static_cast<size_t>(state_size);
  MeshSolution g;
  g.nodes = nodes;
  g.states.resize(nodes.size() * n);
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto it = std::upper_bound(from.nodes.begin(), from.nodes.end(), nodes[i]);
    size_t k = it == from.nodes.begin() ? 0 : static_cast<size_t>(it - from.nodes.begin()) - 1;
    k = std::min(k, from.nodes.size() - 2);
    const double t0 = from.nodes[k], t1 = from.nodes[k + 1];
    const double x = std::clamp((nodes[i] - t0) / (t1 - t0), 0.0, 1.0);
    for (size_t j = 0; j < n; ++j) {
      g.states[i * n + j] = (1.0 - x) * from.states[k * n + j] + x * from.states[(k + 1) * n + j];
    }
  }
  g.left_free = from.left_free;
  g.params = from.params;
  return g;
}

std::vector<double> shooting_segment_amplification(const BoundaryValueProblem& problem,
                                                   const MeshSolution& guess,
                                                   const ShootingOptions& options) {
  ShootingSystem sys(problem, guess.nodes, options);
  std::vector<double> u;
  sys.pack(guess, u);
  sys.setup(u.data());
  return sys.amplification();
}

std::vector<double> evaluate_shooting_solution(const BoundaryValueProblem& problem,
                                               const MeshSolution& solution,
                                               const std::vector<double>& times,
                                               const ShootingOptions& options) {
  const int n = problem.state_size;
  const auto& nodes = solution.nodes;
  CvodeIntegrator integrator(n, problem.rhs, integrator_options(problem, options));
  std::vector<double> out(times.size() * n);
  size_t k = 0;
  for (size_t i = 0; i + 1 < nodes.size() && k < times.size(); ++i) {
    std::vector<double> seg_times;
    const size_t first = k;
    while (k < times.size() && (times[k] <= nodes[i + 1] || i + 2 == nodes.size())) {
      seg_times.push_back(std::max(times[k], nodes[i]));
      ++k;
    }
    if (seg_times.empty()) continue;
    integrator.integrate_to_times(nodes[i], &solution.states[i * n], seg_times, &out[first * n]);
  }
  return out;
}

std::vector<double> split_amplifying_segments(const std::vector<double>& nodes,
                                              const std::vector<double>& amplification,
                                              double threshold) {
  std::vector<double> out{nodes.front()};
  for (size_t i = 0; i + 1 < nodes.size(); ++i) {
    const double a = nodes[i], b = nodes[i + 1];
    if (i < amplification.size() && amplification[i] > threshold) {
      out.push_back(a > 0.0 && b > 2.0 * a ? std::sqrt(a * b) : 0.5 * (a + b));
    }
    out.push_back(b);
  }
  return out;
}

std::vector<double> geometric_then_uniform_mesh(double t_start, double t_first, double t_switch,
                                                double ratio, double h_max, double t_end,
                                                const std::vector<double>& break_points) {
  std::vector<double> t{t_start};
  double x = std::max(t_first, t_start);
  if (x < t_end) t.push_back(x);
  while (x * ratio < t_switch && x * ratio < t_end) {
    x *= ratio;
    t.push_back(x);
  }
  while (x < t_end) {
    const double remaining = t_end - x;
    const int steps = static_cast<int>(std::ceil(remaining / h_max - 1e-12));
    x += remaining / std::max(steps, 1);
    if (t_end - x < 1e-12 * t_end) x = t_end;
    t.push_back(x);
  }
  for (double b : break_points) {
    if (b > t_start && b < t_end) t.push_back(b);
  }
  std::sort(t.begin(), t.end());
  std::vector<double> unique{t.front()};
  for (double v : t) {
    if (v > unique.back() * (1.0 + 1e-9) + 1e-14) unique.push_back(v);
  }
  unique.back() = t_end;
  return unique;
}

ShootingSummary solve_multiple_shooting_refined(const BoundaryValueProblem& problem,
                                                MeshSolution guess, ShootingOptions options,
                                                const ShootingRefinementOptions& refinement) {
  const auto start = std::chrono::steady_clock::now();
  const auto time_left = [&] {
    return refinement.time_limit -
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const int n = problem.state_size;
  ShootingSummary s, last_converged;
  bool have_converged = false, check_mesh = true;
  for (int pass = 0;; ++pass) {
    if (refinement.time_limit > 0.0) {  // every pass gets what is left, no more
      options.newton.time_limit = time_left();
      if (options.newton.time_limit <= 0.0) {
        s.converged = false;
        s.newton.timed_out = true;
        s.message = "time limit of " + std::to_string(refinement.time_limit) + " s reached";
        break;
      }
    }
    // The last pass (or one at max_nodes) solves whatever the guess's amplification.
    options.max_initial_amplification =
        check_mesh && pass < refinement.max_refinements ? refinement.max_amplification : 0.0;
    s = solve_multiple_shooting(problem, guess, options);
    if (s.converged) {
      last_converged = s;
      have_converged = true;
    }
    if (pass >= refinement.max_refinements) break;
    if (s.needs_refinement) {
      const auto refined = split_amplifying_segments(guess.nodes, s.segment_amplification,
                                                     refinement.split_amplification);
      if (static_cast<int>(refined.size()) > refinement.max_nodes) {
        check_mesh = false;  // solve on the mesh we have
      } else {
        guess = interpolate_guess(guess, refined, n);  // interpolation keeps positive states > 0
      }
      continue;
    }
    if (!s.converged || s.max_segment_amplification <= refinement.max_amplification) break;
    const auto refined = split_amplifying_segments(s.solution.nodes, s.segment_amplification,
                                                   refinement.split_amplification);
    if (static_cast<int>(refined.size()) > refinement.max_nodes) break;
    MeshSolution next = s.solution;
    next.nodes = refined;
    next.states = evaluate_shooting_solution(problem, s.solution, refined, options);
    guess = next;
    check_mesh = false;
  }
  if (!s.converged && have_converged) s = last_converged;
  return s;
}

std::vector<double> shooting_output_times(const std::vector<double>& nodes, int per_segment) {
  std::vector<double> t;
  for (size_t i = 0; i + 1 < nodes.size(); ++i) {
    const double a = nodes[i], b = nodes[i + 1];
    const bool geometric = a > 0.0 && b > 2.0 * a;
    for (int k = 0; k < per_segment; ++k) {
      const double x = static_cast<double>(k) / per_segment;
      t.push_back(geometric ? a * std::pow(b / a, x) : a + (b - a) * x);
    }
  }
  t.push_back(nodes.back());
  return t;
}

}  // namespace footloose::solvers
