#include "models/type_resolved.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <sstream>

#include "models/moved_market.hpp"
#include "models/static_equilibria.hpp"
#include "models/transition.hpp"
#include "models/type_resolved_guess.hpp"
#include "models/type_resolved_sweep.hpp"

namespace footloose {

namespace {

void validate_options(const Parameters& p, const TradePath& phi_path,
                      const TypeResolvedOptions& o) {
  validate(p);
  if (!(p.gamma_R > 0.0)) {
    throw ParameterError("gamma_R", p.gamma_R, "gamma_R > 0 for type-resolved relocation");
  }
  if (o.max_horizon_doublings < 0 || o.max_horizon_doublings > 10)
    throw ParameterError("max_horizon_doublings", o.max_horizon_doublings,
                         "0 <= max_horizon_doublings <= 10");
  if (!o.freeze_capital && !(p.gamma_E > 0.0)) {
    throw ParameterError("gamma_E", p.gamma_E,
                         "gamma_E > 0 for type-resolved relocation (or freeze_capital)");
  }
  if (!(phi_path.phi0 >= 0.0 && phi_path.phi0 < 1.0)) {
    throw ParameterError("phi0", phi_path.phi0, "0 <= phi0 < 1");
  }
  if (!(phi_path.phi1 >= 0.0 && phi_path.phi1 < 1.0)) {
    throw ParameterError("phi1", phi_path.phi1, "0 <= phi1 < 1");
  }
  const auto require = [](bool ok, const char* field, double value, const char* allowed) {
    if (!ok) throw ParameterError(field, value, allowed);
  };
  require(o.type_cells >= 2 && o.type_cells <= 100000, "type_cells", o.type_cells,
          "2 <= type_cells <= 100000");
  require(o.horizon > 0.0 && std::isfinite(o.horizon), "horizon", o.horizon, "horizon > 0");
  require(o.first_step > 0.0 && o.first_step < o.horizon, "first_step", o.first_step,
          "0 < first_step < horizon");
  require(o.max_step >= o.first_step, "max_step", o.max_step, "max_step >= first_step");
  require(o.growth >= 1.0 && o.growth <= 10.0, "growth", o.growth, "1 <= growth <= 10");
  require(o.tolerance > 0.0, "tolerance", o.tolerance, "tolerance > 0");
  require(o.max_sweeps >= 1, "max_sweeps", o.max_sweeps, "max_sweeps >= 1");
  require(o.anderson_memory >= 0 && o.anderson_memory <= 100, "anderson_memory", o.anderson_memory,
          "0 <= anderson_memory <= 100");
  require(o.mixing > 0.0 && o.mixing <= 1.0, "mixing", o.mixing, "0 < mixing <= 1");
  require(o.min_mixing > 0.0 && o.min_mixing <= 1.0, "min_mixing", o.min_mixing,
          "0 < min_mixing <= 1");
  require(o.restart_growth > 1.0, "restart_growth", o.restart_growth, "restart_growth > 1");
  require(o.backtracking_steps >= 0 && o.backtracking_steps <= 60, "backtracking_steps",
          o.backtracking_steps, "0 <= backtracking_steps <= 60");
  require(o.max_futile_restarts >= 0, "max_futile_restarts", o.max_futile_restarts,
          "max_futile_restarts >= 0");
  require(o.smoothing >= 0.0, "smoothing", o.smoothing, "smoothing >= 0");
  require(o.time_limit >= 0.0, "time_limit", o.time_limit, "time_limit >= 0");
  require(o.output_points >= 2, "output_points", o.output_points, "output_points >= 2");
  require(o.steady_state_tolerance > 0.0, "steady_state_tolerance", o.steady_state_tolerance,
          "steady_state_tolerance > 0");
  require(o.gain_tolerance > 0.0, "gain_tolerance", o.gain_tolerance, "gain_tolerance > 0");
  // Mesh size: the geometric part (until h reaches max_step) plus the uniform part.
  const double nodes = (o.growth > 1.0 ? std::log(o.max_step / o.first_step) / std::log(o.growth)
                                       : o.horizon / o.first_step) +
                       o.horizon / o.max_step;
  require(nodes <= 2e6, "max_step", o.max_step, "a time mesh of at most 2e6 nodes");
  // Gains and shares are stored per node and cell.
  require(nodes * o.type_cells <= 2e7, "type_cells", o.type_cells,
          "type_cells x mesh nodes <= 2e7 (coarsen max_step or growth)");
}

// Indices of `count` mesh nodes evenly spaced in index (so in log t early, in t later).
std::vector<int> output_nodes(int nodes, int count) {
  std::vector<int> idx;
  for (int k = 0; k < count; ++k) {
    const int n = static_cast<int>(std::lround(static_cast<double>(k) * (nodes - 1) / (count - 1)));
    if (idx.empty() || n != idx.back()) idx.push_back(n);
  }
  return idx;
}

// North-born share of active firms (as PathPoint::sn): a unit is active if it sells somewhere
// from where it produces; moved South-born types produce in the North.
double north_share_of_active(const TypeGrid& grid, const double* shares, double K, double Ks,
                             double north_reach, double south_reach) {
  const Pareto& pareto = grid.pareto();
  const double north_born = K * pareto.mass(0.0, north_reach);
  double south_born = 0.0;
  for (int i = 0; i < grid.cells(); ++i) {
    const double m = shares[i], lo = grid.lower(i), hi = grid.upper(i);
    if (lo >= std::max(north_reach, south_reach)) break;
    south_born += m * pareto.mass(lo, std::min(hi, north_reach)) +
                  (1.0 - m) * pareto.mass(lo, std::min(hi, south_reach));
  }
  south_born *= Ks;
  return north_born / (north_born + south_born);
}

}  // namespace

const char* to_string(TypeResolvedGuess g) {
  switch (g) {
    case TypeResolvedGuess::Auto:
      return "auto";
    case TypeResolvedGuess::SingleFront:
      return "single front";
    case TypeResolvedGuess::NoMoves:
      return "no moves";
  }
  return "?";
}

std::string TypeResolvedValidity::report() const {
  std::ostringstream os;
  os.precision(3);
  os << "V0' (no return moves): " << (v0_prime_ok ? "ok" : "FLAGGED")
     << ", min gain of moved types " << min_moved_gain << " (P units " << min_scaled_moved_gain
     << " at t = " << min_gain_time << ", a = " << min_gain_type << ")"
     << "; complementarity residual " << complementarity_residual << " (beyond the ramp "
     << complementarity_excess << ") " << (complementarity_ok ? "ok" : "FLAGGED")
     << "; steady state (M4g)/Kw residual " << steady_state_residual << " "
     << (steady_state_ok ? "ok" : "FLAGGED")
     << "; newborn South-born units of unmoved types with v > 0: " << newborn_unmoved_gain_mass;
  return os.str();
}

std::string TypeResolvedResult::brief_report() const {
  std::ostringstream os;
  os.precision(6);
  os << (converged ? "converged" : "NOT CONVERGED") << " (first guess: " << to_string(initial_guess)
     << ")"
     << ": U_inf = " << U_inf << ", sn_inf = " << sn_inf << ", sk_inf = " << sk_inf
     << ", lambda_R = " << lambda_R << ", moved set";
  for (const TypeInterval& iv : moved_set_inf) os << " [" << iv.lower << ", " << iv.upper << "]";
  if (moved_set_inf.empty()) os << " empty";
  os << ", validity " << (validity.all_ok() ? "ok" : "FLAGGED") << "; "
     << fixed_point.brief_report();
  return os.str();
}

namespace {

TypeResolvedResult solve_at_horizon(const Parameters& parameters, const TradePath& phi_path,
                                    const InitialStateSpec& initial,
                                    const TypeResolvedOptions& options) {
  // With frozen capital γE is not used; GeneralModel (initial states, (M6) flows) needs γE > 0.
  Parameters p = parameters;
  if (options.freeze_capital && !(p.gamma_E > 0.0)) p.gamma_E = 1.0;
  const Pareto pareto(p);
  const TypeGrid grid(pareto, options.type_cells);
  TypeResolvedResult result;
  result.horizon = options.horizon;
  result.cell_edges = grid.edges();

  // t = 0 (A5): K, K* and the front of the initial steady state; m_i(0) its cell shares.
  const State y0 = initial_states(p, initial);
  TypeResolvedStart start;
  start.K = y0[kCapitalNorth];
  start.K_star = y0[kCapitalSouth];
  start.shares =
      grid.front_shares(GeneralModel(p, phi_path).threshold_from_state(y0[kRelocationState]));

  TypeResolvedSweep sweep(
      p, phi_path, grid,
      geometric_time_mesh(options.first_step, options.growth, options.max_step, options.horizon),
      start, options.freeze_capital, options.smoothing);
  const int N = sweep.nodes();
  // First guess (TypeResolvedGuess). Auto: of the no-move guess and a trustworthy single front,
  // the one with the smaller residual ‖Φ(Z) − Z‖∞ (nothing moves from an HFT start at φ1 = φ0:
  // the no-move guess is exact there, while the front's O(1e-10) gap B − B* would move types).
  std::vector<double> Z = sweep.initial_guess();
  result.initial_guess = TypeResolvedGuess::NoMoves;
  double B_scale = 0.0;
  for (double z : Z) B_scale = std::max(B_scale, z);
  const auto residual = [&](const std::vector<double>& x) {  // scaled as the fixed point's
    std::vector<double> out;
    if (!sweep(x, out)) return std::numeric_limits<double>::infinity();
    double r = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) r = std::max(r, std::fabs(out[i] - x[i]));
    return r / B_scale;
  };
  const double r_none = options.initial_guess == TypeResolvedGuess::Auto ? residual(Z) : 0.0;
  if (options.initial_guess == TypeResolvedGuess::Auto && r_none <= options.tolerance) {
    result.initial_guess_note = "the no-move guess solves the fixed point";
  } else if (options.initial_guess != TypeResolvedGuess::NoMoves && !options.freeze_capital) {
    // The front takes ~0.1 s where it is well posed; it gets at most kFrontSeconds.
    constexpr double kFrontSeconds = 10.0;
    const SingleFrontGuess front = single_front_guess(
        p, phi_path, initial, sweep.times(),
        options.time_limit > 0.0 ? std::min(kFrontSeconds, options.time_limit) : kFrontSeconds);
    result.initial_guess_note = front.note;
    if (options.initial_guess == TypeResolvedGuess::SingleFront && !front.Z.empty()) {
      Z = front.Z;
      result.initial_guess = TypeResolvedGuess::SingleFront;
    } else if (front.usable) {
      if (residual(front.Z) < r_none) {
        Z = front.Z;
        result.initial_guess = TypeResolvedGuess::SingleFront;
      } else {
        result.initial_guess_note += "; the no-move guess has the smaller residual";
      }
    }
  } else if (options.initial_guess != TypeResolvedGuess::NoMoves) {
    result.initial_guess_note = "capital frozen: no single-front path for that limit";
  }
  B_scale = 0.0;
  for (double z : Z) B_scale = std::max(B_scale, z);
  const std::vector<double> scale(Z.size(), B_scale);

