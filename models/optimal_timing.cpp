// solve_optimal_timing: the eight ODEs of EXTENSION.md B3 (models/optimal_timing_system.hpp) as a
// boundary value problem for the collocation engine, in the pattern of models/transition.cpp:
// left state (K0, K*0, u = 0) with the free co-states W, S, P, q, Ω at t = 0, the asymptotic
// terminal condition at the curve point with ln aR∞ as the parameter, stretched time, horizon
// doubling; then outputs, the headline numbers, the error estimate, the saddle check and the
// validity of the Nash front.
#include "models/optimal_timing.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

#include "models/optimal_timing_system.hpp"
#include "models/static_equilibria.hpp"
#include "solvers/collocation.hpp"
#include "solvers/horizon.hpp"
#include "solvers/linearization.hpp"

namespace footloose {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kFreeCostates = 5;  // W, S, P, q, Ω at t = 0
constexpr int kUnstable = 5;      // B3: five unstable eigenvalues for the five terminal conditions

// (K, K*, u) at t = 0 from the initial steady state, which must have no relocation (u(0) = 0,
// the start of B3).
TimingState timing_initial_state(const Parameters& p, const InitialStateSpec& spec) {
  if (spec.kind == InitialStateKind::Relocation) {
    throw ParameterError("initial_state", 0.0,
                         "autarky, hft or explicit with aR0 = 0: the optimal-timing variant "
                         "starts without relocation (u(0) = 0)");
  }
  if (spec.kind == InitialStateKind::Explicit && spec.aR != 0.0) {
    throw ParameterError("aR0", spec.aR,
                         "aR0 = 0: the optimal-timing variant starts without relocation");
  }
  const State y6 = initial_states(p, spec);
  TimingState y{};
  y[kTimingCapitalNorth] = y6[kCapitalNorth];
  y[kTimingCapitalSouth] = y6[kCapitalSouth];
  y[kTimingMovedShare] = 0.0;
  y[kTimingValueNorth] = y[kTimingValueSouth] = p.FI;
  return y;
}

// Stretched time t = T ξ^p. Near t = 0 the solution is a series in t and t^{θ/ρ} = t^{1−1/β}
// (u ∝ t, aR^θ = u^{θ/ρ}, q and Ω have t^{1−1/β} terms, B3): p is the smallest multiple of the
// denominator of θ/ρ (smooth in ξ) with p·θ/ρ ≥ 2, so that the forcing ∝ t^{−1/β} of q and Ω
// times t'(ξ) vanishes at ξ = 0 (∝ ξ^{pθ/ρ − 1}), where the right-hand side is evaluated at
// u = 0. Baseline (β = 2): p = 4. θ/ρ not a fraction with denominator ≤ 8: p = ⌈2ρ/θ⌉.
double timing_stretch(const Parameters& p) {
  const double exponent = p.theta() / p.rho;  // 1 − 1/β
  const double base = solvers::smoothing_stretch(exponent, 8, std::ceil(2.0 / exponent));
  double stretch = base;
  while (stretch * exponent < 2.0 - 1e-9) stretch += base;
  return stretch;
}

// The BVP's front coordinate is z = u^{2/p}, not u: u ∝ t = T ξ^p near t = 0, so z ∝ ξ², which
// the collocation cubic represents exactly, and the singular weight aR^{1−σ} = u^{−1/β} of (N1),
// (N2) is accurate at the first midpoints (with u ∝ ξ^4 as the unknown at the baseline, u at the
// first midpoint was off by a factor ~50, the weight by 7, and Newton failed on refined meshes).
// Baseline: z = u^{1/2} = aR^{σ−1}. u = z^e (e = p/2), odd below 0 (Newton iterates only; the
// system reads aR = 0 there).
struct FrontCoordinate {
  double e;
  double moved_share(double z) const { return z >= 0.0 ? std::pow(z, e) : -std::pow(-z, e); }
  double of_moved_share(double u) const {
    return u >= 0.0 ? std::pow(u, 1.0 / e) : -std::pow(-u, 1.0 / e);
  }
  // dz/du = |z|^{1−e}/e (infinite at z = 0: returned as 0, used at t = 0 only, where t'(ξ) = 0)
  double dz_du(double z) const { return z == 0.0 ? 0.0 : std::pow(std::fabs(z), 1.0 - e) / e; }
  double du_dz(double z) const { return e * std::pow(std::fabs(z), e - 1.0); }
  // d(dz/du)/dz
  double dz_du_slope(double z) const {
    if (z == 0.0) return 0.0;
    const double s = z > 0.0 ? 1.0 : -1.0;
    return s * (1.0 - e) / e * std::pow(std::fabs(z), -e);
  }
};

struct TimingProblem {
  OptimalTimingSystem system;
  FrontCoordinate front;
  TimingState start;  // in the BVP's coordinates (z(0) = u(0) = 0)
  double phi_end;
  solvers::BoundaryValueProblem bvp;
  Eigen::MatrixXd reference_unstable_rows, reference_center_row;

