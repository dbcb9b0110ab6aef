// Experiment `baseline` (docs/experiments.md): the baseline transition path (docs/model.md Section
// 4) with the HFT and instant-relocation levels. Settings: experiments/baseline.toml, an ordinary
// path config. Files: baseline.csv (the path), baseline_reference.csv; plot: plot_baseline.py.
#include <cmath>
#include <limits>

#include "models/dynamics.hpp"
#include "models/static_equilibria.hpp"
#include "src/experiment.hpp"
#include "src/path_columns.hpp"
#include "src/path_report.hpp"

namespace footloose {
namespace {

// Time at which the path has covered half of its total move in `member` (NaN if never).
double half_time(const std::vector<PathPoint>& path, double PathPoint::*member) {
  const double start = path.front().*member, end = path.back().*member;
  for (const auto& point : path)
    if (std::abs(point.*member - start) >= 0.5 * std::abs(end - start)) return point.t;
  return std::numeric_limits<double>::quiet_NaN();
}

// Levels for reference lines: initial state (at φ0), HFT and instant relocation (instant
// selection) at φ1, and the path's long run; columns of the path CSV.
TextTable reference_levels(const RunConfig& model, const TransitionResult& r,
                           const RelocationEquilibrium& reloc) {
  const Parameters& p = model.params;
  GeneralModel at_phi1(p, TradePath{TradePathKind::Jump, p.phi1, p.phi1, 0.0});
  GeneralModel at_phi0(p, TradePath{TradePathKind::Jump, p.phi0, p.phi0, 0.0});
  const State y_hft = at_phi1.steady_state(0.0, p.phi1);
  const State y_reloc = at_phi1.steady_state(reloc.aR, p.phi1);
  const State y_initial = initial_states(p, initial_state(model));
  TextTable reference;
  reference.columns.push_back("level");
  for (const auto& column : path_columns) reference.columns.push_back(column.name);
  const auto add_level = [&](const std::string& name, const PathPoint& point) {
    std::vector<std::string> row{name};
    for (const auto& column : path_columns) row.push_back(cell(point.*column.member));
    reference.rows.push_back(row);
  };
  add_level("initial", at_phi0.outputs(0.0, y_initial.data()));
  add_level("hft", at_phi1.outputs(0.0, y_hft.data()));
  add_level("instant_relocation", at_phi1.outputs(0.0, y_reloc.data()));
  add_level("long_run", at_phi1.outputs(0.0, r.long_run.data()));
  return reference;
}

void run_baseline(ExperimentContext& context) {
  const RunConfig model =
      context.config.whole_as_model();  // experiments/baseline.toml: a path config
  const PathReport report = compute_path_report(model);
  const TransitionResult& r = report.result;
  const Parameters& p = model.params;
  write_csv(context.file(".csv"), path_csv(r.path));
  const RelocationEquilibrium reloc = instant_relocation(p, p.phi1, SelectionReading::Instant);
  write_text_table(context.file("_reference.csv"), reference_levels(model, r, reloc));

  std::ostream& md = context.summary;
  md << "Parameters: sigma = " << p.sigma << ", rho = " << p.rho << ", sE = " << p.sE << ", phi "
     << p.phi0 << " -> " << p.phi1 << ", gamma_E = " << p.gamma_E << ", gamma_R = " << p.gamma_R
     << ".\n\n"
     << "| quantity | value |\n|---|---|\n"
     << "| sn_inf | " << fmt(r.sn_inf) << " |\n| sk_inf | " << fmt(r.sk_inf) << " |\n"
     << "| aR_inf (instant relocation: " << fmt(reloc.aR) << ") | " << fmt(r.aR_inf) << " |\n"
     << "| sn_HFT | " << fmt(r.sn_hft) << " |\n| lambda_R | " << fmt(r.lambda_R) << " |\n"
     << "| half-time of aR | " << fmt(half_time(r.path, &PathPoint::aR), 3) << " |\n"
     << "| half-time of sk | " << fmt(half_time(r.path, &PathPoint::sk), 3) << " |\n"
     << "| P(0) | " << fmt(r.initial_state[kRelocationValue]) << " |\n"
     << "| solve time (s) | " << fmt(r.solve_seconds, 3) << " |\n\n"
     << "Verdict: " << trust_line(r) << ".\n\n"
     << "Files: `baseline.csv` (the path, columns of `footloose path --csv`), "
        "`baseline_reference.csv` "
        "(levels: initial, hft, instant_relocation, long_run; same columns).\n";
  *context.out << "sn_inf = " << fmt(r.sn_inf) << ", lambda_R = " << fmt(r.lambda_R) << ", "
               << trust_line(r) << "\n";
}

}  // namespace
}  // namespace footloose

FOOTLOOSE_REGISTER_EXPERIMENT("baseline",
                              "the baseline transition path (docs/model.md Section 4) with HFT and "
                              "instant-relocation levels",
                              footloose::run_baseline);