  solvers::FixedPointOptions fp;
  fp.tolerance = options.tolerance;
  fp.max_iterations = options.max_sweeps;
  fp.memory = options.anderson_memory;
  fp.mixing = options.mixing;
  fp.time_limit = options.time_limit;
  fp.min_mixing = std::min(options.min_mixing, options.mixing);
  fp.restart_growth = options.restart_growth;
  fp.keep_rejected_step = options.keep_rejected_step;
  fp.max_futile_restarts = options.max_futile_restarts;
  fp.backtracking_steps = options.backtracking_steps;
  const solvers::FixedPointMap map = [&](const std::vector<double>& x, std::vector<double>& out) {
    return sweep(x, out);
  };
  result.fixed_point = solvers::solve_fixed_point(map, Z, scale, fp);
  result.converged = result.fixed_point.is_usable();
  result.message =
      result.fixed_point.brief_report() + "; first guess: " + to_string(result.initial_guess) +
      (result.initial_guess_note.empty() ? "" : " (" + result.initial_guess_note + ")");
  if (!result.converged) result.warnings.push_back("fixed point: " + result.fixed_point.message);

  // The record of the answer: one more sweep at Z (its states belong to Z).
  std::vector<double> Z_out;
  if (!sweep(Z, Z_out)) {
    result.converged = false;
    result.warnings.push_back("the final sweep could not be evaluated");
    return result;
  }
  const auto n_of = [&](int k) { return static_cast<std::size_t>(k); };
  const auto node_point = [&](int k) {
    TypeResolvedPoint pt;
    pt.t = sweep.times()[n_of(k)];
    pt.phi = phi_path(pt.t);
    pt.K = sweep.K(k);
    pt.K_star = sweep.K_star(k);
    pt.B = Z[n_of(k)];
    pt.B_star = Z[n_of(N + k)];
    const double* m = sweep.shares(k);
    const std::vector<double> shares(m, m + grid.cells());
    pt.U = grid.moved_mass(shares);
    pt.chi = sweep.chi(k);
    pt.W = sweep.W(k);
    pt.S = sweep.S(k);
    pt.W_star = sweep.W_star(k);
    pt.sk = pt.K / (pt.K + pt.K_star);
    pt.aD = pareto.cutoff(pt.B);
    pt.aX = pareto.cutoff(pt.phi * pt.B_star);
    pt.aD_star = pareto.cutoff(pt.B_star);
    pt.aX_star = pareto.cutoff(pt.phi * pt.B);
    pt.sn = north_share_of_active(grid, m, pt.K, pt.K_star, std::max(pt.aD, pt.aX),
                                  std::max(pt.aD_star, pt.aX_star));
    pt.moved_set = moved_intervals(grid, shares);
    return pt;
  };
  for (int k : output_nodes(N, options.output_points)) {
    result.path.push_back(node_point(k));
    result.share_times.push_back(result.path.back().t);
    const double* m = sweep.shares(k);
    result.moved_shares.emplace_back(m, m + grid.cells());
  }

