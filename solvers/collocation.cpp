#include "solvers/collocation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "solvers/collocation_error.hpp"
#include "solvers/collocation_matrix.hpp"
#include "solvers/newton_krylov.hpp"
#include "solvers/time_map.hpp"

namespace footloose::solvers {

namespace {

// Σ a_k·b_k·w_k in four interleaved partial sums: independent chains of additions, ~4× the speed
// of one running sum over the ~4000 unknowns of a Newton step (a fixed order: the same bits
// every time).
double weighted_dot(const double* a, const double* b, const double* w, int n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    s0 += a[k] * b[k] * w[k];
    s1 += a[k + 1] * b[k + 1] * w[k + 1];
    s2 += a[k + 2] * b[k + 2] * w[k + 2];
    s3 += a[k + 3] * b[k + 3] * w[k + 3];
  }
  for (; k < n; ++k) s0 += a[k] * b[k] * w[k];
  return (s0 + s1) + (s2 + s3);
}

// z_k += c·a_k, then Σ a_k·z_k·w_k summed as weighted_dot sums it (the same bits as the two
// passes), in one pass.
double add_and_weighted_dot(double* __restrict z, double c, const double* __restrict a,
                            const double* __restrict w, int n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    z[k] += c * a[k];
    z[k + 1] += c * a[k + 1];
    z[k + 2] += c * a[k + 2];
    z[k + 3] += c * a[k + 3];
    s0 += a[k] * z[k] * w[k];
    s1 += a[k + 1] * z[k + 1] * w[k + 1];
    s2 += a[k + 2] * z[k + 2] * w[k + 2];
    s3 += a[k + 3] * z[k + 3] * w[k + 3];
  }
  for (; k < n; ++k) {
    z[k] += c * a[k];
    s0 += a[k] * z[k] * w[k];
  }
  return (s0 + s1) + (s2 + s3);
}

// z_k /= c, then Σ z_k·z_k·w_k summed as weighted_dot sums it, in one pass.
double divide_and_weighted_square(double* __restrict z, double c, const double* __restrict w,
                                  int n) {
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    z[k] /= c;
    z[k + 1] /= c;
    z[k + 2] /= c;
    z[k + 3] /= c;
    s0 += z[k] * z[k] * w[k];
    s1 += z[k + 1] * z[k + 1] * w[k + 1];
    s2 += z[k + 2] * z[k + 2] * w[k + 2];
    s3 += z[k + 3] * z[k + 3] * w[k + 3];
  }
  for (; k < n; ++k) {
    z[k] /= c;
    s0 += z[k] * z[k] * w[k];
  }
  return (s0 + s1) + (s2 + s3);
}

// KINSOL's constraints (per entry 0 none, 1 ≥ 0, 2 > 0; empty: none) as the lists of the
// entries they bound.
class Bounds {
 public:
  explicit Bounds(const std::vector<double>& constraints) {
    for (size_t k = 0; k < constraints.size(); ++k) {
      if (constraints[k] == 1.0) nonnegative_.push_back(static_cast<int>(k));
      if (constraints[k] == 2.0) positive_.push_back(static_cast<int>(k));
    }
  }
  // Whether u meets them (false for a NaN entry they bound).
  bool met(const double* u) const {
    bool met = true;
    for (int k : nonnegative_) met &= u[k] >= 0.0;
    for (int k : positive_) met &= u[k] > 0.0;
    return met;
  }

 private:
  std::vector<int> nonnegative_, positive_;
};

// max_k |f_k| (four interleaved maxima: the same value as one), or false when some f_k is not
// finite.
bool finite_max_abs(const double* f, int n, double& out) {
  double m0 = 0.0, m1 = 0.0, m2 = 0.0, m3 = 0.0;
  bool finite = true;
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    finite &= std::isfinite(f[k]) & std::isfinite(f[k + 1]) & std::isfinite(f[k + 2]) &
              std::isfinite(f[k + 3]);
    m0 = std::max(m0, std::fabs(f[k]));
    m1 = std::max(m1, std::fabs(f[k + 1]));
    m2 = std::max(m2, std::fabs(f[k + 2]));
    m3 = std::max(m3, std::fabs(f[k + 3]));
  }
  for (; k < n; ++k) {
    finite &= std::isfinite(f[k]);
    m0 = std::max(m0, std::fabs(f[k]));
  }
  out = std::max(std::max(m0, m1), std::max(m2, m3));
  return finite;
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Lobatto IIIA (3 stages) coefficients: midpoint row and end row.
constexpr double kMid0 = 5.0 / 24.0, kMidM = 1.0 / 3.0, kMid1 = -1.0 / 24.0;
constexpr double kEnd0 = 1.0 / 6.0, kEndM = 2.0 / 3.0, kEnd1 = 1.0 / 6.0;
constexpr double kBoundaryStep = 1e-5;  // relative central-difference step, right boundary map
// Newton iterations with full steps before the line search takes over (newton_on_mesh).
constexpr int kFullStepIterations = 8;
// Largest scaled residual of a guess for which the first Newton matrix may be a chord one.
constexpr double kChordGuessResidual = 1e-3;

std::string check_problem(const BoundaryValueProblem& pb, const MeshSolution& g) {
  const int n = pb.state_size, m = pb.left_free_size, p = pb.parameter_size;
  if (n < 1 || m < 0 || p < 0 || m > n) return "bad problem sizes";
  if (!pb.rhs || !pb.left_state || !pb.right_residual) {
    return "rhs, left_state and right_residual are required";
  }
  if (static_cast<int>(pb.typical_state.size()) != n ||
      static_cast<int>(pb.typical_left_free.size()) != m ||
      static_cast<int>(pb.typical_params.size()) != p) {
    return "typical magnitudes have the wrong size";
  }
  for (double v : pb.typical_state)
    if (!(v > 0.0)) return "typical_state must be positive";
  for (double v : pb.typical_left_free)
    if (!(v > 0.0)) return "typical_left_free must be positive";
  for (double v : pb.typical_params)
    if (!(v > 0.0)) return "typical_params must be positive";
  if (!pb.positive_state.empty() && static_cast<int>(pb.positive_state.size()) != n) {
    return "positive_state must be empty or have n flags";
  }
  if (!pb.positive_params.empty() && static_cast<int>(pb.positive_params.size()) != p) {
    return "positive_params must be empty or have p flags";
  }
  if (g.nodes.size() < 2) return "need at least two mesh points";
  for (size_t i = 0; i + 1 < g.nodes.size(); ++i) {
    if (!(g.nodes[i + 1] > g.nodes[i])) return "mesh must be strictly increasing";
  }
  if (g.states.size() != g.nodes.size() * static_cast<size_t>(n)) {
    return "guess.states must have (N+1)·n entries";
  }
  if (static_cast<int>(g.left_free.size()) != m || static_cast<int>(g.params.size()) != p) {
    return "guess.left_free / guess.params have the wrong size";
  }
  if (!(g.time_stretch >= 1.0)) return "time_stretch must be >= 1";
  for (double v : g.states)
    if (!std::isfinite(v)) return "guess has non-finite states";
  for (double v : g.left_free)
    if (!std::isfinite(v)) return "guess has non-finite left unknowns";
  for (size_t k = 0; k < g.params.size(); ++k) {
    if (!std::isfinite(g.params[k])) return "guess has non-finite parameters";
    if (!pb.positive_params.empty() && pb.positive_params[k] && !(g.params[k] > 0.0)) {
      return "guess has a non-positive parameter that must stay positive";
    }
  }
  return {};
}

TimeMap time_map_of(const MeshSolution& s) {
  return {s.nodes.front(), s.nodes.back() - s.nodes.front(), s.time_stretch};
}

// Cubic Hermite basis on [0, 1] and its derivative.
struct Hermite {
  double h00, h10, h01, h11;
  static Hermite value(double s) {
    return {(1 + 2 * s) * (1 - s) * (1 - s), s * (1 - s) * (1 - s), s * s * (3 - 2 * s),
            s * s * (s - 1)};
  }
  static Hermite slope(double s) {
    return {6 * s * s - 6 * s, 3 * s * s - 4 * s + 1, -6 * s * s + 6 * s, 3 * s * s - 2 * s};
  }
  // The cubic on an interval of length h in ξ with end values ya, yb and slopes ga, gb (n each),
  // with these basis values, into out.
  void combine(double h, const double* ya, const double* ga, const double* yb, const double* gb,
               int n, double* out) const {
    for (int j = 0; j < n; ++j)
      out[j] = h00 * ya[j] + h * h10 * ga[j] + h01 * yb[j] + h * h11 * gb[j];
  }
};

// ξ of point k of a mesh in ξ: k = 2i (node i) or 2i+1 (midpoint of interval i).
double collocation_point_xi(const std::vector<double>& xi, int k) {
  return k % 2 == 0 ? xi[k / 2] : 0.5 * (xi[k / 2] + xi[k / 2 + 1]);
}

// The discretisation on one mesh: residual, Newton matrix, indicators. team: the loops over the
// collocation points run on its threads when the problem has at_points (else serially).
class Discretisation {
 public:
  Discretisation(const BoundaryValueProblem& pb, const TimeMap& map, std::vector<double> xi,
                 double fd_step, WorkerTeam* team = nullptr)
      : pb_(pb),
        map_(map),
        xi_(std::move(xi)),
        fd_step_(fd_step),
        team_(team && team->threads() > 1 && pb.at_points ? team : nullptr),
        n_(pb.state_size),
        m_(pb.left_free_size),
        p_(pb.parameter_size),
        N_(static_cast<int>(xi_.size()) - 1) {
    g_.resize((2 * N_ + 1) * n_);  // (jac_ at the first Newton matrix: chord steps need none)
    // t(ξ) and t'(ξ) at the collocation points, once per mesh (two pows a point otherwise, in
    // every residual). The times are the same bits as map.time(point ξ) (the levels cache of a
    // problem may key on them: collocation_point_times).
    point_time_.resize(2 * N_ + 1);
    point_rate_.resize(2 * N_ + 1);
    for (int k = 0; k <= 2 * N_; ++k) {
      point_time_[k] = map_.time(point_xi(k));
      point_rate_[k] = map_.rate(point_xi(k));
    }
  }

