#include "models/transition.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "models/static_equilibria.hpp"
#include "solvers/linearization.hpp"

namespace footloose {

namespace {

constexpr int kFreeCostates = 3;  // W, S, P at t = 0

// Magnitudes of the unknowns: scaling of Newton and absolute tolerances of CVODE.
std::vector<double> typical_state(const Parameters& p, const State& y0, double w_scale) {
  return {std::max(y0[kCapitalNorth], 1e-3 / p.fI()), std::max(y0[kCapitalSouth], 1e-3 / p.fI()),
          w_scale, p.FI, p.FI, p.FI};
}

// Instant-selection relocation steady state at φ (the largest aR the path can reach).
double instant_relocation_threshold(const Parameters& p, double phi) {
  if (phi <= 0.0) return 0.0;
  return instant_relocation(p, phi, SelectionReading::Instant).aR;
}

// A first guess of aR∞: the share of the adjustment done by relocation is guessed as
// λR ≈ 1/(1 + 0.005·γR/γE) (fitted to baseline solves: 0.995 at γR/γE = 1, 0.957 at 10), and
// aR∞ read off the static curve (M4) at the implied sn.
double guess_long_run_threshold(const Parameters& p, double phi, double aR_instant) {
  try {
    const double lambda_R = 1.0 / (1.0 + 0.005 * p.gamma_R / p.gamma_E);
    const double sn_hft = hft(p, phi).sn;
    const double sn = sn_hft - lambda_R * (sn_hft - p.sE);
    return std::max(corrected_curve_at_sn(p, phi, sn).aR, 1e-3);
  } catch (const std::exception&) {
    return std::max(0.5 * aR_instant, 1e-3);
  }
}

// The boundary value problem for a given trade path.
struct PathProblem : PathBvp {
  GeneralModel model;
  State start;  // y(0) states (co-state entries unused)
  double phi_end;
  double t0;
  std::vector<double> linearization_typical;
  Eigen::MatrixXd reference_unstable_rows, reference_center_row;  // set by set_reference()

  // Fixes the row bases of the asymptotic condition at the curve point aR = s_ref.
  void set_reference(double s_ref) {
    const auto split = spectrum_at(model.steady_state(s_ref, phi_end));
    reference_unstable_rows = split.left_unstable;
    reference_center_row = split.left_center;
  }

  PathProblem(const Parameters& p, const TradePath& path, const State& y0,
              const TransitionOptions& o, double w_scale)
      : model(p, path), start(y0), phi_end(path.phi1), t0(o.start_time) {
    bvp.state_size = kStateSize;
    bvp.left_free_size = kFreeCostates;
    bvp.parameter_size = o.terminal == TerminalCondition::Asymptotic ? 1 : 0;
    bvp.rhs = [this](double t, const double* y, double* f) { model.rhs(t, y, f); };
    bvp.jacobian = [this](double t, const double* y, double* J) { model.jacobian(t, y, J); };
    bvp.typical_state = typical_state(p, y0, w_scale);
    bvp.typical_left_free = {p.FI, p.FI, p.FI};
    bvp.positive_state = {true, true, true, false, false, false};  // K, K*, w > 0
    if (bvp.parameter_size == 1) {
      bvp.typical_params = {std::pow(w_scale, 1.0 / model.relocation_exponent())};
      bvp.positive_params = {true};  // aR∞ > 0
    }
    linearization_typical = bvp.typical_state;
    bvp.left_state = [this](const double* z, double* y) { left_state(z, y); };
    if (o.terminal == TerminalCondition::Asymptotic) {
      bvp.right_residual = [this](const double* yT, const double* s, double* r) {
        asymptotic_condition(yT, s[0], r);
      };
    } else {
      bvp.right_residual = [this](const double* yT, const double*, double* r) {
        const double FI = model.parameters().FI;  // W(T) = S(T) = FI, P(T) = 0
        r[0] = (yT[kValueNorth] - FI) / FI;
        r[1] = (yT[kValueSouth] - FI) / FI;
        r[2] = yT[kRelocationValue] / FI;
      };
    }
  }