  TimingProblem(const TimingProblem&) = delete;  // the bvp's functions capture this
  TimingProblem& operator=(const TimingProblem&) = delete;
  TimingProblem(const Parameters& p, const TradePath& path, const TimingState& y0, double z_scale)
      : system(p, path), front{0.5 * timing_stretch(p)}, start(y0), phi_end(path.phi1) {
    bvp.state_size = kTimingStateSize;
    bvp.left_free_size = kFreeCostates;
    bvp.parameter_size = 1;  // ln aR∞
    bvp.rhs = [this](double t, const double* y, double* f) { rhs(t, y, f); };
    bvp.jacobian = [this](double t, const double* y, double* J) { jacobian(t, y, J); };
    bvp.typical_state = {std::max(y0[kTimingCapitalNorth], 1e-3 / p.fI()),
                         std::max(y0[kTimingCapitalSouth], 1e-3 / p.fI()),
                         z_scale,
                         p.FI,
                         p.FI,
                         p.FI,
                         p.FI,
                         p.FI};
    bvp.typical_left_free = {p.FI, p.FI, p.FI, p.FI, p.FI};
    bvp.typical_params = {1.0};  // ln aR∞: errors relative to aR∞
    bvp.positive_state.assign(kTimingStateSize, false);
    bvp.positive_state[kTimingCapitalNorth] = bvp.positive_state[kTimingCapitalSouth] = true;
    bvp.left_state = [this](const double* z, double* y) {
      std::copy(start.begin(), start.end(), y);
      y[kTimingValueNorth] = z[0];
      y[kTimingValueSouth] = z[1];
      y[kTimingRelocationValue] = z[2];
      y[kTimingCost] = z[3];
      y[kTimingOptionValue] = z[4];
    };
    bvp.right_residual = [this](const double* yT, const double* s, double* r) {
      asymptotic_condition(yT, std::exp(s[0]), r);
    };
  }

  // The system's state (u) from the BVP's (z).
  TimingState system_state(const double* y) const {
    TimingState x;
    std::copy_n(y, kTimingStateSize, x.begin());
    x[kTimingMovedShare] = front.moved_share(y[kTimingMovedShare]);
    return x;
  }
  // The BVP's state (z) from the system's (u).
  TimingState bvp_state(const TimingState& x) const {
    TimingState y = x;
    y[kTimingMovedShare] = front.of_moved_share(x[kTimingMovedShare]);
    return y;
  }
  TimingState steady_state(double aR) const { return bvp_state(system.steady_state(aR, phi_end)); }

  // EXTENSION.md B3 (OptimalTimingSystem) with dz/dt = (dz/du)·du/dt.
  void rhs(double t, const double* y, double* f) const {
    const double z = y[kTimingMovedShare];
    system.rhs(t, system_state(y).data(), f);
    f[kTimingMovedShare] *= front.dz_du(z);
  }
  void jacobian(double t, const double* y, double* J) const {
    constexpr int n = kTimingStateSize, m = kTimingMovedShare;
    const double z = y[m];
    const TimingState x = system_state(y);
    system.jacobian(t, x.data(), J);
    double f[n];
    system.rhs(t, x.data(), f);
    const double zu = front.dz_du(z), uz = front.du_dz(z);
    for (int i = 0; i < n; ++i) J[i * n + m] *= uz;  // columns: ∂/∂z = ∂/∂u · du/dz
    for (int j = 0; j < n; ++j) J[m * n + j] *= zu;  // row: dz/dt = dz/du · du/dt
    J[m * n + m] += f[m] * front.dz_du_slope(z);
  }