  int size() const { return param_index() + p_; }
  int node_index(int i) const { return m_ + 2 * i * n_; }
  int mid_index(int i) const { return m_ + (2 * i + 1) * n_; }
  int param_index() const { return m_ + (2 * N_ + 1) * n_; }
  int intervals() const { return N_; }
  const std::vector<double>& xi() const { return xi_; }
  long rhs_evaluations() const { return rhs_evaluations_; }

  // g(ξ, y) = f(t(ξ), y)·t'(ξ)
  void g(double x, const double* y, double* out) const {
    slope_at_time(map_.time(x), map_.rate(x), y, out);
  }
  // g at collocation point k (ξ = point_xi(k)): through the point evaluator when given, else
  // the problem's rhs. calls: incremented by the rhs calls made.
  void g_at_point(int k, const double* y, double* out, PointEvaluator* evaluator,
                  long& calls) const {
    const double rate = point_rate_[k];
    if (rate == 0.0) {
      std::fill(out, out + n_, 0.0);
      return;
    }
    if (evaluator) {
      evaluator->rhs(evaluator_point_[k], y, out);
    } else {
      pb_.rhs(point_time_[k], y, out);
    }
    ++calls;
    for (int j = 0; j < n_; ++j) out[j] *= rate;
  }

  // ∂g/∂y at collocation point k and y, row-major (evaluator and calls as g_at_point).
  void g_jacobian_at_point(int k, const double* y, double* J, PointEvaluator* evaluator,
                           long& calls) const {
    const double rate = point_rate_[k];
    if (rate == 0.0) {
      std::fill(J, J + n_ * n_, 0.0);
      return;
    }
    const double t = point_time_[k];
    const auto rhs = [&](const double* at, double* f) {
      if (evaluator) {
        evaluator->rhs(evaluator_point_[k], at, f);
      } else {
        pb_.rhs(t, at, f);
      }
    };
    if (pb_.jacobian) {
      if (evaluator) {
        evaluator->jacobian(evaluator_point_[k], y, J);
      } else {
        pb_.jacobian(t, y, J);
      }
    } else {
      std::vector<double> yp(y, y + n_), fp(n_), fm(n_);
      for (int k = 0; k < n_; ++k) {
        const double step = fd_step_ * std::max(std::fabs(y[k]), pb_.typical_state[k]);
        const bool positive = !pb_.positive_state.empty() && pb_.positive_state[k];
        const double down = positive ? std::min(step, 0.5 * y[k]) : step;
        yp[k] = y[k] + step;
        rhs(yp.data(), fp.data());
        yp[k] = y[k] - down;
        rhs(yp.data(), fm.data());
        yp[k] = y[k];
        calls += 2;
        for (int i = 0; i < n_; ++i) J[i * n_ + k] = (fp[i] - fm[i]) / (step + down);
      }
    }
    for (int k = 0; k < n_ * n_; ++k) {
      J[k] *= rate;
      if (!std::isfinite(J[k])) throw std::runtime_error("collocation: non-finite Jacobian");
    }
  }

  double point_xi(int k) const { return collocation_point_xi(xi_, k); }

  void residual(const double* u, double* F) const {
    slopes_at_.clear();  // g_ is being overwritten
    for_each_point([&](int k, PointEvaluator* evaluator, long& calls) {
      g_at_point(k, u + m_ + k * n_, &g_[k * n_], evaluator, calls);
    });
    slopes_at_.assign(u, u + size());
    std::vector<double> y0(n_);
    pb_.left_state(u, y0.data());
    const auto& typ = pb_.typical_state;
    for (int j = 0; j < n_; ++j) F[j] = (u[node_index(0) + j] - y0[j]) / typ[j];
    // The collocation rows, each interval into its own rows (on the team: ~2·n divisions per
    // interval).
    run_on(team_, N_, [&](int begin, int end) {
      for (int i = begin; i < end; ++i) {
        const double h = xi_[i + 1] - xi_[i];
        const double *ya = u + node_index(i), *ym = u + mid_index(i), *yb = u + node_index(i + 1);
        const double *ga = &g_[2 * i * n_], *gm = &g_[(2 * i + 1) * n_],
                     *gb = &g_[(2 * i + 2) * n_];
        double* Fm = F + n_ + 2 * i * n_;
        double* Fe = Fm + n_;
        for (int j = 0; j < n_; ++j) {
          Fm[j] = (ym[j] - ya[j] - h * (kMid0 * ga[j] + kMidM * gm[j] + kMid1 * gb[j])) / typ[j];
          Fe[j] = (yb[j] - ya[j] - h * (kEnd0 * ga[j] + kEndM * gm[j] + kEnd1 * gb[j])) / typ[j];
        }
      }
    });
    pb_.right_residual(u + node_index(N_), u + param_index(), F + n_ + 2 * N_ * n_);
  }

  // g at every point (node i at 2i·n, midpoint i at (2i+1)·n) of u: those of the last residual
  // evaluation when it was at u, else evaluated.
  const std::vector<double>& slopes(const double* u) const {
    if (static_cast<int>(slopes_at_.size()) != size() ||
        !std::equal(slopes_at_.begin(), slopes_at_.end(), u)) {
      slopes_at_.clear();
      for_each_point([&](int k, PointEvaluator* evaluator, long& calls) {
        g_at_point(k, u + m_ + k * n_, &g_[k * n_], evaluator, calls);
      });
      slopes_at_.assign(u, u + size());
    }
    return g_;
  }

  // ∂g/∂y at every point (as slopes()) used by the last newton_matrix().
  const std::vector<double>& point_jacobians() const { return jac_; }

  // The Newton matrix at u, block by block (solvers/collocation_matrix.hpp). point_jacobians:
  // ∂g/∂y at every point to use instead of evaluating them at u (a chord matrix), or nullptr.
  void newton_matrix(const double* u, CollocationMatrix& A,
                     const std::vector<double>* point_jacobians = nullptr) const {
    const auto& typ = pb_.typical_state;
    if (A.size() != size() || A.intervals() != N_) A.reshape(n_, m_, p_, N_);
    jac_.resize(static_cast<size_t>(2 * N_ + 1) * n_ * n_);
    if (point_jacobians && point_jacobians->size() == jac_.size()) {
      jac_ = *point_jacobians;
    } else {
      // (A loop that throws may leave later points' Jacobians of the team's other threads in
      // jac_: a failed matrix is never read.)
      for_each_point([&](int k, PointEvaluator* evaluator, long& calls) {
        g_jacobian_at_point(k, u + m_ + k * n_, &jac_[k * n_ * n_], evaluator, calls);
      });
    }
    // left rows: y_0 − left_state(z); columns z, y_0
    double* L = A.left_block();
    const int lw = m_ + n_;
    std::fill(L, L + n_ * lw, 0.0);
    for (int j = 0; j < n_; ++j) L[j * lw + m_ + j] = 1.0 / typ[j];
    if (m_ > 0) {
      std::vector<double> z(u, u + m_), base(n_), moved(n_);
      pb_.left_state(z.data(), base.data());
      for (int k = 0; k < m_; ++k) {
        const double step = fd_step_ * std::max(std::fabs(z[k]), pb_.typical_left_free[k]);
        z[k] += step;
        pb_.left_state(z.data(), moved.data());
        z[k] = u[k];
        for (int j = 0; j < n_; ++j) L[j * lw + k] = -(moved[j] - base[j]) / step / typ[j];
      }
    }
    // collocation rows; columns y_i, y_{i½}, y_{i+1}
    const int bw = 3 * n_;
    for (int i = 0; i < N_; ++i) {
      const double h = xi_[i + 1] - xi_[i];
      const double *Ja = &jac_[2 * i * n_ * n_], *Jm = &jac_[(2 * i + 1) * n_ * n_],
                   *Jb = &jac_[(2 * i + 2) * n_ * n_];
      double* B = A.interval_block(i);
      for (int a = 0; a < n_; ++a) {
        const double s = 1.0 / typ[a];
        double* mid_row = B + a * bw;
        double* end_row = B + (n_ + a) * bw;
        for (int b = 0; b < n_; ++b) {
          const double id = a == b ? 1.0 : 0.0;
          const double ja = Ja[a * n_ + b], jm = Jm[a * n_ + b], jb = Jb[a * n_ + b];
          mid_row[b] = s * (-id - h * kMid0 * ja);
          mid_row[n_ + b] = s * (id - h * kMidM * jm);
          mid_row[2 * n_ + b] = s * (-h * kMid1 * jb);
          end_row[b] = s * (-id - h * kEnd0 * ja);
          end_row[n_ + b] = s * (-h * kEndM * jm);
          end_row[2 * n_ + b] = s * (id - h * kEnd1 * jb);
        }
      }
    }
    right_block(u, A.right_block());
  }

