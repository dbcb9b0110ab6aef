#include "solvers/anderson.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <sstream>

namespace footloose::solvers {

const char* to_string(FixedPointTermination t) {
  switch (t) {
    case FixedPointTermination::Converged:
      return "converged";
    case FixedPointTermination::NotConverged:
      return "not_converged";
    case FixedPointTermination::Diverged:
      return "diverged";
    case FixedPointTermination::TimeLimit:
      return "time_limit";
    case FixedPointTermination::BadInput:
      return "bad_input";
  }
  return "?";
}

std::string FixedPointSummary::brief_report() const {
  std::ostringstream os;
  os.precision(3);
  os << "fixed point " << to_string(termination) << " after " << iterations
     << " iterations, residual " << residual << ", " << seconds << " s";
  return os.str();
}

std::string FixedPointSummary::full_report() const {
  std::ostringstream os;
  os << brief_report();
  if (!message.empty()) os << "\n  " << message;
  if (!history.empty()) {
    os.precision(3);
    os << "\n  residual history:";
    const std::size_t n = history.size(), stride = std::max<std::size_t>(1, n / 20);
    for (std::size_t k = 0; k < n; k += stride) os << " [" << k << "] " << history[k];
    if ((n - 1) % stride != 0) os << " [" << n - 1 << "] " << history.back();
  }
  return os.str();
}

namespace {

void check_options(const FixedPointOptions& o, std::string& why) {
  if (!(o.tolerance > 0.0)) why = "tolerance must be > 0";
  if (o.max_iterations < 1) why = "max_iterations must be >= 1";
  if (o.memory < 0) why = "memory must be >= 0";
  if (!(o.mixing > 0.0 && o.mixing <= 1.0)) why = "mixing must be in (0, 1]";
  if (!(o.time_limit >= 0.0)) why = "time_limit must be >= 0";
  if (!(o.restart_growth > 1.0)) why = "restart_growth must be > 1";
  if (!(o.min_mixing > 0.0 && o.min_mixing <= o.mixing)) why = "min_mixing must be in (0, mixing]";
  if (o.max_futile_restarts < 0) why = "max_futile_restarts must be >= 0";
  if (o.backtracking_steps < 0) why = "backtracking_steps must be >= 0";
}

// ‖f‖∞ with per-component scales (NaN propagates as +∞).
double scaled_norm(const Eigen::VectorXd& f, const std::vector<double>& scale) {
  double norm = 0.0;
  for (Eigen::Index i = 0; i < f.size(); ++i) {
    const double s = scale.empty() ? 1.0 : scale[static_cast<std::size_t>(i)];
    const double v = std::fabs(f[i]) / s;
    if (!std::isfinite(v)) return std::numeric_limits<double>::infinity();
    norm = std::max(norm, v);
  }
  return norm;
}

}  // namespace

FixedPointSummary solve_fixed_point(const FixedPointMap& map, std::vector<double>& x,
                                    const std::vector<double>& scale,
                                    const FixedPointOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  FixedPointSummary s;
  std::string why;
  check_options(options, why);
  if (x.empty()) why = "empty unknown vector";
  if (!scale.empty() && scale.size() != x.size()) why = "scale has the wrong size";
  for (double v : scale)
    if (!(v > 0.0)) why = "scale entries must be > 0";
  if (!why.empty()) {
    s.termination = FixedPointTermination::BadInput;
    s.message = why;
    return s;
  }
  const Eigen::Index n = static_cast<Eigen::Index>(x.size());
  std::vector<double> out(x.size());
  // Evaluates the residual f = Φ(x) − x; false if Φ cannot be evaluated or is not finite.
  const auto residual_at = [&](const Eigen::VectorXd& xv, Eigen::VectorXd& f) {
    std::vector<double> xs(xv.data(), xv.data() + n);
    if (!map(xs, out)) return false;
    f = Eigen::Map<const Eigen::VectorXd>(out.data(), n) - xv;
    return std::isfinite(scaled_norm(f, scale));
  };

  Eigen::VectorXd xk = Eigen::Map<const Eigen::VectorXd>(x.data(), n), fk(n);
  if (!residual_at(xk, fk)) {
    s.termination = FixedPointTermination::BadInput;
    s.message = "the map cannot be evaluated at the initial guess";
    s.seconds = elapsed();
    return s;
  }
  double mixing = options.mixing;
  double rk = scaled_norm(fk, scale);
  Eigen::VectorXd x_best = xk, f_best = fk;
  double r_best = rk;
  std::deque<Eigen::VectorXd> dX, dF;  // differences of iterates and of residuals
  s.history.push_back(rk);
  int restarts = 0, restarts_without_progress = 0;
  const auto finish = [&](FixedPointTermination t, const std::string& msg) {
    s.termination = t;
    s.message = msg;
    // Report the best iterate seen (the converged one when converged).
    x.assign(x_best.data(), x_best.data() + n);
    s.residual = r_best;
    s.seconds = elapsed();
    return s;
  };
  for (int k = 0;; ++k) {
    if (rk <= options.tolerance) {
      x_best = xk;
      r_best = rk;
      s.iterations = k;
      std::ostringstream os;
      os << restarts << " safeguard restarts, final mixing " << mixing;
      return finish(FixedPointTermination::Converged, os.str());
    }
    s.iterations = k;
    if (k >= options.max_iterations) {
      return finish(FixedPointTermination::NotConverged, "iteration limit reached");
    }
    if (options.time_limit > 0.0 && elapsed() > options.time_limit) {
      return finish(FixedPointTermination::TimeLimit, "time limit reached");
    }
    // Type II step: γ = argmin ‖f_k − ΔF γ‖₂, x⁺ = x_k + β f_k − (ΔX + β ΔF) γ.
    Eigen::VectorXd step = mixing * fk;
    if (!dF.empty()) {
      const Eigen::Index m = static_cast<Eigen::Index>(dF.size());
      Eigen::MatrixXd F(n, m), X(n, m);
      for (Eigen::Index j = 0; j < m; ++j) {
        F.col(j) = dF[static_cast<std::size_t>(j)];
        X.col(j) = dX[static_cast<std::size_t>(j)];
      }
      const Eigen::VectorXd gamma = F.colPivHouseholderQr().solve(fk);
      if (gamma.allFinite()) step -= (X + mixing * F) * gamma;
    }
    // A map that cannot be evaluated shortens the step (up to 30 halvings).
    Eigen::VectorXd x_next = xk + step, f_next(n);
    bool ok = residual_at(x_next, f_next);
    for (int halving = 0; !ok && halving < 30; ++halving) {
      step *= 0.5;
      x_next = xk + step;
      ok = residual_at(x_next, f_next);
    }
    if (!ok) return finish(FixedPointTermination::Diverged, "the map cannot be evaluated near x");
    double r_next = scaled_norm(f_next, scale);
    s.history.push_back(r_next);
    // Backtracking along the step before the safeguard fires (a kink of Φ: the secant step
    // crosses it and lands where Φ is much steeper or flatter).
    for (int j = 0; j < options.backtracking_steps && r_next > options.restart_growth * r_best;
         ++j) {
      step *= 0.5;
      const Eigen::VectorXd x_try = xk + step;
      Eigen::VectorXd f_try(n);
      if (!residual_at(x_try, f_try)) continue;
      x_next = x_try;
      f_next = f_try;
      r_next = scaled_norm(f_next, scale);
      s.history.push_back(r_next);
    }
    if (r_next > options.restart_growth * r_best) {
      // Safeguard: back to the best iterate, forget the history, halve the mixing. Diverged
      // when it fires again and again at the minimum mixing without any progress.
      ++restarts_without_progress;
      if (mixing <= options.min_mixing && restarts_without_progress > options.max_futile_restarts) {
        s.iterations = k + 1;
        return finish(FixedPointTermination::Diverged,
                      "residual grows at the minimum mixing (safeguard exhausted)");
      }
      mixing = std::max(options.min_mixing, 0.5 * mixing);
      ++restarts;
      dX.clear();
      dF.clear();
      if (options.keep_rejected_step) {
        // The rejected step is a secant of the map from the best iterate: the next step from
        // there solves against it (a direction in which Φ expands is then stepped, not mixed).
        dX.push_back(x_next - x_best);
        dF.push_back(f_next - f_best);
      }
      xk = x_best;
      fk = f_best;
      rk = r_best;
      continue;
    }
    if (options.memory > 0) {
      dX.push_back(x_next - xk);
      dF.push_back(f_next - fk);
      if (static_cast<int>(dF.size()) > options.memory) {
        dX.pop_front();
        dF.pop_front();
      }
    }
    xk = x_next;
    fk = f_next;
    rk = r_next;
    if (rk < r_best) {
      restarts_without_progress = 0;
      x_best = xk;
      f_best = fk;
      r_best = rk;
    }
  }
}

}  // namespace footloose::solvers
