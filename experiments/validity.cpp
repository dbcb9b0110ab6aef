// Experiment `validity` (docs/experiments.md): where V0/V1/V2 (docs/model.md 3.11) hold over
// (φ1, sE), in the instant-relocation limit and in the dynamic model at several γR/γE.
// Settings: experiments/validity.toml. File: validity.csv; plot: plot_validity.py.
#include "models/validity.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>

#include "models/static_equilibria.hpp"
#include "src/experiment.hpp"
#include "src/path_report.hpp"

namespace footloose {
namespace {

// A reason for the CSV: one quoted cell.
std::string reason_cell(std::string reason) {
  for (char& c : reason)
    if (c == ',' || c == '"' || c == '\n') c = ' ';
  return "\"" + reason + "\"";
}

// The instant-relocation limit (γR → 0, instant selection) at one grid point, as a CSV row with
// gamma_ratio = 0: the static V1/V2 of static_validity; V0 holds there.
std::vector<std::string> static_row(const Parameters& p) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> row{"0", cell(p.phi1), cell(p.sE), cell(p.sigma), cell(p.rho)};
  std::string status, reason;
  double aR = nan, sn_hft = nan, margin = nan;
  bool v1 = false, v2 = false;
  try {
    sn_hft = hft(p, p.phi1).sn;
    const RelocationEquilibrium e = instant_relocation(p, p.phi1, SelectionReading::Instant);
    const StaticValidity s = static_validity(p, p.phi1, e);
    aR = e.aR, v1 = s.v1, v2 = s.v2, margin = s.v2_margin;
    if (e.sustained)
      reason = "sustained (all South firms moved)";
    else if (!v1)
      reason = "V1: aR > aX (DD phase)";
    else if (!v2)
      reason = "V2: aR > (1-phi)^(1/(sigma-1)) aX";
    status = v1 && v2 && !e.sustained ? "valid" : "invalid";
  } catch (const std::exception& error) {
    status = "failed";
    reason = error.what();
  }
  for (char& c : reason)
    if (c == ',') c = ';';
  const bool ok = status != "failed";
  row.insert(row.end(), {status, status == "valid" ? "1" : "0", ok ? "1" : "0", "nan",
                         ok ? "1" : "nan", ok ? (v1 ? "1" : "0") : "nan",
                         ok ? (v2 ? "1" : "0") : "nan", cell(margin), cell(p.sE), cell(p.sE),
                         cell(aR), ok ? "1" : "nan", cell(sn_hft), "0", "\"" + reason + "\""});
  return row;
}

void run_validity(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> phi1s =
      config.numbers("phi1", {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9});
  const std::vector<double> sEs = config.numbers("sE", {0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85});
  const std::vector<double> ratios = config.numbers("gamma_ratio", {1.0, 100.0, 1e4});
  const double anchor_phi1 = config.number("anchor_phi1", 0.4);
  const double gamma_E = config.number("gamma_E", model.params.gamma_E);
  const TransitionOptions options = sweep_options(config, model);
  const SweepSettings settings = sweep_settings(context, "validity", config);
  config.reject_unknown_keys();

  TextTable table;
  table.columns = {"gamma_ratio", "phi1", "sE", "sigma", "rho"};
  for (const auto& c : outcome_columns()) table.columns.push_back(c);
  table.columns.push_back("reason");
  const std::size_t status_column = 5;  // after gamma_ratio, phi1, sE, sigma, rho
  std::size_t static_valid = 0, static_total = 0;
  for (double sE : sEs)
    for (double phi1 : phi1s) {
      Parameters p = model.params;
      p.sE = sE;
      p.phi1 = phi1;
      table.rows.push_back(static_row(p));
      ++static_total;
      if (table.rows.back()[status_column] == "valid") ++static_valid;
    }

  // Dynamic model: one line through φ1 per (sE, ratio), anchored at the φ1 nearest anchor_phi1.
  // The anchors are solved first, one chain per sE through the ratios in increasing order; from
  // each anchor one chain up and one down in φ1, each point warm-started from its neighbour.
  const std::size_t a = nearest_index(phi1s, anchor_phi1, false);
  std::vector<double> ratios_up = ratios;
  std::sort(ratios_up.begin(), ratios_up.end());
  const AnchoredGrid grid = anchored_grid(
      sEs.size(), ratios_up.size(), phi1s.size(), a,
      [&](std::size_t e, std::size_t k, std::size_t i) {
        return sweep_point(grid_config(model, phi1s[i], sEs[e], gamma_E, ratios_up[k]), options);
      });
  const auto& lines = grid.lines;
  const auto line_ratio = [&](std::size_t line) { return ratios_up[line % ratios_up.size()]; };
  const auto outcomes = run_anchored_lines(lines, grid.anchor_chains, settings);

  // Rows: every anchor first, then per line the points up from its anchor, then down.
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (line, point)
  for (std::size_t l = 0; l < lines.size(); ++l) order.push_back({l, a});
  for (std::size_t l = 0; l < lines.size(); ++l) {
    for (std::size_t i = a + 1; i < phi1s.size(); ++i) order.push_back({l, i});
    for (std::size_t i = a; i-- > 0;) order.push_back({l, i});
  }
  FailureLog log;
  std::map<double, std::array<std::size_t, 2>> per_ratio;  // valid, total
  for (const auto& [l, i] : order) {
    const SweepOutcome& o = outcomes[l][i];
    const Parameters& p = lines[l].points[i].params;
    std::vector<std::string> row{cell(line_ratio(l)), cell(p.phi1), cell(p.sE), cell(p.sigma),
                                 cell(p.rho)};
    for (auto& x : outcome_cells(o)) row.push_back(x);
    std::string reason;
    if (o.status == SweepStatus::Invalid) {
      for (auto& x : untrustworthy_reasons(o.result))
        reason += (reason.empty() ? "" : "; ") + x.substr(0, 60);
    } else if (o.status != SweepStatus::Valid) {
      reason = o.error.substr(0, 100);
    }
    row.push_back(reason_cell(reason));
    table.rows.push_back(row);
    log.add("gamma_R/gamma_E = " + fmt(line_ratio(l)) + ", phi1 = " + fmt(p.phi1) +
                ", sE = " + fmt(p.sE),
            o);
    auto& count = per_ratio[line_ratio(l)];
    count[1]++;
    if (o.status == SweepStatus::Valid) count[0]++;
  }
  write_text_table(context.file(".csv"), table);

  std::ostream& md = context.summary;
  md << "Grid: phi1 in {";
  for (std::size_t i = 0; i < phi1s.size(); ++i) md << (i ? ", " : "") << fmt(phi1s[i]);
  md << "}, sE in {";
  for (std::size_t i = 0; i < sEs.size(); ++i) md << (i ? ", " : "") << fmt(sEs[i]);
  md << "}; other parameters from the baseline.\n\n"
     << "Instant-relocation limit (gamma_ratio = 0 in the CSV; analytic: V1 is aR <= aX, i.e. phi "
        "<= phi_P = "
        "(1-sE)/sE; V2 in the limit B -> B* is aR <= (1-phi)^(1/(sigma-1)) aX): "
     << static_valid << " of " << static_total << " grid points valid.\n\n"
     << "| gamma_R/gamma_E | valid (trustworthy) points |\n|---|---|\n";
  for (const auto& [ratio, count] : per_ratio)
    md << "| " << fmt(ratio) << " | " << count[0] << "/" << count[1] << " |\n";
  md << "\n";
  log.write(md);
  *context.out << "dynamic points: " << log.valid << " valid, " << log.invalid << " flagged, "
               << log.failed << " failed, " << log.skipped << " skipped\n";
}

}  // namespace
}  // namespace footloose

FOOTLOOSE_REGISTER_EXPERIMENT("validity",
                              "where V0/V1/V2 hold over (phi1, sE): instant-relocation limit and "
                              "gamma_R/gamma_E = 1, 100, 1e4",
                              footloose::run_validity);