  // The right rows of the Newton matrix at u: central differences of right_residual in y_N and
  // the parameters, row-major (m + p) × (n + p).
  void right_block(const double* u, double* R) const {
    const auto& typ = pb_.typical_state;
    const int rows = m_ + p_, rw = n_ + p_;
    std::vector<double> yN(u + node_index(N_), u + node_index(N_) + n_);
    std::vector<double> par(u + param_index(), u + param_index() + p_), rp(rows), rm(rows);
    // The right condition may hold an eigen-decomposition of difference Jacobians (noise
    // ~1e-10 relative): a larger central step (error ∝ step²) keeps its derivative accurate.
    const auto column = [&](double* x, double typical, bool positive, int col) {
      const double x0 = *x;
      double step = kBoundaryStep * std::max(std::fabs(x0), typical);
      if (positive) step = std::min(step, 0.5 * x0);
      *x = x0 + step;
      pb_.right_residual(yN.data(), par.data(), rp.data());
      *x = x0 - step;
      pb_.right_residual(yN.data(), par.data(), rm.data());
      *x = x0;
      for (int r = 0; r < rows; ++r) R[r * rw + col] = (rp[r] - rm[r]) / (2.0 * step);
    };
    for (int j = 0; j < n_; ++j) {
      const bool positive = !pb_.positive_state.empty() && pb_.positive_state[j];
      column(&yN[j], typ[j], positive && yN[j] > 0.0, j);
    }
    for (int k = 0; k < p_; ++k) {
      const bool positive = !pb_.positive_params.empty() && pb_.positive_params[k];
      column(&par[k], pb_.typical_params[k], positive, n_ + k);
    }
  }

  // Per interval: h·max_j |S'(ξ) − g(ξ, S(ξ))|/typ_j at the two interior points of the
  // 5-point Lobatto rule (the residual vanishes at the three collocation points).
  std::vector<double> interval_indicators(const double* u) const {
    static const double offsets[2] = {0.5 - std::sqrt(21.0) / 14.0, 0.5 + std::sqrt(21.0) / 14.0};
    std::vector<double> e(N_, 0.0), y(n_), gy(n_);
    const std::vector<double>& point_slopes = slopes(u);
    for (int i = 0; i < N_; ++i) {
      const double h = xi_[i + 1] - xi_[i];
      const double *ya = u + node_index(i), *yb = u + node_index(i + 1);
      const double *ga = &point_slopes[2 * i * n_], *gb = &point_slopes[(2 * i + 2) * n_];
      for (double s : offsets) {
        const Hermite v = Hermite::value(s), d = Hermite::slope(s);
        v.combine(h, ya, ga, yb, gb, n_, y.data());
        g(xi_[i] + s * h, y.data(), gy.data());
        for (int j = 0; j < n_; ++j) {
          const double slope = (d.h00 * ya[j] + d.h01 * yb[j]) / h + d.h10 * ga[j] + d.h11 * gb[j];
          e[i] = std::max(e[i], h * std::fabs(slope - gy[j]) / pb_.typical_state[j]);
        }
      }
    }
    return e;
  }

 private:
  const BoundaryValueProblem& pb_;
  TimeMap map_;
  std::vector<double> xi_;
  double fd_step_;
  WorkerTeam* team_;  // nullptr: the point loops run serially
  int n_, m_, p_, N_;
  std::vector<double> point_time_, point_rate_;  // t(ξ), t'(ξ) at the collocation points
  mutable std::vector<double> g_, jac_;
  mutable std::vector<double> slopes_at_;  // the u of g_ (empty: g_ is not for a whole u)
  mutable long rhs_evaluations_ = 0;
  // The problem's evaluator at the points with t'(ξ) ≠ 0 (built at the first loop on the team;
  // nullptr: none), the index in it of point k (−1: none), and per point the rhs calls of the
  // current loop on the team.
  mutable std::unique_ptr<PointEvaluator> evaluator_;
  mutable bool evaluator_built_ = false;
  mutable std::vector<int> evaluator_point_;
  mutable std::vector<long> point_calls_;

  // f(t, y)·rate (0 where the map is flat)
  void slope_at_time(double t, double rate, const double* y, double* out) const {
    if (rate == 0.0) {
      std::fill(out, out + n_, 0.0);
      return;
    }
    pb_.rhs(t, y, out);
    ++rhs_evaluations_;
    for (int j = 0; j < n_; ++j) out[j] *= rate;
  }

  // The point evaluator for a loop on the team (after its begin_loop), or nullptr: serial.
  PointEvaluator* loop_evaluator() const {
    if (!team_) return nullptr;
    if (!evaluator_built_) {
      evaluator_built_ = true;
      std::vector<double> times;
      evaluator_point_.assign(2 * N_ + 1, -1);
      for (int k = 0; k <= 2 * N_; ++k) {
        if (point_rate_[k] == 0.0) continue;
        evaluator_point_[k] = static_cast<int>(times.size());
        times.push_back(point_time_[k]);
      }
      evaluator_ = pb_.at_points(times);
      point_calls_.assign(2 * N_ + 1, 0);
    }
    return evaluator_ && evaluator_->begin_loop() ? evaluator_.get() : nullptr;
  }

  // body(k, evaluator, calls) for the points k = 0..2N: in order with the problem's rhs
  // (evaluator nullptr), or split over the team with the point evaluator. rhs_evaluations_
  // counts the calls of the points the serial loop would have reached (up to a failed one).
  template <class Body>
  void for_each_point(const Body& body) const {
    const int points = 2 * N_ + 1;
    PointEvaluator* evaluator = loop_evaluator();
    if (!evaluator) {
      for (int k = 0; k < points; ++k) body(k, nullptr, rhs_evaluations_);
      return;
    }
    std::fill(point_calls_.begin(), point_calls_.end(), 0);
    std::atomic<int> failed{points};  // the lowest point whose body threw
    const auto count_calls = [&](int through) {
      for (int k = 0; k <= through; ++k) rhs_evaluations_ += point_calls_[k];
    };
    try {
      team_->run(points, [&](int begin, int end) {
        for (int k = begin; k < end; ++k) {
          try {
            body(k, evaluator, point_calls_[k]);
          } catch (...) {
            int lowest = failed.load();
            while (k < lowest && !failed.compare_exchange_weak(lowest, k)) {
            }
            throw;
          }
        }
      });
    } catch (...) {
      const int k = failed.load();
      count_calls(std::min(k, points - 1));
      evaluator->end_loop(k < points ? evaluator_point_[k] : -1);
      throw;
    }
    count_calls(points - 1);
    evaluator->end_loop(-1);
  }
};

// Packs a mesh solution into the unknown vector of its discretisation.
std::vector<double> pack(const Discretisation& d, const MeshSolution& s, int n) {
  std::vector<double> u(d.size());
  std::copy(s.left_free.begin(), s.left_free.end(), u.begin());
  const int N = d.intervals();
  for (int i = 0; i <= N; ++i) std::copy_n(&s.states[i * n], n, &u[d.node_index(i)]);
  for (int i = 0; i < N; ++i) std::copy_n(&s.midpoints[i * n], n, &u[d.mid_index(i)]);
  std::copy(s.params.begin(), s.params.end(), u.begin() + d.param_index());
  return u;
}

void unpack(const Discretisation& d, const std::vector<double>& u, int n, MeshSolution& s) {
  const int N = d.intervals();
  std::copy_n(u.begin(), s.left_free.size(), s.left_free.begin());
  for (int i = 0; i <= N; ++i) std::copy_n(&u[d.node_index(i)], n, &s.states[i * n]);
  s.midpoints.resize(N * n);
  for (int i = 0; i < N; ++i) std::copy_n(&u[d.mid_index(i)], n, &s.midpoints[i * n]);
  std::copy_n(u.begin() + d.param_index(), s.params.size(), s.params.begin());
}

std::vector<double> xi_of(const MeshSolution& s) {
  const TimeMap map = time_map_of(s);
  std::vector<double> xi(s.nodes.size());
  for (size_t i = 0; i < xi.size(); ++i) xi[i] = map.xi(s.nodes[i]);
  xi.front() = 0.0;
  xi.back() = 1.0;
  return xi;
}

// Chord steps with a reused factorisation A (of a nearby problem on this mesh) whose right rows
// are replaced by those of the current problem at the guess (a right condition may move with the
// parameters more than the rest: a condition at a reference point does): only the trailing
// columns of A's banded LU that the right rows reach are factorised again
// (CollocationMatrix::factorize_right_rows). State rows rescaled as solve_rescaled does.
class ChordSolver {
 public:
  ChordSolver(const CollocationFactorisation& f, const Discretisation& d,
              const BoundaryValueProblem& pb, const double* u, WorkerTeam* team)
      : f_(f), typical_state_(pb.typical_state), team_(team) {
    const CollocationMatrix& A = f.matrix;
    std::vector<double> right(static_cast<size_t>(A.left_free_size() + A.parameter_size()) *
                              (A.state_size() + A.parameter_size()));
    d.right_block(u, right.data());
    regular_ = A.factorize_right_rows(right.data(), right_rows_);
  }
  bool regular() const { return regular_; }

  void solve(double* b) const { solve_rescaled(f_, typical_state_, b, &right_rows_, team_); }

 private:
  const CollocationFactorisation& f_;
  const std::vector<double>& typical_state_;
  WorkerTeam* team_;  // the current solve's
  CollocationMatrix::RightRowsReplaced right_rows_;
  bool regular_ = true;
};

struct MeshNewton {
  bool converged = false, stalled = false, timed_out = false;
  int iterations = 0;
  int chord_iterations = 0;  // of iterations: with the reused matrix
  double residual_max = 0.0;
  // A holds a factorised Newton matrix of this mesh (at the last iterate but one, or earlier);
  // false when the answer came from chord steps alone (or from no step).
  bool factorised = false;
  bool chord_converged = false;  // the chord steps alone reached the tolerance
  std::vector<double> residual;  // at the answer, when known (else empty)
  std::string message;
};

