#include "solvers/collocation.hpp"

#include <Eigen/Dense>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace footloose::solvers {

namespace {

using Matrix = Eigen::MatrixXd;
using Triplet = Eigen::Triplet<double>;

void check_sizes(const BoundaryValueProblem& pb, const ShootingGuess& g) {
  const int n = pb.state_size, m = pb.left_free_size, p = pb.parameter_size;
  if (n < 1 || m < 0 || p < 0 || m > n) {
    throw std::invalid_argument("collocation: bad problem sizes");
  }
  if (!pb.rhs || !pb.left_state || !pb.right_residual) {
    throw std::invalid_argument("collocation: rhs, left_state and right_residual are required");
  }
  if (static_cast<int>(pb.typical_state.size()) != n ||
      static_cast<int>(pb.typical_left_free.size()) != m ||
      static_cast<int>(pb.typical_params.size()) != p) {
    throw std::invalid_argument("collocation: typical magnitudes have the wrong size");
  }
  for (double v : pb.typical_state)
    if (!(v > 0.0)) throw std::invalid_argument("collocation: typical_state must be positive");
  for (double v : pb.typical_left_free)
    if (!(v > 0.0)) throw std::invalid_argument("collocation: typical_left_free must be positive");
  for (double v : pb.typical_params)
    if (!(v > 0.0)) throw std::invalid_argument("collocation: typical_params must be positive");
  if (!pb.positive_state.empty() && static_cast<int>(pb.positive_state.size()) != n) {
    throw std::invalid_argument("collocation: positive_state must be empty or have n flags");
  }
  if (!pb.positive_params.empty() && static_cast<int>(pb.positive_params.size()) != p) {
    throw std::invalid_argument("collocation: positive_params must be empty or have p flags");
  }
  if (g.nodes.size() < 2) throw std::invalid_argument("collocation: need at least two mesh points");
  for (size_t i = 0; i + 1 < g.nodes.size(); ++i) {
    if (!(g.nodes[i + 1] > g.nodes[i])) {
      throw std::invalid_argument("collocation: mesh must be strictly increasing");
    }
  }
  if (g.states.size() != g.nodes.size() * static_cast<size_t>(n)) {
    throw std::invalid_argument("collocation: guess.states must have (N+1)·n entries");
  }
  if (static_cast<int>(g.left_free.size()) != m || static_cast<int>(g.params.size()) != p) {
    throw std::invalid_argument("collocation: guess.left_free / guess.params have the wrong size");
  }
}

bool all_finite(const double* v, int k) {
  for (int i = 0; i < k; ++i)
    if (!std::isfinite(v[i])) return false;
  return true;
}

// The discretised collocation system.
class CollocationSystem {
 public:
  CollocationSystem(const BoundaryValueProblem& problem, const std::vector<double>& nodes,
                    const CollocationOptions& options)
      : pb_(problem),
        t_(nodes),
        opt_(options),
        n_(problem.state_size),
        m_(problem.left_free_size),
        p_(problem.parameter_size),
        N_(static_cast<int>(nodes.size()) - 1) {
    f_nodes_.resize(static_cast<size_t>(N_ + 1) * n_);
    y_mid_.resize(static_cast<size_t>(N_) * n_);
    f_mid_.resize(static_cast<size_t>(N_) * n_);
    y0_.resize(n_);
    u_scale_.resize(size());
    f_scale_.assign(size(), 1.0);
    for (int j = 0; j < m_; ++j) u_scale_[j] = pb_.typical_left_free[j];
    for (int i = 0; i <= N_; ++i)
      for (int j = 0; j < n_; ++j) u_scale_[y_col(i) + j] = pb_.typical_state[j];
    for (int j = 0; j < p_; ++j) u_scale_[param_col() + j] = pb_.typical_params[j];
    for (int r = 0; r < (N_ + 1) * n_; ++r) f_scale_[r] = 1.0 / pb_.typical_state[r % n_];
  }

  int size() const { return m_ + (N_ + 1) * n_ + p_; }
  int y_col(int i) const { return m_ + i * n_; }
  int param_col() const { return m_ + (N_ + 1) * n_; }
  int right_row() const { return (N_ + 1) * n_; }
  int intervals() const { return N_; }
  long rhs_evaluations() const { return rhs_evals_; }
  const std::vector<double>& u_scale() const { return u_scale_; }  // typical magnitude per unknown
  const std::vector<double>& f_scale() const { return f_scale_; }  // 1/typical per equation