  // y(t0) from y(0) = (K0, K*0, w0, W0, S0, P0): one Euler step of length ε. The right-hand
  // side depends on aR^θ ∝ t^{1/p} near w = 0, so the step's error is O(ε^{1+1/p}).
  void left_state(const double* z, double* y) const {
    State y0 = start;
    y0[kValueNorth] = z[0];
    y0[kValueSouth] = z[1];
    y0[kRelocationValue] = z[2];
    double f[kStateSize];
    model.rhs(0.0, y0.data(), f);
    for (int i = 0; i < kStateSize; ++i) y[i] = y0[i] + t0 * f[i];
  }

  // Asymptotic boundary condition at the curve point ȳ(s), s = aR∞: the scaled deviation has no
  // component on the unstable left eigenvectors and none on the curve's (zero) left eigenvector.
  void asymptotic_condition(const double* yT, double s, double* r) const {
    if (!(s > 0.0 && s < 1.0)) throw std::runtime_error("curve coordinate aR outside (0, 1)");
    const State ybar = model.steady_state(s, phi_end);
    const auto& typ = bvp.typical_state;
    const solvers::SpectralSplit split = spectrum_at(ybar);
    if (split.unstable != 3 || split.center != 1) {
      throw std::runtime_error("steady state at aR = " + std::to_string(s) +
                               " is not a saddle with 3 unstable, 1 centre eigenvalues");
    }
    Eigen::VectorXd d(kStateSize);
    for (int i = 0; i < kStateSize; ++i) d(i) = (yT[i] - ybar[i]) / typ[i];
    // Fixed row bases (from the reference point) times the smooth spectral projectors.
    const Eigen::VectorXd ru = reference_unstable_rows * (split.unstable_projector * d);
    const Eigen::VectorXd rc = reference_center_row * (split.center_projector * d);
    for (int i = 0; i < 3; ++i) r[i] = ru(i);
    r[3] = rc(0);
  }