// Newton (KINSOL, line search) on the mesh of s, discretised by d; s is updated in place with the
// last iterate. first_jacobians: ∂g/∂y at every point for the first Newton matrix (a chord
// step; later ones are exact), or nullptr. chord_matrix: a factorised Newton matrix of a nearby
// problem on this mesh: chord steps with it first (while each lowers the residual's max-norm by
// o.chord_contraction), then exact Newton from the last accepted iterate; or nullptr.
MeshNewton newton_on_mesh(const Discretisation& d, const BoundaryValueProblem& pb, MeshSolution& s,
                          const CollocationOptions& o, double newton_tol, double time_left,
                          CollocationMatrix& A,
                          const std::vector<double>* first_jacobians = nullptr,
                          const ChordSolver* chord_matrix = nullptr) {
  const int n = pb.state_size;
  std::vector<double> u = pack(d, s, n);
  const int U = d.size();
  NonlinearSystem sys;
  sys.size = U;
  sys.residual = [&d](const double* x, double* F) { d.residual(x, F); };
  // The time limit is also checked before each Newton matrix (on 40000 intervals its sparse LU
  // takes seconds; KINSOL itself checks only in the residual).
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(time_left > 0.0 ? time_left : 1e9));
  bool setup_timed_out = false;
  MeshNewton r;
  sys.preconditioner_setup = [&](const double* x, const double*) {
    if (time_left > 0.0 && Clock::now() > deadline) {
      setup_timed_out = true;
      throw std::runtime_error("collocation: time limit reached before a Newton matrix");
    }
    r.factorised = false;
    d.newton_matrix(x, A, first_jacobians);
    first_jacobians = nullptr;
    if (!A.factorize(true, o.team)) throw std::runtime_error("collocation: singular Newton matrix");
    r.factorised = true;
  };
  sys.preconditioner_solve = [&](double* v) { A.solve(v, o.team); };
  sys.jacobian_times = [&](const double* v, double* Jv) { A.multiply(v, Jv); };
  sys.u_scale.assign(U, 1.0);
  const auto& typ = pb.typical_state;
  for (int k = 0; k < pb.left_free_size; ++k) sys.u_scale[k] = 1.0 / pb.typical_left_free[k];
  std::vector<double> state_scale(n);
  for (int j = 0; j < n; ++j) state_scale[j] = 1.0 / typ[j];
  for (int k = 0; k <= 2 * d.intervals(); ++k)
    std::copy_n(state_scale.begin(), n, sys.u_scale.begin() + pb.left_free_size + k * n);
  for (int k = 0; k < pb.parameter_size; ++k)
    sys.u_scale[d.param_index() + k] = 1.0 / pb.typical_params[k];
  const bool any_positive =
      std::any_of(pb.positive_state.begin(), pb.positive_state.end(), [](bool b) { return b; }) ||
      std::any_of(pb.positive_params.begin(), pb.positive_params.end(), [](bool b) { return b; });
  if (any_positive) {
    sys.constraints.assign(U, 0.0);
    for (int k = 1; k <= 2 * d.intervals(); ++k) {  // node 0 is fixed by left_state: no constraint
      for (int j = 0; j < n; ++j) {
        if (pb.positive_state.empty() || !pb.positive_state[j]) continue;
        double& v = u[pb.left_free_size + k * n + j];
        v = std::max(v, 0.0);  // KINSOL refuses a guess outside the constraints
        sys.constraints[pb.left_free_size + k * n + j] = 1.0;  // ≥ 0
      }
    }
    for (int k = 0; k < pb.parameter_size; ++k) {
      if (!pb.positive_params.empty() && pb.positive_params[k])
        sys.constraints[d.param_index() + k] = 2.0;
    }
  }
  NewtonKrylovOptions no;
  no.function_tolerance = newton_tol;
  no.step_tolerance = 1e-14;
  no.max_iterations = o.max_newton_iterations;
  no.max_setup_calls = 1;  // exact Newton: a fresh matrix every iteration
  // KINSOL's default largest step is 1000 × the scaled norm of the guess (1 for a zero guess).
  no.max_newton_step = 1000.0 * std::sqrt(static_cast<double>(U));
  no.max_krylov_dimension = 5;
  no.time_limit = time_left;
  // Full Newton steps first, with the block LU directly (no Krylov wrapper): from a good guess (a
  // warm start, a solution moved to a new mesh) KINSOL's line search can crawl, rejecting full
  // steps where the rhs is not smooth (w near 0): 21 iterations instead of 5 at γR/γE = 5e5.
  // Every step must lower the residual's max-norm (else the guess is outside Newton's basin,
  // and a full step may land on another discrete solution); they give up at the first that
  // does not, at kFullStepIterations, a failed evaluation, a singular matrix or a constraint
  // left; then KINSOL's Newton with the line search from the same guess.
  std::vector<double> guess;  // where KINSOL starts: the guess or the chord steps' last iterate
  int full_steps = 0, chord_steps = 0;
  bool done = false;
  {
    std::vector<double> F(U), step(U);
    std::vector<double> weight(U);  // the scaled inner product's: u_scale²
    for (int k = 0; k < U; ++k) weight[k] = sys.u_scale[k] * sys.u_scale[k];
    double norm = INFINITY;
    const auto evaluate = [&] {
      try {
        d.residual(u.data(), F.data());
      } catch (const std::exception&) {
        return false;
      }
      return finite_max_abs(F.data(), U, norm);
    };
    const Bounds bounds(sys.constraints);
    const auto feasible = [&] { return bounds.met(u.data()); };
    const auto largest_step = [&] {  // KINSOL's largest step (scaled 2-norm) as a factor
      const double length = std::sqrt(weighted_dot(step.data(), step.data(), weight.data(), U));
      return length > no.max_newton_step ? no.max_newton_step / length : 1.0;
    };
    bool evaluated = evaluate();
    // Chord steps with the reused matrix A, with Broyden's updates of its inverse (Kelley's
    // brsol: H = (I + Σ rank-one) A⁻¹ from the steps taken, in the scaled inner product): a
    // residual, a back-substitution and a few inner products each; superlinear where the plain
    // chord iteration contracts only by ‖I − A⁻¹J‖.
    if (evaluated && chord_matrix) {
      // The full quasi-Newton steps taken, in order (the first `stored` of `history`), and their
      // squared scaled norms. Each step is computed in the slot after them (a step kept is not
      // copied); the slots are kept for the next steps after a restart of the updates.
      std::vector<std::unique_ptr<double[]>> history;
      std::vector<double> step_norms;
      int stored = 0;
      std::vector<double> before(U);  // the iterate before the step
      while (!(done = norm <= newton_tol) && chord_steps < o.max_newton_iterations) {
        if (time_left > 0.0 && Clock::now() > deadline) break;  // Newton below reports it
        const double before_norm = norm;
        if (static_cast<int>(history.size()) <= stored)
          history.emplace_back(std::unique_ptr<double[]>(new double[U]));
        const int slot = stored;
        double* z = history[slot].get();
        const auto chord_step = [&] {  // z = −A⁻¹F
          for (int k = 0; k < U; ++k) z[k] = -F[k];
          chord_matrix->solve(z);
        };
        chord_step();
        // z's squared scaled norm (for the largest step), when a pass computed it already.
        double z_norm = -1.0;
        if (stored > 0) {
          // z += (s_j·z/‖s_j‖²) s_{j+1} for j < stored − 1, then z /= 1 − s_last·z/‖s_last‖²;
          // each update pass also makes the next inner product (with the same s_{j+1}).
          double product = weighted_dot(history[0].get(), z, weight.data(), U);
          for (int j = 0; j + 1 < stored; ++j)
            product = add_and_weighted_dot(z, product / step_norms[j], history[j + 1].get(),
                                           weight.data(), U);
          const double denominator = 1.0 - product / step_norms[stored - 1];
          if (std::fabs(denominator) < 0.1) {  // a degenerate update: restart from A⁻¹
            stored = 0;
            chord_step();
          } else {
            z_norm = divide_and_weighted_square(z, denominator, weight.data(), U);
          }
        }
        if (z_norm < 0.0) z_norm = weighted_dot(z, z, weight.data(), U);
        // KINSOL's largest step (scaled 2-norm) as a factor
        const double length = std::sqrt(z_norm);
        const double shrink = length > no.max_newton_step ? no.max_newton_step / length : 1.0;
        // before ← u, u ← u + shrink·z (into the other buffer)
        for (int k = 0; k < U; ++k) before[k] = u[k] + shrink * z[k];
        std::swap(u, before);
        if (shrink == 1.0 && z_norm > 0.0) {  // a quasi-Newton step: kept
          if (slot != stored) std::swap(history[slot], history[stored]);
          if (static_cast<int>(step_norms.size()) <= stored) step_norms.resize(stored + 1);
          step_norms[stored++] = z_norm;
        } else {  // a shortened step is no quasi-Newton step: restart the updates
          stored = 0;
        }
        ++chord_steps;
        if (!feasible() || !evaluate() || !(norm <= o.chord_contraction * before_norm)) {
          std::swap(u, before);  // did not contract enough: exact Newton from the last iterate
          evaluated = evaluate();
          break;
        }
      }
      r.chord_iterations = chord_steps;
      if (done) {
        unpack(d, u, n, s);
        r.iterations = chord_steps;
        r.residual_max = norm;
        r.converged = r.chord_converged = true;
        r.residual = std::move(F);
        r.message = "Newton (chord steps with a reused matrix) converged after " +
                    std::to_string(chord_steps) + " iterations, scaled residual " +
                    std::to_string(norm);
        return r;
      }
    }
    guess = u;
    if (evaluated) {
      const int most = std::min(kFullStepIterations, o.max_newton_iterations - chord_steps);
      // A chord matrix only for a guess already close (a stiff problem's interpolated guess,
      // residual ~1e8, went to another discrete solution with it).
      if (norm > kChordGuessResidual) first_jacobians = nullptr;
      double previous = INFINITY;
      while (!(done = norm <= newton_tol) && full_steps < most && norm < previous) {
        previous = norm;
        if (time_left > 0.0 && Clock::now() > deadline) {
          r.timed_out = true;
          r.message = "collocation: time limit reached in Newton";
          return r;
        }
        r.factorised = false;
        try {
          d.newton_matrix(u.data(), A, first_jacobians);
        } catch (const std::exception&) {
          break;
        }
        first_jacobians = nullptr;
        if (!A.factorize(false, o.team)) break;
        r.factorised = true;
        ++full_steps;
        for (int k = 0; k < U; ++k) step[k] = -F[k];
        A.solve(step.data(), o.team);
        // KINSOL's largest step (scaled 2-norm), as the line-search Newton below has it.
        const double shrink = largest_step();
        for (int k = 0; k < U; ++k) u[k] += shrink * step[k];
        if (!feasible() || !evaluate()) break;
      }
    }
    full_steps += chord_steps;
    if (!done && full_steps >= o.max_newton_iterations) {  // no iteration left for KINSOL
      if (feasible() && evaluate()) {
        unpack(d, u, n, s);
        r.residual_max = norm;
      }
      r.iterations = full_steps;
      r.message = "Newton: no convergence in " + std::to_string(full_steps) +
                  " iterations (max_newton_iterations), scaled residual " + std::to_string(norm);
      return r;
    }
    if (done) {
      unpack(d, u, n, s);
      r.iterations = full_steps;
      r.residual_max = norm;
      r.converged = true;
      r.residual = F;
      r.message = "Newton (full steps) converged after " + std::to_string(full_steps) +
                  " iterations, scaled residual " + std::to_string(norm);
      return r;
    }
  }
  NewtonKrylovSummary ks;
  u = guess;
  if (time_left > 0.0)
    no.time_limit = std::max(std::chrono::duration<double>(deadline - Clock::now()).count(), 1e-9);
  try {
    ks = solve_newton_krylov(sys, u, no);
  } catch (const std::exception& e) {
    r.message = e.what();
    return r;
  }
  ks.iterations += full_steps;
  unpack(d, u, n, s);
  r.iterations = static_cast<int>(ks.iterations);
  r.residual_max = ks.residual_max;
  r.timed_out = ks.timed_out || setup_timed_out;
  r.converged = ks.converged && ks.residual_max <= newton_tol * 1.0000001;
  if (!r.converged && !r.timed_out && std::isfinite(ks.residual_max) &&
      ks.residual_max <= o.stall_factor * newton_tol) {
    r.converged = r.stalled = true;
  }
  std::ostringstream os;
  os << "KINSOL " << ks.message << " after " << ks.iterations << " iterations, scaled residual "
     << ks.residual_max;
  if (!ks.last_residual_error.empty())
    os << " (last residual error: " << ks.last_residual_error << ")";
  r.message = os.str();
  return r;
}