  // Fixes the row bases of the asymptotic condition at the curve point aR: orthonormal bases of
  // the row spaces of the spectral projectors there, not the left eigenvectors: r + δ is a
  // triple eigenvalue (B3), and the real parts of the eigensolver's complex eigenvectors of a
  // repeated eigenvalue can be parallel (at φ1 = 0.6 two of the five rows were equal, and Newton
  // stalled on a singular matrix).
  void set_reference(double aR) {
    const auto split = spectrum_at(steady_state(aR), 1);
    reference_unstable_rows = row_space_basis(split.unstable_projector, kUnstable);
    reference_center_row = row_space_basis(split.center_projector, 1);
  }
  static Eigen::MatrixXd row_space_basis(const Eigen::MatrixXd& projector, int rank) {
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(projector, Eigen::ComputeFullV);
    return svd.matrixV().leftCols(rank).transpose();
  }

  // Spectrum of the scaled Jacobian D⁻¹ J D at a steady state (center_count as split_spectrum).
  solvers::SpectralSplit spectrum_at(const TimingState& ybar, int center_count) const {
    constexpr int n = kTimingStateSize;
    double Jrow[n * n];
    const TimingState x = system_state(ybar.data());
    system.jacobian_at_phi(phi_end, x.data(), Jrow);  // J_u at the steady state (f = 0 there)
    for (int i = 0; i < n; ++i)
      Jrow[i * n + kTimingMovedShare] *= front.du_dz(ybar[kTimingMovedShare]);
    for (int j = 0; j < n; ++j)
      Jrow[kTimingMovedShare * n + j] *= front.dz_du(ybar[kTimingMovedShare]);
    Eigen::MatrixXd J(n, n);
    const auto& D = bvp.typical_state;
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) J(i, j) = Jrow[i * n + j] * D[j] / D[i];
    const double largest = J.cwiseAbs().maxCoeff();
    return solvers::split_spectrum(J, 1e-9 * (1.0 + largest), center_count, true);
  }

  // Asymptotic condition at the curve point ȳ(aR∞): the scaled deviation has no component on the
  // five unstable left eigenvectors and none on the curve's (zero) one.
  void asymptotic_condition(const double* yT, double aR, double* r) const {
    if (!(aR > 0.0 && aR < 1.0)) throw std::runtime_error("curve coordinate aR outside (0, 1)");
    const TimingState ybar = steady_state(aR);
    const solvers::SpectralSplit split = spectrum_at(ybar, 1);
    if (split.unstable != kUnstable || split.center != 1) {
      throw std::runtime_error("steady state at aR = " + std::to_string(aR) +
                               " is not a saddle with 5 unstable, 1 centre eigenvalues");
    }
    Eigen::VectorXd d(kTimingStateSize);
    for (int i = 0; i < kTimingStateSize; ++i) d(i) = (yT[i] - ybar[i]) / bvp.typical_state[i];
    const Eigen::VectorXd ru = reference_unstable_rows * (split.unstable_projector * d);
    const Eigen::VectorXd rc = reference_center_row * (split.center_projector * d);
    for (int i = 0; i < kUnstable; ++i) r[i] = ru(i);
    r[kUnstable] = rc(0);
  }

  double terminal_deviation(const solvers::MeshSolution& sol) const {
    const TimingState ybar = steady_state(std::exp(sol.params[0]));
    const double* yT = &sol.states[(sol.nodes.size() - 1) * kTimingStateSize];
    double deviation = 0.0;
    for (int i = 0; i < kTimingStateSize; ++i) {
      deviation = std::max(deviation, std::fabs(yT[i] - ybar[i]) / bvp.typical_state[i]);
    }
    return deviation;
  }
};

// Linear interpolation of the sequential path's field at t (held at the ends).
double interpolate_path(const std::vector<PathPoint>& path, double t, double PathPoint::*field) {
  if (t <= path.front().t) return path.front().*field;
  if (t >= path.back().t) return path.back().*field;
  const auto it = std::upper_bound(path.begin(), path.end(), t,
                                   [](double x, const PathPoint& a) { return x < a.t; });
  const PathPoint &b = *it, &a = *(it - 1);
  const double s = (t - a.t) / (b.t - a.t);
  return (1.0 - s) * (a.*field) + s * (b.*field);
}