  // Spectrum of the scaled Jacobian D⁻¹ J D at a steady state.
  solvers::SpectralSplit spectrum_at(const State& ybar) const {
    std::vector<double> y(ybar.begin(), ybar.end());
    std::vector<double> typ = linearization_typical;
    typ[kRelocationState] = 1e-3 * std::max(ybar[kRelocationState], 1e-300);
    const solvers::VectorField f = [this](const double* x, double* fx) {
      model.rhs_at_phi(phi_end, x, fx);
    };
    Eigen::MatrixXd J = solvers::jacobian_central(f, y, typ, 1e-6);
    const auto& D = bvp.typical_state;
    for (int i = 0; i < kStateSize; ++i)
      for (int j = 0; j < kStateSize; ++j) J(i, j) *= D[j] / D[i];
    return solvers::split_spectrum(J, 1e-7 * (1.0 + J.cwiseAbs().maxCoeff()));
  }
};

// Node values of a crude guess. The shock's progress s(t) = (φ(t) − φ0)/(φ1 − φ0) (1 at once
// for a jump) is followed with first-order lags: capital moves from y0 towards ȳ at the entry
// speed; w towards w̄ with a time constant τ consistent with the guessed long-run w̄
// (w̄ − w0 = c∫P) and with the initial gap (1−φ)(B − B*) driving it; P = (dw/dt)/c. W, S at FI.
// For a jump this is w − w0 = (w̄ − w0)(1 − e^{−t/τ}), P = P0 e^{−t/τ}; for a slow ramp the
// guess follows the moving target instead of jumping to ȳ at once.
solvers::ShootingGuess cold_guess(const PathProblem& pb, const std::vector<double>& nodes,
                                  double aR_guess) {
  const Parameters& p = pb.model.parameters();
  const TradePath& path = pb.model.trade_path();
  const State ybar = pb.model.steady_state(aR_guess, pb.phi_end);
  const double w0 = pb.start[kRelocationState], wbar = std::max(ybar[kRelocationState], w0);
  MarketState at_start = pb.model.market_state(0.0, pb.start.data());
  at_start.phi = pb.phi_end;  // the gap the shock opens (φ(0) may still be φ0 on gradual paths)
  const TemporaryEquilibrium eq = solve_temporary_equilibrium(p, at_start);
  const double gap = std::max((1.0 - pb.phi_end) * (eq.B - eq.B_star), 1e-12);
  const double speed = (1.0 + 1.0 / p.beta()) / (p.sigma * p.gamma_R * p.FI);  // dw/dt = speed·P
  const double tau = std::max(2.0 * std::sqrt(std::max(wbar - w0, 1e-300) / (speed * gap)), 1e-6);
  const double entry_time = p.gamma_E / 0.3;
  const double phi_span = path.phi1 - path.phi0;
  const auto progress = [&](double t) {
    return phi_span == 0.0 ? 1.0 : std::clamp((path(t) - path.phi0) / phi_span, 0.0, 1.0);
  };
  // Lags R' = (s − R)/T of the progress, by exponential steps (exact for a constant s, so the
  // grid only has to resolve s(t): 1/100 of its time scale, the ramp's duration or half-life).
  double relocation = 0.0, capital = 0.0, t = 0.0;
  const double progress_scale = path.kind == TradePathKind::Jump ? INFINITY : path.duration;
  const auto advance_to = [&](double t_next) {
    const int steps = static_cast<int>(std::clamp(std::ceil(100.0 * (t_next - t) / progress_scale), 1.0, 1e4));
    const double h = (t_next - t) / steps;
    for (int k = 0; k < steps; ++k) {
      const double s_mid = progress(t + (k + 0.5) * h);
      relocation = s_mid + (relocation - s_mid) * std::exp(-h / tau);
      capital = s_mid + (capital - s_mid) * std::exp(-h / entry_time);
    }
    t = t_next;
  };
  solvers::ShootingGuess g;
  g.nodes = nodes;
  g.states.resize(nodes.size() * kStateSize);
  double P_start = 0.0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    advance_to(nodes[i]);
    const double relocation_rate = (progress(t) - relocation) / tau;  // R'
    double* y = &g.states[i * kStateSize];
    y[kCapitalNorth] = pb.start[kCapitalNorth] + capital * (ybar[kCapitalNorth] - pb.start[kCapitalNorth]);
    y[kCapitalSouth] = pb.start[kCapitalSouth] + capital * (ybar[kCapitalSouth] - pb.start[kCapitalSouth]);
    y[kRelocationState] = w0 + (wbar - w0) * relocation;
    y[kValueNorth] = p.FI;
    y[kValueSouth] = p.FI;
    y[kRelocationValue] = std::max(wbar - w0, 0.0) * relocation_rate / speed;
    if (i == 0) P_start = y[kRelocationValue];
  }
  g.left_free = {p.FI, p.FI, P_start};
  if (pb.bvp.parameter_size == 1) g.params = {aR_guess};
  return g;
}

// Re-targets a solved guess onto a new node set; the parameter vector is reset to the given
// default when the terminal condition changes its size.
solvers::ShootingGuess retarget(const solvers::ShootingGuess& from, const std::vector<double>& nodes,
                                int param_size, double param_default) {
  solvers::ShootingGuess g = solvers::interpolate_guess(from, nodes, kStateSize);
  if (static_cast<int>(g.params.size()) != param_size) g.params.assign(param_size, param_default);
  return g;
}

std::vector<double> output_times(const std::vector<double>& nodes, int per_segment) {
  std::vector<double> t;
  for (size_t i = 0; i + 1 < nodes.size(); ++i) {
    const double a = nodes[i], b = nodes[i + 1];
    const bool geometric = b > 2.0 * a;
    for (int k = 0; k < per_segment; ++k) {
      const double x = static_cast<double>(k) / per_segment;
      t.push_back(geometric ? a * std::pow(b / a, x) : a + (b - a) * x);
    }
  }
  t.push_back(nodes.back());
  return t;
}

}  // namespace