  void pack(const ShootingGuess& g, std::vector<double>& u) const {
    u.assign(size(), 0.0);
    std::copy(g.left_free.begin(), g.left_free.end(), u.begin());
    std::copy(g.states.begin(), g.states.end(), u.begin() + m_);
    std::copy(g.params.begin(), g.params.end(), u.begin() + param_col());
  }

  ShootingGuess unpack(const std::vector<double>& u) const {
    ShootingGuess g;
    g.nodes = t_;
    g.left_free.assign(u.begin(), u.begin() + m_);
    g.states.assign(u.begin() + m_, u.begin() + param_col());
    g.params.assign(u.begin() + param_col(), u.end());
    return g;
  }

  void rhs(double t, const double* y, double* f) {
    if (!pb_.positive_state.empty()) {
      for (int j = 0; j < n_; ++j) {
        if (pb_.positive_state[j] && !(y[j] >= 0.0)) {
          throw std::domain_error("state component " + std::to_string(j) +
                                  " must not be negative (positive_state)");
        }
      }
    }
    ++rhs_evals_;
    pb_.rhs(t, y, f);
    if (!all_finite(f, n_)) throw std::runtime_error("right-hand side not finite");
  }

  void check_params(const double* params) const {
    if (pb_.positive_params.empty()) return;
    for (int j = 0; j < p_; ++j) {
      if (pb_.positive_params[j] && !(params[j] >= 0.0)) {
        throw std::domain_error("parameter " + std::to_string(j) +
                                " must not be negative (positive_params)");
      }
    }
  }

  // Scaled residual F̃ = D_F F(u). Throws if the rhs or a boundary map throws (or is not finite);
  // on success the node/midpoint values are cached for the Jacobian at the same u.
  void residual(const double* u, double* F) {
    const double* z = u;
    pb_.left_state(z, y0_.data());
    if (!all_finite(y0_.data(), n_)) throw std::runtime_error("left state not finite");
    const double* y = u + m_;
    for (int j = 0; j < n_; ++j) F[j] = y[j] - y0_[j];
    for (int i = 0; i <= N_; ++i) rhs(t_[i], y + i * n_, &f_nodes_[i * n_]);
    for (int i = 0; i < N_; ++i) {
      const double h = t_[i + 1] - t_[i];
      const double* ya = y + i * n_;
      const double* yb = ya + n_;
      const double* fa = &f_nodes_[i * n_];
      const double* fb = fa + n_;
      double* ym = &y_mid_[i * n_];
      for (int j = 0; j < n_; ++j) ym[j] = 0.5 * (ya[j] + yb[j]) + 0.125 * h * (fa[j] - fb[j]);
      double* fm = &f_mid_[i * n_];
      rhs(t_[i] + 0.5 * h, ym, fm);
      double* D = F + (i + 1) * n_;
      for (int j = 0; j < n_; ++j) D[j] = yb[j] - ya[j] - h / 6.0 * (fa[j] + 4.0 * fm[j] + fb[j]);
    }
    check_params(u + param_col());
    pb_.right_residual(y + N_ * n_, u + param_col(), F + right_row());
    for (int r = 0; r < size(); ++r) F[r] *= f_scale_[r];
    if (!all_finite(F, size())) throw std::runtime_error("residual not finite");
  }

  // Scaled Jacobian D_F J D_u⁻¹ at u (residual(u) must have been the last successful call).
  Eigen::SparseMatrix<double> jacobian(const double* u) {
    std::vector<Triplet> trip;
    trip.reserve(static_cast<size_t>(N_) * 2 * n_ * n_ + 4 * n_ * n_);
    const double* y = u + m_;
    auto add = [&](int row, int col, const Matrix& M) {
      for (int c = 0; c < M.cols(); ++c)
        for (int r = 0; r < M.rows(); ++r)
          if (M(r, c) != 0.0) trip.emplace_back(row + r, col + c, M(r, c));
    };
    const Matrix I = Matrix::Identity(n_, n_);
    // Left rows: y_0 − left_state(z).
    add(0, y_col(0), I);
    if (m_ > 0) add(0, 0, -left_jacobian(u));
    // Defect rows.
    std::vector<Matrix> Jn(N_ + 1);
    for (int i = 0; i <= N_; ++i) Jn[i] = rhs_jacobian(t_[i], y + i * n_, &f_nodes_[i * n_]);
    for (int i = 0; i < N_; ++i) {
      const double h = t_[i + 1] - t_[i];
      const Matrix Jm = rhs_jacobian(t_[i] + 0.5 * h, &y_mid_[i * n_], &f_mid_[i * n_]);
      const Matrix A = 0.5 * I + (0.125 * h) * Jn[i];
      const Matrix B = 0.5 * I - (0.125 * h) * Jn[i + 1];
      const Matrix Da = -I - (h / 6.0) * (Jn[i] + 4.0 * Jm * A);
      const Matrix Db = I - (h / 6.0) * (Jn[i + 1] + 4.0 * Jm * B);
      add((i + 1) * n_, y_col(i), Da);
      add((i + 1) * n_, y_col(i + 1), Db);
    }
    // Right rows.
    Matrix Ry, Rp;
    right_jacobians(y + N_ * n_, u + param_col(), Ry, Rp);
    add(right_row(), y_col(N_), Ry);
    if (p_ > 0) add(right_row(), param_col(), Rp);
    for (auto& tr : trip) {
      tr = Triplet(tr.row(), tr.col(), tr.value() * f_scale_[tr.row()] * u_scale_[tr.col()]);
    }
    Eigen::SparseMatrix<double> J(size(), size());
    J.setFromTriplets(trip.begin(), trip.end());
    J.makeCompressed();
    return J;
  }

