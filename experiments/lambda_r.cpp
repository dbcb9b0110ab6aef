// Experiment `lambda_r` (docs/experiments.md): λR and sn∞ against γR/γE for several φ1 and sE.
// Settings: experiments/lambda_r.toml. File: lambda_r.csv; plot: plot_lambda_r.py.
#include <algorithm>
#include <cmath>
#include <limits>

#include "src/experiment.hpp"

namespace footloose {
namespace {

// λR at the ratio `ratio` of the line, as the summary table shows it ("-" if not on the grid).
std::string lambda_at(const std::vector<double>& ratios, const std::vector<SweepOutcome>& line,
                      double ratio) {
  for (std::size_t i = 0; i < ratios.size(); ++i)
    if (std::abs(std::log(ratios[i] / ratio)) < 1e-6) {
      const SweepOutcome& o = line[i];
      if (o.solved())
        return fmt(o.result.lambda_R, 5) + (o.status == SweepStatus::Invalid ? " (flagged)" : "");
      return std::string(to_string(o.status));
    }
  return std::string("-");
}

void run_lambda_r(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> phi1s = config.numbers("phi1", {0.2, 0.3, 0.4});
  const std::vector<double> sEs = config.numbers("sE", {0.6, 0.7});
  std::vector<double> ratios = config.numbers("gamma_ratio", {});
  if (ratios.empty()) ratios = {1.0};
  std::sort(ratios.begin(), ratios.end());
  const double anchor = config.number("anchor_ratio", 1.0);  // chains start here (cold start)
  const double gamma_E = config.number("gamma_E", model.params.gamma_E);
  const TransitionOptions options = sweep_options(config, model);
  const SweepSettings settings = sweep_settings(context, "lambda_r", config);
  config.reject_unknown_keys();

  // One line through the ratios per (sE, φ1), anchored at the ratio nearest anchor_ratio. The
  // anchors are solved first, one chain per sE along φ1 from the largest φ1 down (a cold start is
  // hardest for small shocks); from each, one chain up and one down in the ratio.
  const std::size_t a = nearest_index(ratios, anchor, true);
  std::vector<double> phi_desc = phi1s;
  std::sort(phi_desc.rbegin(), phi_desc.rend());
  const AnchoredGrid grid = anchored_grid(
      sEs.size(), phi_desc.size(), ratios.size(), a,
      [&](std::size_t e, std::size_t k, std::size_t i) {
        return sweep_point(grid_config(model, phi_desc[k], sEs[e], gamma_E, ratios[i]), options);
      });
  const auto outcomes = run_anchored_lines(grid.lines, grid.anchor_chains, settings);

  TextTable table;
  table.columns = {"phi1", "sE", "gamma_ratio", "gamma_E", "gamma_R"};
  for (const auto& c : outcome_columns()) table.columns.push_back(c);
  FailureLog log;
  std::ostream& md = context.summary;
  md << "lambda_R = (sn_HFT - sn_inf)/(sn_HFT - sE) against gamma_R/gamma_E (gamma_E = "
     << fmt(gamma_E) << ", gamma_R = ratio x gamma_E), " << ratios.size() << " ratios from "
     << fmt(ratios.front()) << " to " << fmt(ratios.back())
     << "; other parameters: baseline unless set in [model]. The points at ratio " << fmt(ratios[a])
     << " are solved first, one chain per sE along phi1 downwards (warm starts); from each, "
        "one chain up and one down in the ratio, each point warm-started from its neighbour; time "
        "limit "
     << fmt(options.time_limit) << " s per point.\n\n"
     << "| phi1 | sE | lambda_R at 0.01 | at 1 | at 100 | at 1e4 | largest ratio solved | valid "
        "points |\n"
        "|---|---|---|---|---|---|---|---|\n";
  for (std::size_t l = 0; l < grid.lines.size(); ++l) {
    const Parameters& key = grid.lines[l].points[a].params;
    int valid = 0;
    double largest = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < ratios.size(); ++i) {
      const SweepOutcome& o = outcomes[l][i];
      std::vector<std::string> row{cell(key.phi1), cell(key.sE), cell(ratios[i]), cell(gamma_E),
                                   cell(gamma_E * ratios[i])};
      for (auto& c : outcome_cells(o)) row.push_back(c);
      table.rows.push_back(row);
      log.add("phi1 = " + fmt(key.phi1) + ", sE = " + fmt(key.sE) +
                  ", gamma_R/gamma_E = " + fmt(ratios[i], 3),
              o);
      if (o.status == SweepStatus::Valid) ++valid;
      if (o.solved()) largest = ratios[i];
    }
    md << "| " << fmt(key.phi1) << " | " << fmt(key.sE) << " | "
       << lambda_at(ratios, outcomes[l], 1e-2) << " | " << lambda_at(ratios, outcomes[l], 1)
       << " | " << lambda_at(ratios, outcomes[l], 1e2) << " | "
       << lambda_at(ratios, outcomes[l], 1e4) << " | " << fmt(largest, 3) << " | " << valid << "/"
       << ratios.size() << " |\n";
  }
  md << "\n";
  log.write(md);
  md << "Columns of `lambda_r.csv`: phi1, sE, gamma_ratio, gamma_E, gamma_R, status (valid / "
        "invalid = "
        "converged but flagged / failed / skipped), valid (1 = trustworthy), converged, saddle_ok, "
        "v0_ok, "
        "v1_ok, v2_ok, v2_margin, sn_inf, sk_inf, aR_inf, lambda_R, sn_hft, seconds; numbers are "
        "nan where "
        "the solve failed.\n";
  write_text_table(context.file(".csv"), table);
  *context.out << "points: " << log.valid << " valid, " << log.invalid << " flagged, " << log.failed
               << " failed, " << log.skipped << " skipped\n";
}

}  // namespace
}  // namespace footloose

FOOTLOOSE_REGISTER_EXPERIMENT("lambda_r",
                              "lambda_R and sn_inf against gamma_R/gamma_E for several phi1 and sE",
                              footloose::run_lambda_r);