std::unique_ptr<PathBvp> make_path_problem(const Parameters& p, const TradePath& phi_path,
                                           const InitialStateSpec& initial,
                                           const TransitionOptions& options, double reference_aR) {
  const State y0 = initial_states(p, initial);
  GeneralModel probe(p, phi_path);
  const double aR_max = std::max(instant_relocation_threshold(p, phi_path.phi1), 0.05);
  auto pb = std::make_unique<PathProblem>(p, phi_path, y0, options,
                                          probe.state_from_threshold(aR_max));
  if (options.terminal == TerminalCondition::Asymptotic) pb->set_reference(reference_aR);
  return pb;
}

State initial_states(const Parameters& p, const InitialStateSpec& spec) {
  State y{};
  GeneralModel model(p, TradePath{TradePathKind::Jump, p.phi0, p.phi0, 0.0});
  switch (spec.kind) {
    case InitialStateKind::Autarky:
      y[kCapitalNorth] = p.sE / (p.beta() * p.fI());  // 2.1: K = E/(β fI)
      y[kCapitalSouth] = (1.0 - p.sE) / (p.beta() * p.fI());
      y[kRelocationState] = 0.0;
      break;
    case InitialStateKind::Hft:
      y = model.steady_state(0.0, p.phi0);  // the curve (M4) at aR = 0 is the HFT point
      break;
    case InitialStateKind::Relocation: {
      const double aR = instant_relocation_threshold(p, p.phi0);
      y = model.steady_state(aR, p.phi0);
      break;
    }
    case InitialStateKind::Explicit:
      if (!(spec.K > 0.0)) throw ParameterError("K0", spec.K, "K0 > 0");
      if (!(spec.K_star > 0.0)) throw ParameterError("K_star0", spec.K_star, "K_star0 > 0");
      if (!(spec.aR >= 0.0 && spec.aR < 1.0)) throw ParameterError("aR0", spec.aR, "0 <= aR0 < 1");
      y[kCapitalNorth] = spec.K;
      y[kCapitalSouth] = spec.K_star;
      y[kRelocationState] = model.state_from_threshold(spec.aR);
      break;
  }
  y[kValueNorth] = y[kValueSouth] = p.FI;
  y[kRelocationValue] = 0.0;
  return y;
}

std::string TransitionResult::brief_report() const {
  std::ostringstream os;
  os.precision(10);
  os << (converged ? "converged" : "FAILED") << ": sn_inf = " << sn_inf << ", aR_inf = " << aR_inf
     << ", lambda_R = " << lambda_R << ", saddle " << (saddle.ok ? "ok" : "NOT ok")
     << ", validity " << (validity.all_ok() ? "ok" : "FLAGGED") << ", " << solve_seconds << " s";
  return os.str();
}