  // Scaled max-norm of the defect rows and of the boundary rows of a scaled residual.
  void split_norms(const std::vector<double>& F, double& defect, double& boundary) const {
    defect = boundary = 0.0;
    for (int r = 0; r < size(); ++r) {
      const double a = std::fabs(F[r]);
      if (r >= n_ && r < right_row()) defect = std::max(defect, a);
      else boundary = std::max(boundary, a);
    }
  }

 private:
  // Finite-difference step for component j of a state: relative to the component (so a small
  // positive component stays positive), with a floor relative to its typical magnitude.
  double state_step(int j, double v) const {
    const bool positive = !pb_.positive_state.empty() && pb_.positive_state[j];
    if (positive && v > 0.0) return opt_.fd_relative_step * v;
    return opt_.fd_relative_step * std::max(std::fabs(v), opt_.fd_floor * pb_.typical_state[j]);
  }

  // Column j of a Jacobian of a map g: R^k → R^r at x (g0 = g(x)): central differences, one-sided
  // if one side throws (e.g. a positive component pushed to zero); throws if both sides fail.
  template <class Map>
  void fd_column(Map&& g, std::vector<double>& x, int j, double h, const double* g0, int rows,
                 double* col, std::vector<double>& gp, std::vector<double>& gm) {
    const double v = x[j];
    bool ok_p = true, ok_m = true;
    std::string err;
    x[j] = v + h;
    try {
      g(x.data(), gp.data());
      ok_p = all_finite(gp.data(), rows);
    } catch (const std::exception& e) {
      ok_p = false;
      err = e.what();
    }
    x[j] = v - h;
    try {
      g(x.data(), gm.data());
      ok_m = all_finite(gm.data(), rows);
    } catch (const std::exception& e) {
      ok_m = false;
      err = e.what();
    }
    x[j] = v;
    if (ok_p && ok_m) {
      for (int r = 0; r < rows; ++r) col[r] = (gp[r] - gm[r]) / (2.0 * h);
    } else if (ok_p && g0) {
      for (int r = 0; r < rows; ++r) col[r] = (gp[r] - g0[r]) / h;
    } else if (ok_m && g0) {
      for (int r = 0; r < rows; ++r) col[r] = (g0[r] - gm[r]) / h;
    } else {
      throw std::runtime_error("finite-difference Jacobian: evaluation failed on both sides (" +
                               err + ")");
    }
  }

  Matrix rhs_jacobian(double t, const double* y, const double* f0) {
    Matrix J(n_, n_);
    std::vector<double> x(y, y + n_), fp(n_), fm(n_);
    auto g = [&](const double* yy, double* ff) { rhs(t, yy, ff); };
    for (int j = 0; j < n_; ++j) {
      fd_column(g, x, j, state_step(j, y[j]), f0, n_, J.col(j).data(), fp, fm);
    }
    return J;
  }

  Matrix left_jacobian(const double* u) {
    Matrix L(n_, m_);
    std::vector<double> z(u, u + m_), yp(n_), ym(n_);
    auto g = [&](const double* zz, double* yy) { pb_.left_state(zz, yy); };
    for (int j = 0; j < m_; ++j) {
      const double h = opt_.fd_relative_step * std::max(std::fabs(z[j]), pb_.typical_left_free[j]);
      fd_column(g, z, j, h, y0_.data(), n_, L.col(j).data(), yp, ym);
    }
    return L;
  }