// New mesh in ξ from per-interval error indicators: an interval above the tolerance is split
// into k equal pieces, k from e ∝ h⁴ with a margin of 2, at most 8.
std::vector<double> refine(const std::vector<double>& xi, const std::vector<double>& e,
                           double tol) {
  std::vector<double> out{xi.front()};
  for (size_t i = 0; i < e.size(); ++i) {
    const double a = xi[i], b = xi[i + 1];
    if (e[i] > tol) {
      const int k = std::clamp(static_cast<int>(std::ceil(std::pow(2.0 * e[i] / tol, 0.25))), 2, 8);
      for (int q = 1; q < k; ++q) out.push_back(a + (b - a) * q / k);
    }
    out.push_back(b);
  }
  return out;
}

std::vector<double> times_of(const TimeMap& map, const std::vector<double>& xi) {
  std::vector<double> t(xi.size());
  for (size_t i = 0; i < xi.size(); ++i) t[i] = map.time(xi[i]);
  t.front() = map.t0;
  t.back() = map.t0 + map.length;
  return t;
}

// The solution s (packed in u) on the mesh of d moved onto the mesh xi_new (in ξ, same map):
// node and midpoint values from the collocation cubics with d's slopes at u (no rhs evaluation
// when the last residual was at u). Left unknowns and parameters kept.
MeshSolution remesh_on(const Discretisation& d, const MeshSolution& s, const std::vector<double>& u,
                       const std::vector<double>& xi_new, const TimeMap& map) {
  const int n = static_cast<int>(s.states.size() / s.nodes.size());
  const std::vector<double>& slopes = d.slopes(u.data());
  const std::vector<double>& xi = d.xi();
  const int N = d.intervals(), M = static_cast<int>(xi_new.size()) - 1;
  const auto cubic_at = [&](double x, double* out) {
    int i = static_cast<int>(std::upper_bound(xi.begin(), xi.end(), x) - xi.begin()) - 1;
    i = std::clamp(i, 0, N - 1);
    const double h = xi[i + 1] - xi[i];
    const Hermite v = Hermite::value(std::clamp((x - xi[i]) / h, 0.0, 1.0));
    const double *ya = &s.states[i * n], *yb = &s.states[(i + 1) * n];
    const double *ga = &slopes[2 * i * n], *gb = &slopes[(2 * i + 2) * n];
    v.combine(h, ya, ga, yb, gb, n, out);
  };
  MeshSolution out;
  out.nodes = times_of(map, xi_new);
  out.time_stretch = s.time_stretch;
  out.left_free = s.left_free;
  out.params = s.params;
  out.states.resize(static_cast<size_t>(M + 1) * n);
  out.midpoints.resize(static_cast<size_t>(M) * n);
  for (int k = 0; k <= M; ++k) cubic_at(xi_new[k], &out.states[k * n]);
  for (int k = 0; k < M; ++k) cubic_at(0.5 * (xi_new[k] + xi_new[k + 1]), &out.midpoints[k * n]);
  return out;
}

// Every interval of a mesh in ξ halved.
std::vector<double> halve(const std::vector<double>& xi) {
  std::vector<double> out;
  for (size_t i = 0; i + 1 < xi.size(); ++i) {
    out.push_back(xi[i]);
    out.push_back(0.5 * (xi[i] + xi[i + 1]));
  }
  out.push_back(xi.back());
  return out;
}

// ∂g/∂y at every point of the halved mesh from those of the mesh (points 2N + 1 → 4N + 1): the
// nodes of the halved mesh are the points of the mesh; at its midpoints, the average of the two
// neighbours (the linear interpolant in ξ). For a chord Newton matrix.
std::vector<double> halved_point_jacobians(const std::vector<double>& jacobians, int n) {
  const size_t block = static_cast<size_t>(n) * n, points = jacobians.size() / block;
  std::vector<double> out((2 * points - 1) * block);
  for (size_t k = 0; k < points; ++k) {
    std::copy_n(&jacobians[k * block], block, &out[2 * k * block]);
    if (k + 1 < points)
      for (size_t e = 0; e < block; ++e)
        out[(2 * k + 1) * block + e] =
            0.5 * (jacobians[k * block + e] + jacobians[(k + 1) * block + e]);
  }
  return out;
}

// The error estimate from the errors at the 2N + 1 points (point_error(k, j): node k/2 or the
// midpoint of interval (k−1)/2, component j; absolute), of the left unknowns and the
// parameters. interval_error: per interval, the largest scaled error at its ends and midpoint.
template <class PointError>
BvpErrorEstimate error_estimate_of(const BoundaryValueProblem& pb, int N,
                                   const PointError& point_error,
                                   const std::vector<double>& left_free_error,
                                   const std::vector<double>& params_error,
                                   std::vector<double>& interval_error) {
  const int n = pb.state_size;
  BvpErrorEstimate est;
  est.available = true;
  est.state_abs.assign(n, 0.0);
  interval_error.assign(N, 0.0);
  for (int k = 0; k <= 2 * N; ++k) {
    for (int j = 0; j < n; ++j) {
      const double diff = std::fabs(point_error(k, j));
      const double scaled = diff / pb.typical_state[j];
      if (k % 2 == 0) est.state_abs[j] = std::max(est.state_abs[j], diff);
      est.scaled_max = std::max(est.scaled_max, scaled);
      if (k / 2 < N) interval_error[k / 2] = std::max(interval_error[k / 2], scaled);
      if (k % 2 == 0 && k > 0)
        interval_error[k / 2 - 1] = std::max(interval_error[k / 2 - 1], scaled);
    }
  }
  for (size_t k = 0; k < left_free_error.size(); ++k) {
    est.left_free_abs.push_back(std::fabs(left_free_error[k]));
    est.scaled_max = std::max(est.scaled_max, est.left_free_abs[k] / pb.typical_left_free[k]);
  }
  for (size_t k = 0; k < params_error.size(); ++k) {
    est.params_abs.push_back(std::fabs(params_error[k]));
    est.scaled_max = std::max(est.scaled_max, est.params_abs[k] / pb.typical_params[k]);
  }
  return est;
}