TransitionResult solve_transition(const Parameters& p, const TradePath& phi_path,
                                  const InitialStateSpec& initial, const TransitionOptions& o,
                                  const TransitionResult* warm_start) {
  const auto clock_start = std::chrono::steady_clock::now();
  validate(p);
  TransitionResult result;
  result.horizon = o.horizon;
  const State y0 = initial_states(p, initial);
  const double aR_instant = instant_relocation_threshold(p, phi_path.phi1);
  const double aR_max = std::max(aR_instant, 0.05);
  GeneralModel probe(p, phi_path);
  const double w_scale = probe.state_from_threshold(aR_max);
  // Long-run guess: relocation does most of the adjustment when γR ≤ γE (MODEL.md §4).
  const double aR_guess = guess_long_run_threshold(p, phi_path.phi1, aR_instant);
  // Horizon and node spacing from the linearisation at the guessed long run: T covers 12 time
  // constants of the slowest stable mode; the fastest unstable eigenvalue bounds the segment
  // length (|λ₊|·h ≤ 3) after the geometric start.
  double horizon = o.horizon, max_step = o.mesh_max_step;
  {
    const PathProblem full(p, phi_path, y0, o, w_scale);
    const auto split = full.spectrum_at(full.model.steady_state(aR_guess, phi_path.phi1));
    const double fastest = split.eigenvalues(split.eigenvalues.size() - 1);
    if (fastest > 0.0) max_step = std::min(max_step, 3.0 / fastest);
  }
  result.horizon = horizon;
  if (!(max_step > 0.0) || horizon / max_step > o.max_nodes) {
    std::ostringstream os;
    os << "transition path not solved: the shooting mesh would need about " << horizon / max_step
       << " nodes (segments of at most " << max_step << " for the fastest unstable eigenvalue, horizon "
       << horizon << "), more than max_nodes = " << o.max_nodes
       << ": too stiff for multiple shooting (relocation much faster than entry?)";
    result.message = os.str();
    result.solve_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    return result;
  }
  const std::vector<double> nodes = solvers::geometric_then_uniform_mesh(
      o.start_time, o.mesh_first, o.mesh_switch, o.mesh_ratio, max_step, horizon,
      {phi_path.kink_time()});

  solvers::ShootingOptions so;
  so.rtol = o.rtol;
  so.newton.function_tolerance = o.newton_tolerance;
  so.stall_tolerance = o.stall_factor * o.newton_tolerance;
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  };

  // Homotopy in the size of the shock: φ(t; λ) = φ0 + λ(φ(t) − φ0).
  auto scaled_path = [&](double lambda) {
    TradePath q = phi_path;
    q.phi1 = p.phi0 + lambda * (phi_path.phi1 - p.phi0);
    q.phi0 = p.phi0 + lambda * (phi_path.phi0 - p.phi0);
    return q;
  };
  const int param_size = o.terminal == TerminalCondition::Asymptotic ? 1 : 0;
  solvers::ShootingGuess current;
  bool have_current = false;
  if (warm_start && warm_start->converged && !warm_start->shooting.solution.nodes.empty()) {
    // Keep the neighbour's own nodes when they fit this problem (same start and horizon, the
    // kink of φ(t) among them): its node values are then a guess accurate to the parameter
    // change. Interpolating it onto a slightly different mesh costs more than that (linear
    // interpolation across segments ~1.5 long: the baseline's first residual was 5.3 warm
    // against 2.3 cold).
    const auto& old_nodes = warm_start->shooting.solution.nodes;
    const double kink = phi_path.kink_time();
    const bool fits =
        old_nodes.front() == nodes.front() && std::fabs(old_nodes.back() - horizon) <= 1e-12 * horizon &&
        (kink <= 0.0 || std::any_of(old_nodes.begin(), old_nodes.end(),
                                    [&](double t) { return std::fabs(t - kink) <= 1e-12 * horizon; }));
    current = retarget(warm_start->shooting.solution, fits ? old_nodes : nodes, param_size, aR_guess);
    have_current = true;
  }
  std::unique_ptr<PathProblem> solved_problem;
  const auto attempt = [&](double lambda) {
    if (o.time_limit > 0.0) {
      so.newton.time_limit = o.time_limit - elapsed();
      if (so.newton.time_limit <= 0.0) {
        result.message = "time limit of " + std::to_string(o.time_limit) + " s reached";
        return false;
      }
    }
    try {
      const TradePath q = scaled_path(lambda);
      auto pb = std::make_unique<PathProblem>(p, q, y0, o, w_scale);
      solvers::ShootingGuess guess;
      if (have_current) {
        guess = current;
        if (param_size == 1) pb->set_reference(current.params[0]);
      } else {
        const double aR_scaled = std::max(aR_guess * instant_relocation_threshold(p, q.phi1) /
                                              std::max(aR_instant, 1e-300), 1e-3);
        guess = cold_guess(*pb, nodes, aR_scaled);
        if (param_size == 1) pb->set_reference(aR_scaled);
      }
      // Before Newton, refine the guess's mesh where a segment amplifies perturbations too much;
      // after it, split where the solution's segments do, and solve again from the
      // re-integrated solution.
      solvers::ShootingSummary s;
      solvers::ShootingSummary last_converged;
      bool have_converged = false, check_mesh = true;
      for (int pass = 0;; ++pass) {
        if (o.time_limit > 0.0) {  // every pass gets what is left, no more
          so.newton.time_limit = o.time_limit - elapsed();
          if (so.newton.time_limit <= 0.0) {
            s.converged = false;
            s.message = "time limit of " + std::to_string(o.time_limit) + " s reached";
            break;
          }
        }
        // The last pass (or one at max_nodes) solves whatever the guess's amplification.
        so.max_initial_amplification = check_mesh && pass < o.max_refinements ? o.max_amplification : 0.0;
        s = solvers::solve_multiple_shooting(pb->bvp, guess, so);
        if (std::getenv("FOOTLOOSE_DEBUG")) {
          std::fprintf(stderr, "lambda %g, pass %d (%zu nodes): %s\n", lambda, pass,
                       guess.nodes.size(), s.brief_report().c_str());
        }
        if (s.converged) {
          last_converged = s;
          have_converged = true;
        }
        if (pass >= o.max_refinements) break;
        if (s.needs_refinement) {
          const auto refined = solvers::split_amplifying_segments(guess.nodes, s.segment_amplification,
                                                                  o.split_amplification);
          if (static_cast<int>(refined.size()) > o.max_nodes) {
            check_mesh = false;  // solve on the mesh we have
          } else {
            guess = retarget(guess, refined, param_size, aR_guess);  // interpolation keeps K, w > 0
          }
          continue;
        }
        if (!s.converged || s.max_segment_amplification <= o.max_amplification) break;
        // Converged, but a segment amplifies too much: split it and solve again from the
        // re-integrated solution (the converged answer is kept if that fails).
        const auto refined = solvers::split_amplifying_segments(
            s.solution.nodes, s.segment_amplification, o.split_amplification);
        if (static_cast<int>(refined.size()) > o.max_nodes) break;
        solvers::ShootingGuess next = s.solution;
        next.nodes = refined;
        next.states = solvers::evaluate_shooting_solution(pb->bvp, s.solution, refined, so);
        guess = next;
        check_mesh = false;
      }
      if (!s.converged && have_converged) s = last_converged;
      result.shooting = s;
      if (!s.converged) return false;
      current = s.solution;
      have_current = true;
      solved_problem = std::move(pb);
      return true;
    } catch (const std::exception& e) {
      result.message = e.what();
      return false;
    }
  };
  solvers::ContinuationOptions co;
  co.first_lambda = 1.0;
  result.continuation = solvers::continue_to_one(attempt, co);
  result.converged = result.continuation.reached;
  // The asymptotic condition is exact to second order in the distance of y(T) from the curve
  // point: while that distance (scaled) exceeds max_terminal_deviation, double the horizon.
  for (int k = 0; result.converged && param_size == 1 && o.extend_horizon && k < 4; ++k) {
    const State ybar = solved_problem->model.steady_state(current.params[0], phi_path.phi1);
    const double* yT = &current.states[(current.nodes.size() - 1) * kStateSize];
    double deviation = 0.0;
    for (int i = 0; i < kStateSize; ++i) {
      deviation = std::max(deviation, std::fabs(yT[i] - ybar[i]) / solved_problem->bvp.typical_state[i]);
    }
    if (deviation <= o.max_terminal_deviation) break;
    std::vector<double> longer = current.nodes;
    const double h = longer.back() - longer[longer.size() - 2];
    while (longer.back() < 2.0 * horizon - 1e-9 * horizon) longer.push_back(longer.back() + h);
    longer.back() = 2.0 * horizon;
    result.warnings.push_back("horizon doubled from " + std::to_string(horizon) +
                              ": y(T) was " + std::to_string(deviation) +
                              " (scaled) from the long-run point");
    horizon *= 2.0;
    current = retarget(current, longer, param_size, aR_guess);
    result.converged = attempt(1.0);
  }
  result.horizon = horizon;
  if (!result.converged) {
    std::ostringstream os;
    os << "transition path not solved: continuation in the shock size reached lambda = "
       << result.continuation.last_lambda << " of 1 (" << result.continuation.report()
       << "); last shooting: " << result.shooting.brief_report();
    if (!result.message.empty()) os << "; last error: " << result.message;
    result.message = os.str();
    result.solve_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
    return result;
  }

  // Outputs on a grid fine enough to plot.
  const PathProblem& pb = *solved_problem;
  const auto& sol = result.shooting.solution;
  // At most ~2000 output points: the outputs and V2 (o.v2_types types at every point) are not
  // under the time limit, and a stiff mesh has thousands of segments.
  const int segments = static_cast<int>(sol.nodes.size()) - 1;
  const int per_segment = std::clamp(2000 / std::max(segments, 1), 1, o.output_points_per_segment);
  const std::vector<double> times = output_times(sol.nodes, per_segment);
  const std::vector<double> states = solvers::evaluate_shooting_solution(pb.bvp, sol, times, so);
  // The path starts at t = 0 (the Euler step's start), then follows the integration.
  State y_start = y0;
  y_start[kValueNorth] = sol.left_free[0];
  y_start[kValueSouth] = sol.left_free[1];
  y_start[kRelocationValue] = sol.left_free[2];
  result.initial_state = y_start;
  result.path.push_back(pb.model.outputs(0.0, y_start.data()));
  for (size_t k = 0; k < times.size(); ++k) {
    result.path.push_back(pb.model.outputs(times[k], &states[k * kStateSize]));
  }
  std::copy_n(&sol.states[(sol.nodes.size() - 1) * kStateSize], kStateSize,
              result.terminal_state.begin());

  // Long run: the curve point (asymptotic condition) or the state at T (truncation).
  const double aR_inf = param_size == 1 ? sol.params[0]
                                        : pb.model.threshold_from_state(
                                              result.terminal_state[kRelocationState]);
  result.long_run = pb.model.steady_state(aR_inf, phi_path.phi1);
  const PathPoint lr = pb.model.outputs(horizon, result.long_run.data());
  result.aR_inf = aR_inf;
  result.sk_inf = lr.sk;
  result.sn_inf = lr.sn;
  result.nw_inf = lr.nw;
  result.sn_hft = hft(p, phi_path.phi1).sn;
  result.lambda_R = (result.sn_hft - result.sn_inf) / (result.sn_hft - p.sE);

  // Saddle-path check at the long-run point.
  const solvers::SpectralSplit split = pb.spectrum_at(result.long_run);
  result.saddle.stable = split.stable;
  result.saddle.center = split.center;
  result.saddle.unstable = split.unstable;
  result.saddle.eigenvalues.assign(split.eigenvalues.data(),
                                   split.eigenvalues.data() + split.eigenvalues.size());
  result.saddle.ok = split.stable == 2 && split.center == 1 && split.unstable == 3;
  if (!result.saddle.ok) result.warnings.push_back("saddle-path check failed at the long-run point");

  result.validity = check_validity(p, result.path, o.check_v2, o.v2_types);
  if (!result.validity.all_ok()) {
    result.warnings.push_back("the single relocation front is not valid on this path:\n" +
                              result.validity.report());
  }
  for (const auto& w : result.shooting.warnings) result.warnings.push_back(w);
  result.solve_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return result;
}

}  // namespace footloose