  void right_jacobians(const double* yN_in, const double* params_in, Matrix& Ry, Matrix& Rp) {
    const int rows = m_ + p_;
    Ry.resize(rows, n_);
    Rp.resize(rows, p_);
    std::vector<double> yN(yN_in, yN_in + n_), par(params_in, params_in + p_), rp(rows), rm(rows);
    std::vector<double> r0(rows);
    pb_.right_residual(yN.data(), par.data(), r0.data());
    auto gy = [&](const double* yy, double* rr) { pb_.right_residual(yy, par.data(), rr); };
    for (int j = 0; j < n_; ++j) {
      fd_column(gy, yN, j, state_step(j, yN[j]), r0.data(), rows,
                Ry.col(j).data(), rp, rm);
    }
    auto gp = [&](const double* pp, double* rr) {
      check_params(pp);
      pb_.right_residual(yN.data(), pp, rr);
    };
    for (int j = 0; j < p_; ++j) {
      const bool positive = !pb_.positive_params.empty() && pb_.positive_params[j];
      const double h = positive && par[j] > 0.0
                           ? opt_.fd_relative_step * par[j]
                           : opt_.fd_relative_step * std::max(std::fabs(par[j]), pb_.typical_params[j]);
      fd_column(gp, par, j, h, r0.data(), rows, Rp.col(j).data(), rp, rm);
    }
  }

  const BoundaryValueProblem& pb_;
  std::vector<double> t_;
  CollocationOptions opt_;
  int n_, m_, p_, N_;
  std::vector<double> f_nodes_, y_mid_, f_mid_, y0_;
  std::vector<double> u_scale_, f_scale_;
  long rhs_evals_ = 0;
};

double max_abs(const std::vector<double>& v) {
  double a = 0.0;
  for (double x : v) a = std::max(a, std::fabs(x));
  return a;
}

double half_sq(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return 0.5 * s;
}

}  // namespace

std::string CollocationSummary::brief_report() const {
  std::ostringstream os;
  os << (converged ? "converged" : "NOT converged") << ": " << iterations
     << " Newton iterations, scaled residual " << residual_max << " (defect " << max_defect
     << ", boundary " << max_boundary_residual << "), last step " << last_step_max
     << " (damping " << last_damping << "), " << rhs_evaluations << " rhs evaluations, "
     << trial_failures << " failed trial points, " << seconds << " s";
  if (!message.empty()) os << "; " << message;
  return os.str();
}