// Deferred correction: e = J⁻¹(F(u) − τ) (u − y* to leading order; F(u) the Newton residual left
// at u, τ the truncation error of solvers/collocation_error.hpp), by solve_system (a factorised
// Newton matrix of this mesh, near u: a matrix a few Newton steps or a small parameter change
// away changes e by that relative amount only). break_times: nodes where g may jump.
// stencils: τ's weights, used when they fit this mesh, else made anew (and returned).
BvpErrorEstimate deferred_correction_estimate(
    const Discretisation& d, const BoundaryValueProblem& pb, const std::vector<double>& u,
    const std::vector<double>& residual, const std::function<void(double*)>& solve_system,
    const TimeMap& map, const std::vector<double>& break_times,
    std::shared_ptr<const TruncationErrorStencils>& stencils, std::vector<double>& interval_error,
    WorkerTeam* team) {
  const int n = pb.state_size, N = d.intervals();
  std::vector<double> e = residual;
  if (static_cast<int>(e.size()) != d.size()) {
    e.resize(d.size());
    d.residual(u.data(), e.data());
  }
  std::vector<int> break_nodes;
  for (double t : break_times) {
    const double x = map.xi(t);
    const auto it = std::lower_bound(d.xi().begin(), d.xi().end(), x - 1e-12);
    if (it != d.xi().end() && std::fabs(*it - x) <= 1e-12)
      break_nodes.push_back(static_cast<int>(it - d.xi().begin()));
  }
  if (!stencils || !stencils->fits(d.xi(), break_nodes))
    stencils = std::make_shared<const TruncationErrorStencils>(d.xi(), break_nodes, team);
  const std::vector<double> tau = stencils->truncation_error(
      d.slopes(u.data()), pb.typical_state, pb.left_free_size + pb.parameter_size, team);
  for (size_t k = 0; k < e.size(); ++k) e[k] -= tau[k];
  solve_system(e.data());
  const int m = pb.left_free_size;
  return error_estimate_of(
      pb, N, [&](int k, int j) { return e[m + k * n + j]; },
      std::vector<double>(e.begin(), e.begin() + m),
      std::vector<double>(e.begin() + d.param_index(), e.end()), interval_error);
}

// Midpoint states of a mesh function that has none (a guess given at the nodes only): the
// average of the neighbouring nodes (a crude guess need not satisfy the rhs anywhere).
void fill_midpoints(const BoundaryValueProblem& pb, MeshSolution& s) {
  const int n = pb.state_size;
  const int N = static_cast<int>(s.nodes.size()) - 1;
  if (static_cast<int>(s.midpoints.size()) == N * n) return;
  s.midpoints.assign(N * n, 0.0);
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < n; ++j)
      s.midpoints[i * n + j] = 0.5 * (s.states[i * n + j] + s.states[(i + 1) * n + j]);
}

}  // namespace

const char* to_string(BvpMethod m) {
  switch (m) {
    case BvpMethod::Collocation:
      return "collocation";
    case BvpMethod::MultipleShooting:
      return "shooting";
  }
  return "?";
}

const char* to_string(BvpTermination t) {
  switch (t) {
    case BvpTermination::Converged:
      return "converged";
    case BvpTermination::ConvergedAtStall:
      return "converged_at_stall";
    case BvpTermination::NotConverged:
      return "not_converged";
    case BvpTermination::TimeLimit:
      return "time_limit";
    case BvpTermination::TooStiff:
      return "too_stiff";
    case BvpTermination::AccuracyNotReached:
      return "accuracy_not_reached";
    case BvpTermination::BadInput:
      return "bad_input";
  }
  return "?";
}

std::string BvpSummary::brief_report() const {
  std::ostringstream os;
  os.precision(3);
  os << to_string(method) << ": " << to_string(termination) << ", " << intervals << " intervals, "
     << newton_iterations << " Newton iterations, " << mesh_passes << " mesh passes, residual "
     << residual_max;
  if (error.available) os << ", error estimate " << error.scaled_max;
  os << ", " << seconds << " s";
  return os.str();
}

std::string BvpSummary::full_report() const {
  std::ostringstream os;
  os.precision(6);
  os << "method:              " << to_string(method) << "\n"
     << "termination:         " << to_string(termination)
     << (is_usable() ? " (usable)" : " (NOT usable)") << "\n"
     << "intervals:           " << intervals << "\n"
     << "mesh passes:         " << mesh_passes << "\n"
     << "Newton iterations:   " << newton_iterations << "\n"
     << "residual (scaled):   " << residual_max << " (tolerance " << tolerance << ")\n";
  if (error.available) {
    os << "error estimate:      " << error.scaled_max << " (scaled max)\n";
    for (size_t k = 0; k < error.params_abs.size(); ++k)
      os << "  parameter " << k << ": " << error.params_abs[k] << "\n";
    for (size_t k = 0; k < error.state_abs.size(); ++k)
      os << "  state " << k << ": " << error.state_abs[k] << "\n";
  } else {
    os << "error estimate:      not available\n";
  }
  os << "seconds:             " << seconds << "\n";
  if (!message.empty()) os << "message:             " << message << "\n";
  for (const auto& w : warnings) os << "warning:             " << w << "\n";
  return os.str();
}

std::vector<double> stretched_uniform_mesh(double t0, double tN, double time_stretch, int intervals,
                                           const std::vector<double>& break_points) {
  if (!(tN > t0) || intervals < 1 || !(time_stretch >= 1.0)) {
    throw std::invalid_argument(
        "stretched_uniform_mesh: need tN > t0, intervals >= 1, stretch >= 1");
  }
  const TimeMap map{t0, tN - t0, time_stretch};
  std::vector<double> xi;
  for (int i = 0; i <= intervals; ++i) xi.push_back(static_cast<double>(i) / intervals);
  for (double b : break_points) {
    if (!(b > t0 && b < tN)) continue;
    const double xb = map.xi(b);
    auto it = std::lower_bound(xi.begin(), xi.end(), xb);
    // Move the nearest node onto the break point (keeps the count), unless it is an end.
    if (it != xi.end() && it != xi.begin()) {
      auto nearest = (xb - *(it - 1) < *it - xb) ? it - 1 : it;
      if (nearest != xi.begin() && nearest != xi.end() - 1) {
        *nearest = xb;
      } else {
        xi.insert(it, xb);
      }
    }
  }
  std::vector<double> t = times_of(map, xi);
  for (double b : break_points) {  // exact break times
    for (double& x : t)
      if (std::fabs(x - b) <= 1e-12 * (tN - t0)) x = b;
  }
  return t;
}

std::vector<double> halve_mesh(const std::vector<double>& nodes, double time_stretch) {
  const TimeMap map{nodes.front(), nodes.back() - nodes.front(), time_stretch};
  std::vector<double> out;
  for (size_t i = 0; i + 1 < nodes.size(); ++i) {
    out.push_back(nodes[i]);
    out.push_back(map.time(0.5 * (map.xi(nodes[i]) + map.xi(nodes[i + 1]))));
  }
  out.push_back(nodes.back());
  return out;
}

double smoothing_stretch(double exponent, int max_denominator, double fallback) {
  const double q = std::fabs(exponent);
  for (int d = 1; d <= max_denominator; ++d) {
    const double k = std::round(q * d);
    if (std::fabs(q * d - k) <= 1e-9 * d) return std::max(1.0, static_cast<double>(d));
  }
  return std::max(1.0, fallback);
}

std::vector<double> evaluate_collocation_solution(const BoundaryValueProblem& problem,
                                                  const MeshSolution& solution,
                                                  const std::vector<double>& times) {
  const int n = problem.state_size;
  const TimeMap map = time_map_of(solution);
  const auto& y = solution.states;
  const int N = static_cast<int>(solution.nodes.size()) - 1;
  std::vector<double> out(times.size() * n), ga(n), gb(n);
  // The mesh in ξ and its discretisation (for the slopes), made at the first time between
  // nodes: values at the nodes need neither.
  std::vector<double> xi;
  std::optional<Discretisation> d;
  int cached = -1;
  for (size_t k = 0; k < times.size(); ++k) {
    const double tk = times[k];
    if (!(tk >= solution.nodes.front() && tk <= solution.nodes.back())) {
      throw std::invalid_argument("evaluate_collocation_solution: time outside the mesh");
    }
    int i = static_cast<int>(std::upper_bound(solution.nodes.begin(), solution.nodes.end(), tk) -
                             solution.nodes.begin()) -
            1;
    i = std::clamp(i, 0, N - 1);
    double* o = &out[k * n];
    if (tk == solution.nodes[i] || tk == solution.nodes[i + 1]) {
      std::copy_n(&y[(tk == solution.nodes[i] ? i : i + 1) * n], n, o);
      continue;
    }
    if (!d) {
      xi = xi_of(solution);
      d.emplace(problem, map, xi, 1e-7);
    }
    const double h = xi[i + 1] - xi[i];
    const double s = std::clamp((map.xi(tk) - xi[i]) / h, 0.0, 1.0);
    if (cached != i) {
      d->g(xi[i], &y[i * n], ga.data());
      d->g(xi[i + 1], &y[(i + 1) * n], gb.data());
      cached = i;
    }
    Hermite::value(s).combine(h, &y[i * n], ga.data(), &y[(i + 1) * n], gb.data(), n, o);
  }
  return out;
}

MeshSolution remesh_collocation_solution(const BoundaryValueProblem& problem,
                                         const MeshSolution& solution,
                                         const std::vector<double>& nodes) {
  const TimeMap map = time_map_of(solution);
  MeshSolution out;
  out.nodes = nodes;
  out.time_stretch = solution.time_stretch;
  out.left_free = solution.left_free;
  out.params = solution.params;
  out.states = evaluate_collocation_solution(problem, solution, nodes);
  std::vector<double> mids;
  for (size_t i = 0; i + 1 < nodes.size(); ++i) {
    mids.push_back(map.time(0.5 * (map.xi(nodes[i]) + map.xi(nodes[i + 1]))));
  }
  out.midpoints = evaluate_collocation_solution(problem, solution, mids);
  return out;
}