  // Long run: the last node.
  const TypeResolvedPoint end = node_point(N - 1);
  result.U_inf = end.U;
  result.sn_inf = end.sn;
  result.sk_inf = end.sk;
  result.moved_set_inf = end.moved_set;
  try {
    result.sn_hft = hft(p, phi_path.phi1).sn;
    result.lambda_R = (result.sn_hft - result.sn_inf) / (result.sn_hft - p.sE);
  } catch (const std::exception& e) {
    result.sn_hft = result.lambda_R = std::numeric_limits<double>::quiet_NaN();
    result.warnings.push_back(std::string("no HFT reference for lambda_R: ") + e.what());
  }

  // Validity (A7).
  TypeResolvedValidity& val = result.validity;
  val.min_moved_gain = std::numeric_limits<double>::infinity();
  val.min_scaled_moved_gain = std::numeric_limits<double>::infinity();
  for (int k = 0; k < N; ++k) {
    const double* m = sweep.shares(k);
    const double* v = sweep.gains(k);
    const double B = Z[n_of(k)], Bs = Z[n_of(N + k)], phi = phi_path(sweep.times()[n_of(k)]);
    const double north_reach = std::max(pareto.cutoff(B), pareto.cutoff(phi * Bs));
    double residual = 0.0, excess = 0.0;
    for (int i = 0; i < grid.cells(); ++i) {
      const auto ii = n_of(i);
      // V0': movers (m_i > 0) and North-born active types must not gain by being South.
      if (m[ii] > 0.0 || grid.lower(i) < north_reach) {
        const double scaled = p.sigma * v[ii] * grid.weight(i) / grid.moment(i);
        val.min_moved_gain = std::min(val.min_moved_gain, v[ii]);
        if (scaled < val.min_scaled_moved_gain) {
          val.min_scaled_moved_gain = scaled;
          val.min_gain_time = sweep.times()[n_of(k)];
          val.min_gain_type = 0.5 * (grid.lower(i) + grid.upper(i));
        }
      }
      if (k > 0 && m[ii] < 1.0) {
        residual = std::max(residual, v[ii] - sweep.chi(k));
        excess = std::max(excess, v[ii] - sweep.chi(k) - sweep.ramp_width(k));
      }
    }
    val.complementarity_residual = std::max(val.complementarity_residual, residual);
    val.complementarity_excess = std::max(val.complementarity_excess, excess);
    // Newborn rule (A7): births of South-born units, δK* + dK*/dt, landing on unmoved types
    // with v > gain_tolerance·FI (they would choose the North at birth), over the path.
    if (k > 0) {
      const double h = sweep.times()[n_of(k)] - sweep.times()[n_of(k - 1)];
      const double births =
          std::max(0.0, p.delta * sweep.K_star(k) + (sweep.K_star(k) - sweep.K_star(k - 1)) / h);
      double unmoved = 0.0;
      for (int i = 0; i < grid.cells(); ++i) {
        const auto ii = n_of(i);
        if (v[ii] > options.gain_tolerance * p.FI) unmoved += grid.weight(i) * (1.0 - m[ii]);
      }
      val.newborn_unmoved_gain_mass += h * births * unmoved;
    }
  }
  val.v0_prime_ok = val.min_scaled_moved_gain >= -options.gain_tolerance * B_scale / p.discount();
  val.complementarity_ok = val.complementarity_excess <= options.gain_tolerance * p.FI;
  {
    const double* m = sweep.shares(N - 1);
    const std::vector<double> shares(m, m + grid.cells());
    const MovedMoment moved(grid, shares);
    const double m4g = moved_steady_state_residual(p, moved, end.sk, end.aD, end.aX, end.phi);
    const double kw = std::fabs((end.K + end.K_star) * p.beta() * p.fI() - 1.0);
    val.steady_state_residual = std::max(std::fabs(m4g), kw);
    val.steady_state_ok = val.steady_state_residual <= options.steady_state_tolerance;
  }
  if (!val.all_ok()) result.warnings.push_back("validity: " + val.report());
  return result;
}

}  // namespace