// The first guess from the sequential solution of the same problem: K, K*, W, S, P along its
// path, aR∞ its long run; the front u = u∞(1 − e^{−t/τ}) with τ from the sequential
// half-relocation time (the Nash front is slower, EXTENSION.md B4.1), q = σγR FI du/dt, Ω = 0.
solvers::MeshSolution sequential_guess(const TimingProblem& pb, const TransitionResult& seq,
                                       const std::vector<double>& nodes, double stretch) {
  const Parameters& p = pb.system.parameters();
  const double u_inf = std::pow(seq.aR_inf, p.rho);
  double t_half = seq.path.back().t;
  for (const auto& x : seq.path) {
    if (std::pow(x.aR, p.rho) >= 0.5 * u_inf) {
      t_half = x.t;
      break;
    }
  }
  const double tau = std::max(1.4 * t_half / std::log(2.0), 1e-6);
  const double cost_scale = p.sigma * p.gamma_R * p.FI;
  solvers::MeshSolution g;
  g.nodes = nodes;
  g.time_stretch = stretch;
  g.states.resize(nodes.size() * kTimingStateSize);
  for (size_t i = 0; i < nodes.size(); ++i) {
    const double t = nodes[i];
    double* y = &g.states[i * kTimingStateSize];
    y[kTimingCapitalNorth] = interpolate_path(seq.path, t, &PathPoint::K);
    y[kTimingCapitalSouth] = interpolate_path(seq.path, t, &PathPoint::K_star);
    y[kTimingMovedShare] = pb.front.of_moved_share(u_inf * -std::expm1(-t / tau));
    y[kTimingValueNorth] = interpolate_path(seq.path, t, &PathPoint::W);
    y[kTimingValueSouth] = interpolate_path(seq.path, t, &PathPoint::S);
    y[kTimingRelocationValue] = interpolate_path(seq.path, t, &PathPoint::P);
    y[kTimingCost] = cost_scale * u_inf / tau * std::exp(-t / tau);
    y[kTimingOptionValue] = 0.0;
  }
  g.left_free = {g.states[kTimingValueNorth], g.states[kTimingValueSouth],
                 g.states[kTimingRelocationValue], g.states[kTimingCost], 0.0};
  g.params = {std::log(seq.aR_inf)};
  return g;
}