CollocationSummary solve_collocation(const BoundaryValueProblem& problem,
                                     const ShootingGuess& guess,
                                     const CollocationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  check_sizes(problem, guess);
  CollocationSystem sys(problem, guess.nodes, options);
  const int size = sys.size();
  // Work in scaled unknowns x = u / u_scale.
  const std::vector<double>& us = sys.u_scale();
  std::vector<double> u, F(size), u_trial(size), F_trial(size);
  sys.pack(guess, u);

  CollocationSummary s;
  auto finish = [&](bool converged, const std::string& msg) {
    s.converged = converged;
    s.message = msg;
    s.residual_max = max_abs(F);
    sys.split_norms(F, s.max_defect, s.max_boundary_residual);
    if (!all_finite(F.data(), size)) {
      s.residual_max = s.max_defect = s.max_boundary_residual =
          std::numeric_limits<double>::infinity();
    }
    s.residual_history.push_back(s.residual_max);
    s.solution = sys.unpack(u);
    s.rhs_evaluations = sys.rhs_evaluations();
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return s;
  };

  try {
    sys.residual(u.data(), F.data());
  } catch (const std::exception& e) {
    std::fill(F.begin(), F.end(), std::numeric_limits<double>::quiet_NaN());
    return finish(false, std::string("residual failed at the initial guess: ") + e.what());
  }

  Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> lu;
  for (int it = 0;; ++it) {
    const double fmax = max_abs(F);
    if (fmax <= options.tolerance) return finish(true, "residual below tolerance");
    if (options.step_tolerance > 0.0 && it > 0 && s.last_step_max <= options.step_tolerance &&
        s.last_damping == 1.0 && fmax <= std::sqrt(options.tolerance)) {
      return finish(true, "Newton step below step tolerance");
    }
    if (it >= options.max_iterations) {
      return finish(false, "maximum number of Newton iterations reached");
    }
    s.residual_history.push_back(fmax);
    // Newton direction (the residual at u was the last successful evaluation).
    Eigen::VectorXd dx;
    try {
      const Eigen::SparseMatrix<double> J = sys.jacobian(u.data());
      lu.compute(J);  // the pattern may change (exact zeros are skipped), so analyse each time
      if (lu.info() != Eigen::Success) {
        return finish(false, "collocation Jacobian is singular (sparse LU failed): " +
                                 lu.lastErrorMessage());
      }
      const Eigen::Map<const Eigen::VectorXd> Fv(F.data(), size);
      dx = lu.solve(-Fv);
      if (lu.info() != Eigen::Success || !dx.allFinite()) {
        return finish(false, "collocation linear solve failed");
      }
    } catch (const std::exception& e) {
      return finish(false, std::string("Jacobian evaluation failed: ") + e.what());
    }
    s.iterations = it + 1;
    double step_max = dx.cwiseAbs().maxCoeff();
    if (options.max_scaled_step > 0.0 && step_max > options.max_scaled_step) {
      dx *= options.max_scaled_step / step_max;
      step_max = options.max_scaled_step;
    }
    // Backtracking line search on ½‖F̃‖₂²; a trial point where anything throws is a failed trial.
    const double phi0 = half_sq(F);
    double lambda = 1.0;
    bool accepted = false;
    std::string last_error;
    while (lambda >= options.min_damping) {
      for (int k = 0; k < size; ++k) u_trial[k] = u[k] + lambda * dx(k) * us[k];
      double phi = std::numeric_limits<double>::infinity();
      bool ok = true;
      try {
        sys.residual(u_trial.data(), F_trial.data());
        phi = half_sq(F_trial);
      } catch (const std::exception& e) {
        ok = false;
        ++s.trial_failures;
        last_error = e.what();
      }
      if (ok && phi <= (1.0 - 2.0 * options.armijo * lambda) * phi0) {
        accepted = true;
        break;
      }
      double next = 0.5 * lambda;
      if (ok && std::isfinite(phi)) {
        // Minimiser of the quadratic through φ(0), φ'(0) = −2φ(0), φ(λ); kept in [0.1λ, 0.5λ].
        const double c = (phi - phi0 + 2.0 * phi0 * lambda) / (lambda * lambda);
        if (c > 0.0) next = std::clamp(phi0 / c, 0.1 * lambda, 0.5 * lambda);
      } else {
        next = 0.25 * lambda;
      }
      lambda = next;
    }
    if (!accepted) {
      // Restore the cache at u for a consistent final report.
      try {
        sys.residual(u.data(), F.data());
      } catch (...) {
      }
      std::string msg = "line search failed (no sufficient decrease down to damping " +
                        std::to_string(options.min_damping) + ")";
      if (!last_error.empty()) msg += "; last trial error: " + last_error;
      return finish(false, msg);
    }
    u.swap(u_trial);
    F.swap(F_trial);
    s.last_step_max = step_max * lambda;
    s.last_damping = lambda;
  }
}

std::vector<double> collocation_defects(const BoundaryValueProblem& problem,
                                        const ShootingGuess& solution) {
  check_sizes(problem, solution);
  const int n = problem.state_size;
  const int N = static_cast<int>(solution.nodes.size()) - 1;
  const auto& t = solution.nodes;
  const auto& y = solution.states;
  std::vector<double> fn(static_cast<size_t>(N + 1) * n), ym(n), fm(n), out(N, 0.0);
  for (int i = 0; i <= N; ++i) problem.rhs(t[i], &y[i * n], &fn[i * n]);
  for (int i = 0; i < N; ++i) {
    const double h = t[i + 1] - t[i];
    const double *ya = &y[i * n], *yb = ya + n, *fa = &fn[i * n], *fb = fa + n;
    for (int j = 0; j < n; ++j) ym[j] = 0.5 * (ya[j] + yb[j]) + 0.125 * h * (fa[j] - fb[j]);
    problem.rhs(t[i] + 0.5 * h, ym.data(), fm.data());
    for (int j = 0; j < n; ++j) {
      const double d = yb[j] - ya[j] - h / 6.0 * (fa[j] + 4.0 * fm[j] + fb[j]);
      out[i] = std::max(out[i], std::fabs(d) / problem.typical_state[j]);
    }
  }
  return out;
}