TypeResolvedResult solve_type_resolved(const Parameters& parameters, const TradePath& phi_path,
                                       const InitialStateSpec& initial,
                                       const TypeResolvedOptions& options) {
  validate_options(parameters, phi_path, options);
  const auto start = std::chrono::steady_clock::now();
  TypeResolvedResult result = solve_at_horizon(parameters, phi_path, initial, options);
  // A path that has not settled at T (the end state is off (M4g): slow relocation or entry) is
  // solved again on a doubled horizon, as the front's solver does.
  TypeResolvedOptions longer = options;
  for (int doubling = 0; doubling < options.max_horizon_doublings && result.converged &&
                         !result.validity.steady_state_ok;
       ++doubling) {
    const double spent =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.time_limit > 0.0 && spent >= options.time_limit) break;
    if (options.time_limit > 0.0) longer.time_limit = options.time_limit - spent;
    longer.horizon *= 2.0;
    TypeResolvedResult again = solve_at_horizon(parameters, phi_path, initial, longer);
    if (!again.converged) break;
    std::ostringstream note;
    note << "horizon doubled to T = " << longer.horizon
         << ": the end state was off the steady states (M4g) at T = " << result.horizon
         << " (residual " << result.validity.steady_state_residual << ")";
    again.warnings.insert(again.warnings.begin(), note.str());
    result = std::move(again);
  }
  return result;
}

}  // namespace footloose