// First t with u(t) = u_half on the collocation solution (u increases: q > 0), by bisection.
double crossing_time(const TimingProblem& pb, const solvers::MeshSolution& sol, double u_half) {
  const double z_half = pb.front.of_moved_share(u_half);
  const auto z_at = [&](double t) {  // z(t), increasing like u(t)
    return solvers::evaluate_collocation_solution(pb.bvp, sol, {t})[kTimingMovedShare];
  };
  const auto& nodes = sol.nodes;
  size_t k = 1;
  while (k < nodes.size() && sol.states[k * kTimingStateSize + kTimingMovedShare] < z_half) ++k;
  if (k >= nodes.size()) return NAN;
  double lo = nodes[k - 1], hi = nodes[k];
  for (int it = 0; it < 100 && hi - lo > 1e-14 * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    (z_at(mid) < z_half ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// Outputs of the collocation solution at the given times.
std::vector<TimingPathPoint> path_outputs(const TimingProblem& pb, const solvers::MeshSolution& sol,
                                          const std::vector<double>& times) {
  const std::vector<double> states = solvers::evaluate_collocation_solution(pb.bvp, sol, times);
  std::vector<TimingPathPoint> path;
  path.reserve(times.size());
  for (size_t k = 0; k < times.size(); ++k) {
    const TimingState x = pb.system_state(&states[k * kTimingStateSize]);
    path.push_back(pb.system.outputs(times[k], x.data()));
  }
  return path;
}

}  // namespace

std::vector<TimingPathPoint> optimal_timing_path_at(const Parameters& p, const TradePath& phi_path,
                                                    const InitialStateSpec& initial,
                                                    const OptimalTimingResult& result,
                                                    const std::vector<double>& times) {
  if (!result.converged) {
    throw std::invalid_argument("optimal_timing_path_at: the result is not a converged solve");
  }
  const TimingProblem pb(p, phi_path, timing_initial_state(p, initial), 1.0);
  return path_outputs(pb, result.bvp.solution, times);
}

std::string OptimalTimingResult::brief_report() const {
  std::ostringstream os;
  os.precision(10);
  os << (converged ? "converged" : "FAILED") << ": sn_inf = " << sn_inf << ", aR_inf = " << aR_inf
     << ", lambda_R = " << lambda_R << ", q0 = " << q0 << ", Omega0 = " << omega0
     << ", half-relocation time = " << half_relocation_time << ", saddle "
     << (saddle.ok ? "ok" : "NOT ok") << ", validity " << (validity.all_ok() ? "ok" : "FLAGGED")
     << ", " << solvers::to_string(bvp.method) << " " << solvers::to_string(bvp.termination) << ", "
     << solve_seconds << " s";
  return os.str();
}

OptimalTimingResult solve_optimal_timing(const Parameters& p, const TradePath& phi_path,
                                         const InitialStateSpec& initial,
                                         const OptimalTimingOptions& o) {
  validate(p);
  if (!(o.tolerance > 0.0)) throw ParameterError("tolerance", o.tolerance, "tolerance > 0");
  if (o.collocation_intervals < 2) {
    throw ParameterError("collocation_intervals", o.collocation_intervals,
                         "collocation_intervals >= 2");
  }
  if (!(o.horizon > 0.0)) throw ParameterError("horizon", o.horizon, "horizon > 0");
  if (o.v2_types < 1) throw ParameterError("v2_types", o.v2_types, "v2_types >= 1");
  if (o.max_intervals < o.collocation_intervals) {
    throw ParameterError("max_intervals", o.max_intervals,
                         "max_intervals >= collocation_intervals");
  }
  if (!(o.max_terminal_deviation > 0.0)) {
    throw ParameterError("max_terminal_deviation", o.max_terminal_deviation,
                         "max_terminal_deviation > 0");
  }
  if (!(o.time_limit >= 0.0)) {
    throw ParameterError("time_limit", o.time_limit, "time_limit >= 0 (0: none)");
  }
  const auto start_clock = Clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(Clock::now() - start_clock).count();
  };
  const auto time_left = [&] { return o.time_limit > 0.0 ? o.time_limit - elapsed() : 0.0; };
  OptimalTimingResult result;
  const TimingState y0 = timing_initial_state(p, initial);

  // 1. The sequential solution of the same problem: the first guess.
  TransitionOptions so;
  so.tolerance = std::max(1e-7, o.tolerance);
  so.check_v2 = false;
  so.time_limit = o.time_limit > 0.0 ? 0.5 * o.time_limit : 0.0;
  const TransitionResult seq = solve_transition(p, phi_path, initial, so);
  if (!seq.converged) {
    result.bvp.termination = solvers::BvpTermination::NotConverged;
    result.message = "no first guess: the sequential path failed (" + seq.message + ")";
    result.solve_seconds = elapsed();
    return result;
  }

  // 2. Collocation, then horizon doubling.
  const double aR_instant = instant_relocation(p, phi_path.phi1, SelectionReading::Instant).aR;
  const double stretch = timing_stretch(p);
  const double z_scale = std::pow(std::max(aR_instant, seq.aR_inf), 2.0 * p.rho / stretch);
  std::vector<double> breaks;
  if (phi_path.kink_time() > 0.0) breaks.push_back(phi_path.kink_time());
  const auto fresh_mesh = [&](double T) {
    return solvers::stretched_uniform_mesh(0.0, T, stretch, o.collocation_intervals, breaks);
  };
  solvers::CollocationOptions co;
  co.tolerance = o.tolerance;
  co.max_intervals = o.max_intervals;
  TimingProblem pb(p, phi_path, y0, z_scale);
  pb.set_reference(seq.aR_inf);
  double horizon = o.horizon;
  solvers::MeshSolution current = sequential_guess(pb, seq, fresh_mesh(horizon), stretch);
  std::string failure;
  const auto solve_from = [&](const solvers::MeshSolution& guess) {
    if (o.time_limit > 0.0 && time_left() <= 0.0) {
      result.bvp.termination = solvers::BvpTermination::TimeLimit;
      failure = "time limit reached";
      return false;
    }
    co.time_limit = o.time_limit > 0.0 ? std::max(time_left(), 1e-9) : 0.0;
    try {
      result.bvp = solvers::solve_collocation(pb.bvp, guess, co);
    } catch (const std::exception& e) {
      failure = e.what();
      return false;
    }
    if (!result.bvp.is_usable()) {
      failure = result.bvp.message;
      return false;
    }
    current = result.bvp.solution;
    return true;
  };
  result.converged = solve_from(current);
  if (result.converged && o.extend_horizon) {
    solvers::HorizonExtensionOptions ho;
    ho.max_deviation = o.max_terminal_deviation;
    result.converged = solvers::double_horizon_while_far(
        horizon, ho, [&] { return pb.terminal_deviation(current); },
        [&](double longer) {
          solvers::MeshSolution m =
              solvers::interpolate_guess(current, fresh_mesh(longer), kTimingStateSize);
          m.time_stretch = stretch;
          m.midpoints.clear();
          pb.set_reference(std::exp(current.params[0]));
          return solve_from(m);
        },
        result.warnings);
  }
  result.horizon = horizon;
  if (!result.converged) {
    result.message = "optimal-timing path not solved by collocation (" +
                     std::string(solvers::to_string(result.bvp.termination)) + "): " + failure;
    result.solve_seconds = elapsed();
    return result;
  }
  const solvers::MeshSolution& sol = current;
  result.terminal_deviation = pb.terminal_deviation(sol);
  result.horizon_ok = result.terminal_deviation <= o.max_terminal_deviation;
  if (!result.horizon_ok) {
    result.warnings.push_back("y(T) is " + std::to_string(result.terminal_deviation) +
                              " (scaled) from the long-run point");
  }

  // 3. Outputs on the adapted mesh (dense where the path moves).
  result.path = path_outputs(pb, sol, solvers::collocation_output_times(sol.nodes, 600, 300));
  result.q0 = sol.left_free[3];
  result.omega0 = sol.left_free[4];

  // 4. Long run and the headline numbers (as TransitionResult).
  result.aR_inf = std::exp(sol.params[0]);
  const auto share_at = [&](double aR) {
    const TimingState lr = pb.system.steady_state(aR, phi_path.phi1);
    return pb.system.outputs(result.horizon, lr.data()).front;
  };
  const PathPoint lr = share_at(result.aR_inf);
  result.sn_inf = lr.sn;
  result.sk_inf = lr.sk;
  result.sn_hft = hft(p, phi_path.phi1).sn;
  result.lambda_R = (result.sn_hft - result.sn_inf) / (result.sn_hft - p.sE);
  result.half_relocation_time = crossing_time(pb, sol, 0.5 * std::pow(result.aR_inf, p.rho));

  // 5. Error estimate (against the halved mesh).
  if (result.bvp.error.available) {
    const auto& e = result.bvp.error;
    PathErrorEstimate& pe = result.error_estimate;
    pe.available = true;
    pe.path = e.scaled_max;
    pe.W0 = e.left_free_abs[0];
    pe.S0 = e.left_free_abs[1];
    pe.P0 = e.left_free_abs[2];
    result.q0_error = e.left_free_abs[3];
    result.omega0_error = e.left_free_abs[4];
    pe.aR_inf = result.aR_inf * std::expm1(e.params_abs[0]);
    const double h = std::min(1e-6, 0.25 * result.aR_inf);  // d sn∞/d aR∞ along the curve
    pe.sn_inf =
        std::fabs((share_at(result.aR_inf + h).sn - share_at(result.aR_inf - h).sn) / (2.0 * h)) *
        pe.aR_inf;
    pe.lambda_R = lambda_r_error(pe.sn_inf, result.sn_inf, result.sn_hft, p.sE);
  }

  // 6. Saddle check: 8×8 linearisation at the long-run point, classified against r + δ.
  const solvers::SpectralSplit split = pb.spectrum_at(pb.steady_state(result.aR_inf), 1);
  result.saddle =
      classify_saddle(std::vector<double>(split.eigenvalues.data(),
                                          split.eigenvalues.data() + split.eigenvalues.size()),
                      1e-6 * p.discount(), 2, kUnstable);
  if (!result.saddle.ok)
    result.warnings.push_back("saddle-path check failed at the long-run point");

  // 7. Validity of the Nash front.
  result.validity = check_timing_validity(p, result.path, o.v2_types);
  if (!result.validity.all_ok()) {
    result.warnings.push_back("the Nash relocation front is not valid on this path:\n" +
                              result.validity.report());
  }
  if (result.bvp.termination == solvers::BvpTermination::AccuracyNotReached) {
    result.warnings.push_back("the error estimate is above the requested tolerance: " +
                              result.bvp.brief_report());
  }
  for (const auto& w : result.bvp.warnings) result.warnings.push_back(w);
  result.solve_seconds = elapsed();
  return result;
}

}  // namespace footloose