std::vector<double> collocation_defects(const BoundaryValueProblem& problem,
                                        const MeshSolution& solution) {
  const std::string bad = check_problem(problem, solution);
  if (!bad.empty()) throw std::invalid_argument("collocation_defects: " + bad);
  MeshSolution s = solution;
  const int n = problem.state_size, N = static_cast<int>(s.nodes.size()) - 1;
  const TimeMap map = time_map_of(s);
  const std::vector<double> xi = xi_of(s);
  const Discretisation d(problem, map, xi, 1e-7);
  s.midpoints.assign(N * n, 0.0);
  std::vector<double> ga(n), gb(n);
  for (int i = 0; i < N; ++i) {
    const double h = xi[i + 1] - xi[i];
    d.g(xi[i], &s.states[i * n], ga.data());
    d.g(xi[i + 1], &s.states[(i + 1) * n], gb.data());
    for (int j = 0; j < n; ++j) {
      s.midpoints[i * n + j] =
          0.5 * (s.states[i * n + j] + s.states[(i + 1) * n + j]) + h * (ga[j] - gb[j]) / 8.0;
    }
  }
  const std::vector<double> u = pack(d, s, n);
  std::vector<double> F(d.size());
  d.residual(u.data(), F.data());
  std::vector<double> out(N, 0.0);
  for (int i = 0; i < N; ++i)
    for (int k = 0; k < 2 * n; ++k) out[i] = std::max(out[i], std::fabs(F[n + 2 * i * n + k]));
  return out;
}

void solve_rescaled(const CollocationFactorisation& factorisation,
                    const std::vector<double>& typical_state, double* b,
                    const CollocationMatrix::RightRowsReplaced* right_rows, WorkerTeam* team) {
  const int n = static_cast<int>(typical_state.size());
  const std::vector<double>& own = factorisation.typical_state;
  // State row a of b times typical_state[a]/own[a], inside the solve's per-interval pass.
  std::vector<double> scale;
  if (own.size() == typical_state.size() && own != typical_state) {
    scale.resize(n);
    for (int a = 0; a < n; ++a) scale[a] = typical_state[a] / own[a];
  }
  const double* state_row_scale = scale.empty() ? nullptr : scale.data();
  if (right_rows)
    factorisation.matrix.solve(b, *right_rows, team, state_row_scale);
  else
    factorisation.matrix.solve(b, team, state_row_scale);
}

const char* to_string(ErrorEstimate e) {
  switch (e) {
    case ErrorEstimate::DeferredCorrection:
      return "deferred_correction";
    case ErrorEstimate::Halving:
      return "halving";
  }
  return "?";
}