std::vector<double> evaluate_collocation_solution(const BoundaryValueProblem& problem,
                                                  const ShootingGuess& solution,
                                                  const std::vector<double>& times) {
  check_sizes(problem, solution);
  const int n = problem.state_size;
  const auto& t = solution.nodes;
  const auto& y = solution.states;
  const int N = static_cast<int>(t.size()) - 1;
  std::vector<double> out(times.size() * n), fa(n), fb(n);
  int cached = -1;
  for (size_t k = 0; k < times.size(); ++k) {
    const double tk = times[k];
    if (!(tk >= t.front() && tk <= t.back())) {
      throw std::invalid_argument("evaluate_collocation_solution: time outside the mesh");
    }
    int i = static_cast<int>(std::upper_bound(t.begin(), t.end(), tk) - t.begin()) - 1;
    i = std::clamp(i, 0, N - 1);
    const double h = t[i + 1] - t[i];
    const double s = (tk - t[i]) / h;
    double* o = &out[k * n];
    if (s == 0.0 || s == 1.0) {
      std::copy_n(&y[(s == 0.0 ? i : i + 1) * n], n, o);
      continue;
    }
    if (cached != i) {
      problem.rhs(t[i], &y[i * n], fa.data());
      problem.rhs(t[i + 1], &y[(i + 1) * n], fb.data());
      cached = i;
    }
    const double h00 = (1 + 2 * s) * (1 - s) * (1 - s), h10 = s * (1 - s) * (1 - s);
    const double h01 = s * s * (3 - 2 * s), h11 = s * s * (s - 1);
    for (int j = 0; j < n; ++j) {
      o[j] = h00 * y[i * n + j] + h * h10 * fa[j] + h01 * y[(i + 1) * n + j] + h * h11 * fb[j];
    }
  }
  return out;
}

std::vector<double> halve_mesh(const std::vector<double>& mesh) {
  std::vector<double> out;
  if (mesh.empty()) return out;
  out.reserve(2 * mesh.size() - 1);
  for (size_t i = 0; i + 1 < mesh.size(); ++i) {
    out.push_back(mesh[i]);
    out.push_back(0.5 * (mesh[i] + mesh[i + 1]));
  }
  out.push_back(mesh.back());
  return out;
}

std::string MeshHalvingEstimate::brief_report() const {
  std::ostringstream os;
  os << (converged ? "" : "NOT converged; ") << "mesh halving: max scaled difference "
     << max_scaled_difference << " (at coarse node " << worst_node << "), left free "
     << max_left_free_difference << ", params " << max_param_difference
     << "; estimated error coarse " << coarse_error_estimate() << ", fine "
     << fine_error_estimate();
  return os.str();
}

MeshHalvingEstimate estimate_discretisation_error(const BoundaryValueProblem& problem,
                                                  const ShootingGuess& guess,
                                                  const CollocationOptions& options) {
  MeshHalvingEstimate est;
  est.coarse = solve_collocation(problem, guess, options);
  if (!est.coarse.converged) return est;
  const ShootingGuess& c = est.coarse.solution;
  ShootingGuess fine_guess;
  fine_guess.nodes = halve_mesh(c.nodes);
  try {
    fine_guess.states = evaluate_collocation_solution(problem, c, fine_guess.nodes);
  } catch (const std::exception& e) {
    est.fine.message = std::string("interpolating the coarse solution failed: ") + e.what();
    return est;
  }
  fine_guess.left_free = c.left_free;
  fine_guess.params = c.params;
  est.fine = solve_collocation(problem, fine_guess, options);
  if (!est.fine.converged) return est;
  est.converged = true;
  const int n = problem.state_size;
  const ShootingGuess& f = est.fine.solution;
  est.max_abs_difference.assign(n, 0.0);
  for (size_t i = 0; i < c.nodes.size(); ++i) {
    for (int j = 0; j < n; ++j) {
      const double d = std::fabs(f.states[2 * i * n + j] - c.states[i * n + j]);
      est.max_abs_difference[j] = std::max(est.max_abs_difference[j], d);
      const double ds = d / problem.typical_state[j];
      if (ds > est.max_scaled_difference) {
        est.max_scaled_difference = ds;
        est.worst_node = static_cast<int>(i);
      }
    }
  }
  for (size_t j = 0; j < c.left_free.size(); ++j) {
    est.max_left_free_difference =
        std::max(est.max_left_free_difference,
                 std::fabs(f.left_free[j] - c.left_free[j]) / problem.typical_left_free[j]);
  }
  for (size_t j = 0; j < c.params.size(); ++j) {
    est.max_param_difference = std::max(
        est.max_param_difference, std::fabs(f.params[j] - c.params[j]) / problem.typical_params[j]);
  }
  return est;
}

}  // namespace footloose::solvers
