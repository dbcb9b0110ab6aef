// Experiment `gradual` (docs/experiments.md): φ(t) linear over D years against the jump to the same
// φ1 — hysteresis in sn∞. Settings: experiments/gradual.toml. Files: gradual.csv,
// gradual_paths.csv; plot: plot_gradual.py.
#include <algorithm>
#include <limits>

#include "models/welfare_path.hpp"
#include "src/experiment.hpp"

namespace footloose {
namespace {

void run_gradual(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> durations = config.numbers("durations", {0.0, 5.0, 20.0, 50.0});
  const std::vector<double> ratios =
      config.numbers("gamma_ratio", {model.params.gamma_R / model.params.gamma_E});
  const double gamma_E = config.number("gamma_E", model.params.gamma_E);
  const double extra_horizon = config.number("horizon_after_ramp", 60.0);
  const TransitionOptions options = sweep_options(config, model);
  SweepSettings settings = sweep_settings(context, "gradual", config);
  settings.keep_paths = true;
  settings.max_consecutive_failures = 0;
  config.reject_unknown_keys();

  // One chain per (ratio, duration): each path solved cold (a jump's path is a poor start for a
  // ramp), all with the same horizon so that the long runs are compared at equal T.
  const double horizon = std::max(
      options.horizon, *std::max_element(durations.begin(), durations.end()) + extra_horizon);
  std::vector<std::vector<SweepPoint>> chains;
  for (double ratio : ratios)
    for (double d : durations) {
      SweepPoint s;
      s.params = model.params;
      s.params.gamma_E = gamma_E;
      s.params.gamma_R = gamma_E * ratio;
      s.phi_path = TradePath{d > 0 ? TradePathKind::Linear : TradePathKind::Jump, model.params.phi0,
                             model.params.phi1, d};
      s.initial = initial_state(model);
      s.options = options;
      s.options.horizon = horizon;
      s.options.extend_horizon = false;
      chains.push_back({s});
    }
  const auto outcomes = run_sweep(chains, settings);
  const auto outcome_at = [&](std::size_t r, std::size_t i) -> const SweepOutcome& {
    return outcomes[r * durations.size() + i][0];
  };

  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  TextTable summary;
  summary.columns = {"gamma_ratio", "duration"};
  for (const auto& c : outcome_columns()) summary.columns.push_back(c);
  summary.columns.insert(summary.columns.end(), {"sn_inf_minus_jump", "P0",
                                                 "integral_omega_star_gap", "integral_omega_gap"});
  TextTable paths;
  paths.columns = {"gamma_ratio", "duration",       "t", "phi",   "sn",        "sk", "aR",
                   "nw",          "B_minus_B_star", "P", "omega", "omega_star"};
  FailureLog log;
  std::ostream& md = context.summary;
  md << "phi: " << fmt(model.params.phi0) << " -> " << fmt(model.params.phi1)
     << ", linear over D years (D = 0: the jump); gamma_E = " << fmt(gamma_E)
     << ", gamma_R = ratio x gamma_E; T = " << fmt(horizon) << " for every path; other parameters: "
     << "the baseline.\n\n"
     << "| gamma_R/gamma_E | D (years) | sn_inf | sn_inf - sn_inf(jump) | aR_inf | sk_inf | "
        "lambda_R | status |\n"
        "|---|---|---|---|---|---|---|---|\n";
  for (std::size_t r = 0; r < ratios.size(); ++r) {
    const SweepOutcome& jump = outcome_at(r, 0);  // durations[0] (0 by default)
    for (std::size_t i = 0; i < durations.size(); ++i) {
      const SweepOutcome& o = outcome_at(r, i);
      log.add("gamma_R/gamma_E = " + fmt(ratios[r]) + ", D = " + fmt(durations[i]), o);
      const bool ok = o.solved(), gap_ok = ok && jump.solved();
      // docs/model.md 2.6: transitional welfare gaps ∫ (ω(t) − ω∞) e^{−rt} dt on the output grid.
      const double gap =
          ok ? welfare_gap_integral(o.result.path, &PathPoint::omega, model.params.r) : nan;
      const double gap_star =
          ok ? welfare_gap_integral(o.result.path, &PathPoint::omega_star, model.params.r) : nan;
      std::vector<std::string> row{cell(ratios[r]), cell(durations[i])};
      for (auto& c : outcome_cells(o)) row.push_back(c);
      row.insert(row.end(), {cell(gap_ok ? o.result.sn_inf - jump.result.sn_inf : nan),
                             cell(ok ? o.result.initial_state[kRelocationValue] : nan),
                             cell(gap_star), cell(gap)});
      summary.rows.push_back(row);
      if (ok)
        for (const auto& pt : o.result.path)
          paths.rows.push_back({cell(ratios[r]), cell(durations[i]), cell(pt.t), cell(pt.phi),
                                cell(pt.sn), cell(pt.sk), cell(pt.aR), cell(pt.nw),
                                cell(pt.B - pt.B_star), cell(pt.P), cell(pt.omega),
                                cell(pt.omega_star)});
      md << "| " << fmt(ratios[r]) << " | " << fmt(durations[i]) << " | "
         << (ok ? fmt(o.result.sn_inf, 8) : "-") << " | "
         << (gap_ok ? fmt(o.result.sn_inf - jump.result.sn_inf, 3) : "-") << " | "
         << (ok ? fmt(o.result.aR_inf, 6) : "-") << " | " << (ok ? fmt(o.result.sk_inf, 7) : "-")
         << " | " << (ok ? fmt(o.result.lambda_R, 5) : "-") << " | " << to_string(o.status)
         << " |\n";
    }
  }
  md << "\n";
  log.write(md);
  md << "Files: `gradual.csv` (one row per (gamma_ratio, D), with sn_inf - sn_inf(jump) and the "
        "integrals "
        "of omega - omega_inf and omega* - omega*_inf over the path"
     << (model.params.r > 0 ? ", discounted at r" : "") << "), `gradual_paths.csv` (the paths).\n";
  write_text_table(context.file(".csv"), summary);
  write_text_table(context.file("_paths.csv"), paths);
}

}  // namespace
}  // namespace footloose

FOOTLOOSE_REGISTER_EXPERIMENT(
    "gradual", "gradual (linear) liberalisation against the one-shot jump: hysteresis in sn_inf",
    footloose::run_gradual);