BvpSummary solve_collocation(const BoundaryValueProblem& pb, const MeshSolution& guess,
                             const CollocationOptions& o,
                             std::shared_ptr<const CollocationFactorisation> reuse) {
  const auto start = Clock::now();
  BvpSummary s;
  s.method = BvpMethod::Collocation;
  s.solution = guess;
  std::string bad = check_problem(pb, guess);
  if (bad.empty() && !(o.chord_contraction > 0.0 && o.chord_contraction < 1.0))
    bad = "chord_contraction must be in (0, 1)";
  if (bad.empty() && o.residual_passes < 0) bad = "residual_passes must be >= 0";
  if (!bad.empty()) {
    s.termination = BvpTermination::BadInput;
    s.message = "collocation: " + bad;
    return s;
  }
  const int n = pb.state_size;
  // Newton's residual is a defect per interval, and N of them add up in the solution: the
  // tolerance on a mesh of N intervals is tolerance/(10 N) (at most the requested
  // newton_tolerance, at least newton_floor: the rhs itself is an iteration, (M5), good to
  // ~1e-13, so the scaled residual cannot go much lower).
  const double base_newton_tol =
      o.newton_tolerance > 0.0 ? o.newton_tolerance : o.tolerance / 100.0;
  const auto newton_tol_for = [&](const MeshSolution& m) {
    const double N = static_cast<double>(m.nodes.size() - 1);
    return std::max(std::min(base_newton_tol, o.tolerance / (10.0 * N)), o.newton_floor);
  };
  MeshSolution current = guess;
  fill_midpoints(pb, current);
  // One storage for every Newton matrix of the solve (moved into the summary at the end).
  auto factorisation = std::make_shared<CollocationFactorisation>();
  CollocationMatrix& matrix = factorisation->matrix;
  CollocationMatrix halved_matrix;  // the halved-mesh solves of ErrorEstimate::Halving
  // The reused matrix serves the first mesh only, when it is exactly its own.
  if (reuse && (reuse->nodes != current.nodes || reuse->time_stretch != current.time_stretch ||
                reuse->matrix.size() != pb.left_free_size +
                                            (2 * static_cast<int>(current.nodes.size()) - 1) * n +
                                            pb.parameter_size))
    reuse.reset();
  const TimeMap map = time_map_of(current);
  // The deferred-correction stencils: the reused matrix's (its mesh's), else made per mesh.
  std::shared_ptr<const TruncationErrorStencils> stencils =
      reuse ? reuse->truncation_stencils : nullptr;
  // Time left for a Newton solve (0 = no limit; a spent limit gives a tiny positive budget).
  const auto time_left = [&] {
    return o.time_limit > 0.0 ? std::max(o.time_limit - seconds_since(start), 1e-9) : 0.0;
  };
  const auto out_of_time = [&] {
    return o.time_limit > 0.0 && seconds_since(start) >= o.time_limit;
  };
  // The factorised matrix that belongs to the answer's mesh (kept in the summary), if any.
  std::shared_ptr<const CollocationFactorisation> answer_matrix;
  const auto finish = [&](BvpTermination t, const std::string& message) {
    s.termination = t;
    if (s.is_usable() && o.keep_factorisation) s.factorisation = answer_matrix;
    if (!message.empty()) s.message = message;
    s.intervals = static_cast<int>(s.solution.nodes.size()) - 1;
    s.seconds = seconds_since(start);
    return std::move(s);  // (finish ends the solve: s is not used after it)
  };
  const auto too_many = [&](size_t points) {
    return finish(BvpTermination::TooStiff,
                  "collocation: the mesh would need " + std::to_string(points - 1) +
                      " intervals, more than max_intervals = " + std::to_string(o.max_intervals));
  };
  // Phase 1 refines by the residual of the interpolant while that keeps falling fast (it
  // overstates the error where fast stable modes damp it); phase 2 by the halving difference.
  double previous_worst = INFINITY, previous_estimate = INFINITY;
  bool residual_phase = o.adapt_mesh && o.residual_passes > 0;
  for (int pass = 0;; ++pass) {
    s.mesh_passes = pass + 1;
    const int N = static_cast<int>(current.nodes.size()) - 1;
    if (N > o.max_intervals) return too_many(current.nodes.size());
    if (out_of_time()) return finish(BvpTermination::TimeLimit, "collocation: time limit reached");
    const double newton_tol = newton_tol_for(current);
    s.tolerance = newton_tol;
    const Discretisation d(pb, map, xi_of(current), o.fd_relative_step, o.team);
    // The reused matrix serves the first mesh only (its own, checked above).
    std::optional<ChordSolver> chord;
    if (pass == 0 && reuse) {
      try {
        const std::vector<double> u0 = pack(d, current, n);
        chord.emplace(*reuse, d, pb, u0.data(), o.team);
        if (!chord->regular()) chord.reset();
      } catch (const std::exception&) {
        chord.reset();
      }
    }
    const MeshNewton r = newton_on_mesh(d, pb, current, o, newton_tol, time_left(), matrix, nullptr,
                                        chord ? &*chord : nullptr);
    s.newton_iterations += r.iterations;
    s.chord_iterations += r.chord_iterations;
    s.residual_max = r.residual_max;
    s.solution = current;
    if (!r.converged) {
      return finish(
          r.timed_out ? BvpTermination::TimeLimit : BvpTermination::NotConverged,
          "collocation Newton failed on " + std::to_string(N) + " intervals: " + r.message);
    }
    if (r.stalled)
      s.warnings.push_back("Newton stalled at residual " + std::to_string(r.residual_max) +
                           ": accepted");
    const std::vector<double> u = pack(d, current, n);
    if (residual_phase && pass < o.max_mesh_passes) {
      std::vector<double> e;
      try {
        e = d.interval_indicators(u.data());
      } catch (const std::exception& ex) {
        return finish(BvpTermination::NotConverged,
                      std::string("collocation: error indicator failed: ") + ex.what());
      }
      const double worst = *std::max_element(e.begin(), e.end());
      if (worst > o.tolerance && worst < 0.25 * previous_worst && pass < o.residual_passes) {
        previous_worst = worst;
        const std::vector<double> xi = refine(d.xi(), e, o.tolerance);
        if (static_cast<int>(xi.size()) - 1 > o.max_intervals) return too_many(xi.size());
        // (With the slopes evaluated again: the cached ones agree to rounding, but the ramp of
        // test_failures.cpp, a case on the edge of Newton's noise floor, then fails.)
        current = remesh_collocation_solution(pb, current, times_of(map, xi));
        continue;
      }
      residual_phase = false;
    }
    // The factorised matrix of this mesh: Newton's last, else the reused one (chord steps
    // alone), else a new one at u (wanted by the estimate).
    const CollocationFactorisation* mesh_matrix =
        r.factorised ? factorisation.get() : (r.chord_converged && chord ? reuse.get() : nullptr);
    if (!mesh_matrix && o.estimate_error && o.error_estimate == ErrorEstimate::DeferredCorrection) {
      try {
        d.newton_matrix(u.data(), matrix);
      } catch (const std::exception& ex) {
        return finish(
            BvpTermination::NotConverged,
            std::string("collocation: Newton matrix for the error estimate failed: ") + ex.what());
      }
      if (matrix.factorize(false, o.team)) mesh_matrix = factorisation.get();
    }
    if (mesh_matrix == factorisation.get()) {
      factorisation->nodes = current.nodes;
      factorisation->time_stretch = current.time_stretch;
      factorisation->typical_state = pb.typical_state;
      answer_matrix = factorisation;
    } else {
      answer_matrix = mesh_matrix ? reuse : nullptr;
    }
    reuse.reset();  // the first mesh only
    if (!o.estimate_error) {
      return finish(r.stalled ? BvpTermination::ConvergedAtStall : BvpTermination::Converged, "");
    }
    if (out_of_time())
      return finish(BvpTermination::TimeLimit,
                    "collocation: time limit reached before the error estimate");
    std::vector<double> interval_error;  // scaled, at the interval's ends and midpoint
    bool stalled = r.stalled;
    MeshSolution refined_from;  // the solution the next mesh is interpolated from
    if (o.error_estimate == ErrorEstimate::DeferredCorrection) {
      if (!mesh_matrix) {
        s.warnings.push_back("no error estimate: singular Newton matrix at the answer");
        return finish(BvpTermination::AccuracyNotReached, "");
      }
      const auto solve_system = [&](double* b) {
        if (mesh_matrix == factorisation.get())
          matrix.solve(b, o.team);
        else
          chord->solve(b);
      };
      s.error = deferred_correction_estimate(d, pb, u, r.residual, solve_system, map,
                                             o.break_points, stencils, interval_error, o.team);
      if (answer_matrix == factorisation) factorisation->truncation_stencils = stencils;
    } else {
      // Error estimate: the same problem on the halved mesh, from the cubic. For order 4 the
      // error of the answer (this mesh) is 16/15 of its difference to the halved-mesh solution.
      // Its guess is this solution's cubic (cached slopes), and its first Newton matrix a chord
      // one when the guess is close (newton_on_mesh): ∂g/∂y of this mesh's last Newton matrix at
      // the points the halved mesh shares, averaged at its new midpoints.
      MeshSolution fine = remesh_on(d, current, u, halve(d.xi()), map);
      const Discretisation d_fine(pb, map, xi_of(fine), o.fd_relative_step, o.team);
      const std::vector<double> fine_jacobians =
          r.factorised ? halved_point_jacobians(d.point_jacobians(), n) : std::vector<double>{};
      // Its own matrix storage: `matrix` keeps the answer's factorisation (for a warm start).
      const MeshNewton rf = newton_on_mesh(d_fine, pb, fine, o, newton_tol_for(fine), time_left(),
                                           o.keep_factorisation ? halved_matrix : matrix,
                                           r.factorised ? &fine_jacobians : nullptr);
      s.newton_iterations += rf.iterations;
      if (!rf.converged) {
        s.warnings.push_back("no error estimate: the halved-mesh solve failed (" + rf.message +
                             ")");
        return finish(rf.timed_out ? BvpTermination::TimeLimit : BvpTermination::AccuracyNotReached,
                      "");
      }
      constexpr double kRichardson = 16.0 / 15.0;
      std::vector<double> left_error, params_error;
      for (size_t k = 0; k < fine.left_free.size(); ++k)
        left_error.push_back(kRichardson * (fine.left_free[k] - current.left_free[k]));
      for (size_t k = 0; k < fine.params.size(); ++k)
        params_error.push_back(kRichardson * (fine.params[k] - current.params[k]));
      // coarse node k/2, or the midpoint of interval (k−1)/2
      const auto point_error = [&](int k, int j) {
        const double* yc =
            k % 2 == 0 ? &current.states[(k / 2) * n] : &current.midpoints[(k / 2) * n];
        return kRichardson * (fine.states[k * n + j] - yc[j]);
      };
      s.error = error_estimate_of(pb, N, point_error, left_error, params_error, interval_error);
      stalled = stalled || rf.stalled;
      refined_from = std::move(fine);
    }
    const BvpErrorEstimate& est = s.error;
    if (est.scaled_max <= o.tolerance || !o.adapt_mesh) {
      return finish(est.scaled_max <= o.tolerance
                        ? (stalled ? BvpTermination::ConvergedAtStall : BvpTermination::Converged)
                        : BvpTermination::AccuracyNotReached,
                    "");
    }
    if (pass >= o.max_mesh_passes) {
      if (est.scaled_max <= o.acceptance_tolerance) {
        s.warnings.push_back("collocation: error estimate " + std::to_string(est.scaled_max) +
                             " above the target after the last mesh pass; accepted");
        return finish(BvpTermination::ConvergedAtStall, "");
      }
      return finish(BvpTermination::AccuracyNotReached,
                    "collocation: error estimate " + std::to_string(est.scaled_max) +
                        " above the tolerance after " + std::to_string(pass + 1) + " mesh passes");
    }
    // A refinement that did not halve the estimate: the error is not discretisation error any
    // more (rounding times the problem's conditioning); more intervals would not help. Within
    // stall_factor × tolerance the answer is accepted as converged at that floor (as a stalled
    // Newton is), else flagged.
    if (est.scaled_max > 0.5 * previous_estimate) {
      std::ostringstream why;
      why.precision(3);
      why << "collocation: the error estimate stagnates at " << est.scaled_max << " (was "
          << previous_estimate << " on the previous mesh, tolerance " << o.tolerance
          << "): a rounding floor, not the discretisation";
      if (est.scaled_max <= std::max(o.stall_factor * o.tolerance, o.acceptance_tolerance)) {
        s.warnings.push_back(why.str() + "; accepted");
        return finish(BvpTermination::ConvergedAtStall, "");
      }
      return finish(BvpTermination::AccuracyNotReached, why.str());
    }
    previous_estimate = est.scaled_max;
    // Not accurate enough: refine where the halving difference is large (where it is above a
    // fraction of the tolerance: the error at the end points, z and the parameters, gathers
    // the whole path's), from the halved-mesh solution.
    const double worst_interval = *std::max_element(interval_error.begin(), interval_error.end());
    const double target =
        std::min(o.tolerance, 0.5 * worst_interval) * std::min(1.0, o.tolerance / est.scaled_max);
    const std::vector<double> xi = refine(d.xi(), interval_error, target);
    if (static_cast<int>(xi.size()) - 1 > o.max_intervals) {
      // An answer with a measured error is better than none when the error is already small:
      // returned flagged (a rounding floor the stagnation test missed, or a tolerance near it).
      if (est.scaled_max <= o.flag_beyond_max_intervals) {
        std::ostringstream why;
        why.precision(3);
        why << "collocation: the next mesh would need " << xi.size() - 1
            << " intervals, more than max_intervals = " << o.max_intervals << "; the answer on "
            << N << " intervals is returned with its error estimate " << est.scaled_max
            << " (tolerance " << o.tolerance << ")";
        return finish(BvpTermination::AccuracyNotReached, why.str());
      }
      return too_many(xi.size());
    }
    if (refined_from.nodes.empty()) {  // deferred correction: from this mesh's solution
      current = remesh_on(d, current, u, xi, map);
    } else {
      const Discretisation d_fine(pb, map, xi_of(refined_from), o.fd_relative_step, o.team);
      current = remesh_on(d_fine, refined_from, pack(d_fine, refined_from, n), xi, map);
    }
  }
}

std::vector<double> collocation_point_times(const MeshSolution& solution) {
  const TimeMap map = time_map_of(solution);
  const std::vector<double> xi = xi_of(solution);
  std::vector<double> times(2 * xi.size() - 1);
  for (size_t k = 0; k < times.size(); ++k)
    times[k] = map.time(collocation_point_xi(xi, static_cast<int>(k)));
  return times;
}

std::vector<double> collocation_output_times(const std::vector<double>& nodes, int max_points,
                                             int midpoints_below) {
  const int intervals = static_cast<int>(nodes.size()) - 1;
  const int stride = std::max(1, (intervals + max_points - 1) / max_points);
  std::vector<double> times;
  for (int i = 0; i < intervals; i += stride) {
    times.push_back(nodes[i]);
    if (intervals < midpoints_below) times.push_back(0.5 * (nodes[i] + nodes[i + 1]));
  }
  times.push_back(nodes.back());
  return times;
}

NewtonIterationCost newton_iteration_cost(const BoundaryValueProblem& problem,
                                          const MeshSolution& solution, int repeats,
                                          WorkerTeam* team) {
  const Discretisation d(problem, time_map_of(solution), xi_of(solution), 1e-7, team);
  const std::vector<double> u = pack(d, solution, problem.state_size);
  NewtonIterationCost cost;
  cost.unknowns = d.size();
  std::vector<double> F(u.size());
  CollocationMatrix A;
  const auto ms_since = [](Clock::time_point t0) {
    return 1e3 * std::chrono::duration<double>(Clock::now() - t0).count();
  };
  for (int k = 0; k < repeats; ++k) {
    auto t0 = Clock::now();
    d.residual(u.data(), F.data());
    cost.residual_ms.push_back(ms_since(t0));
    t0 = Clock::now();
    d.newton_matrix(u.data(), A);
    cost.matrix_ms.push_back(ms_since(t0));
    cost.analysis_ms.push_back(0.0);  // the block LU has no pattern analysis
    t0 = Clock::now();
    const bool regular = A.factorize(true, team);
    cost.factorization_ms.push_back(ms_since(t0));
    if (!regular) throw std::runtime_error("collocation: singular Newton matrix");
  }
  return cost;
}

}  // namespace footloose::solvers
