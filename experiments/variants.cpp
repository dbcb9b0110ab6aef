// Experiment `variants` (docs/experiments.md, docs/findings.md): the single-front model beside
// its two variants (docs/model.md Section 6) over a (φ1, sE, γR/γE) grid — where the front is
// valid, where it is not, and how much the answer changes: sn∞, λR and the moved share U∞ under
// relocation = front, relocation = type_resolved and timing = optimal; plus the moved set of the
// type-resolved path in the (t, a) plane at one point (φ1 = 0.6 by default).
// Settings: experiments/variants.toml. Files: variants.csv, variants_moved_set.csv,
// variants_front_path.csv; plot: plot_variants.py.
#include <array>
#include <cmath>
#include <limits>
#include <map>

#include "src/experiment.hpp"
#include "src/type_resolved_report.hpp"

namespace footloose {
namespace {

struct ModelChoice {
  const char* name;
  RelocationModel relocation;
  RelocationTiming timing;
};
constexpr ModelChoice model_choices[] = {
    {"front", RelocationModel::Front, RelocationTiming::Sequential},
    {"type_resolved", RelocationModel::TypeResolved, RelocationTiming::Sequential},
    {"optimal_timing", RelocationModel::Front, RelocationTiming::Optimal},
};

// One row per (model, φ1, sE, ratio): the long-run answer of src/path_answer.hpp.
std::vector<std::string> answer_cells(const SweepOutcome& o) {
  const PathAnswer& a = o.answer;
  return {to_string(o.status), cell(a.sn_inf), cell(a.lambda_R),
          cell(a.moved_share), cell(a.aR_inf), a.trustworthy ? "1" : "0",
          a.termination,       cell(o.seconds)};
}

void run_variants(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> phi1s = config.numbers("phi1", {0.2, 0.3, 0.4, 0.5, 0.6, 0.7});
  const std::vector<double> sEs = config.numbers("sE", {0.6});
  const std::vector<double> ratios = config.numbers("gamma_ratio", {1.0, 100.0, 1e4});
  const double gamma_E = config.number("gamma_E", model.params.gamma_E);
  const int type_cells = config.integer("type_cells", 100);
  const double moved_set_phi1 = config.number("moved_set_phi1", 0.6);
  const double moved_set_sE = config.number("moved_set_sE", model.params.sE);
  const TransitionOptions options = sweep_options(config, model);
  const SweepSettings settings = sweep_settings(context, "variants", config);
  config.reject_unknown_keys();

  // Every point solved cold, one chain each (the variants have no warm start).
  std::vector<std::vector<SweepPoint>> chains;
  std::vector<std::array<double, 4>> where;  // model index, φ1, sE, ratio
  for (std::size_t m = 0; m < std::size(model_choices); ++m)
    for (double sE : sEs)
      for (double ratio : ratios)
        for (double phi1 : phi1s) {
          RunConfig c = grid_config(model, phi1, sE, gamma_E, ratio);
          c.path.relocation = model_choices[m].relocation;
          c.path.timing = model_choices[m].timing;
          c.path.type_resolved.type_cells = type_cells;
          c.path.solver.time_limit = options.time_limit;
          chains.push_back({sweep_point(c, options)});
          where.push_back({double(m), phi1, sE, ratio});
        }
  const auto outcomes = run_sweep(chains, settings);

  TextTable table;
  table.columns = {"model",    "phi1",        "sE",     "gamma_ratio", "status",      "sn_inf",
                   "lambda_R", "moved_share", "aR_inf", "trustworthy", "termination", "seconds"};
  FailureLog log;
  // (φ1, sE, ratio) → the row of each model, for the summary table.
  std::map<std::array<double, 3>, std::array<const SweepOutcome*, 3>> by_point;
  for (std::size_t k = 0; k < chains.size(); ++k) {
    const auto& [m, phi1, sE, ratio] = where[k];
    const SweepOutcome& o = outcomes[k][0];
    std::vector<std::string> row{model_choices[std::size_t(m)].name, cell(phi1), cell(sE),
                                 cell(ratio)};
    for (auto& x : answer_cells(o)) row.push_back(x);
    table.rows.push_back(row);
    by_point[{phi1, sE, ratio}][std::size_t(m)] = &o;
    log.add(std::string(model_choices[std::size_t(m)].name) + ", phi1 = " + fmt(phi1) +
                ", sE = " + fmt(sE) + ", gamma_R/gamma_E = " + fmt(ratio),
            o);
  }
  write_text_table(context.file(".csv"), table);

  // The moved set in the (t, a) plane at one point, and the front's aR(t) there.
  RunConfig at = grid_config(model, moved_set_phi1, moved_set_sE, gamma_E, 1.0);
  at.path.type_resolved.type_cells = type_cells;
  TypeResolvedOptions typed_options = type_resolved_options(at);
  typed_options.time_limit = options.time_limit;
  const TypeResolvedResult typed =
      solve_type_resolved(at.params, trade_path(at), initial_state(at), typed_options);
  if (typed.converged) {
    const CsvTable shares = moved_shares_csv(typed);
    TextTable text{shares.columns, {}};
    for (const auto& r : shares.rows) {
      std::vector<std::string> cells;
      for (double x : r) cells.push_back(cell(x));
      text.rows.push_back(cells);
    }
    write_text_table(context.file("_moved_set.csv"), text);
  }
  const TransitionResult front =
      solve_transition(at.params, trade_path(at), initial_state(at), options);
  TextTable front_path{{"t", "aR", "aX_star", "aX"}, {}};
  for (const PathPoint& pt : front.path)
    front_path.rows.push_back({cell(pt.t), cell(pt.aR), cell(pt.aX_star), cell(pt.aX)});
  write_text_table(context.file("_front_path.csv"), front_path);

  std::ostream& md = context.summary;
  md << "Grid: phi1 in {";
  for (std::size_t i = 0; i < phi1s.size(); ++i) md << (i ? ", " : "") << fmt(phi1s[i]);
  md << "}, sE in {";
  for (std::size_t i = 0; i < sEs.size(); ++i) md << (i ? ", " : "") << fmt(sEs[i]);
  md << "}, gamma_R/gamma_E in {";
  for (std::size_t i = 0; i < ratios.size(); ++i) md << (i ? ", " : "") << fmt(ratios[i]);
  md << "} (gamma_E = " << fmt(gamma_E) << "); type cells M = " << type_cells
     << "; other parameters: baseline unless set in [model]. Each point solved cold under the "
        "three models; (f) = flagged (not trustworthy), x = not solved.\n\n"
     << "| phi1 | sE | gamma_R/gamma_E | sn_inf front | lambda_R front | U_inf front | "
        "lambda_R type_resolved | U_inf type_resolved | lambda_R optimal | U_inf optimal |\n"
     << "|---|---|---|---|---|---|---|---|---|---|\n";
  const auto show = [](const SweepOutcome* o, double PathAnswer::*field, int digits) {
    if (!o || !o->solved()) return std::string("x");
    return fmt(o->answer.*field, digits) + (o->status == SweepStatus::Invalid ? " (f)" : "");
  };
  for (const auto& [key, row] : by_point) {
    md << "| " << fmt(key[0]) << " | " << fmt(key[1]) << " | " << fmt(key[2]) << " | "
       << show(row[0], &PathAnswer::sn_inf, 8) << " | " << show(row[0], &PathAnswer::lambda_R, 6)
       << " | " << show(row[0], &PathAnswer::moved_share, 5) << " | "
       << show(row[1], &PathAnswer::lambda_R, 6) << " | "
       << show(row[1], &PathAnswer::moved_share, 5) << " | "
       << show(row[2], &PathAnswer::lambda_R, 6) << " | "
       << show(row[2], &PathAnswer::moved_share, 5) << " |\n";
  }
  md << "\nMoved set at phi1 = " << fmt(moved_set_phi1) << ", sE = " << fmt(moved_set_sE)
     << " (gamma_R = gamma_E): ";
  if (typed.converged) {
    for (const auto& i : typed.moved_set_inf)
      md << "[" << fmt(i.lower, 4) << ", " << fmt(i.upper, 4) << "] ";
    md << "(type-resolved, U_inf = " << fmt(typed.U_inf, 5)
       << "); single front aR_inf = " << fmt(front.aR_inf, 5)
       << ", U_inf = " << fmt(std::pow(front.aR_inf, at.params.rho), 5)
       << (front.trustworthy() ? "" : " (flagged)") << ".\n\n";
  } else {
    md << "not solved (" << typed.message << ").\n\n";
  }
  log.write(md);
  *context.out << "variants: " << log.valid << " valid, " << log.invalid << " flagged, "
               << log.failed << " failed\n";
}

}  // namespace
}  // namespace footloose

FOOTLOOSE_REGISTER_EXPERIMENT("variants",
                              "the single front beside type-resolved relocation and optimal timing "
                              "(docs/model.md Section 6) over phi1, sE, gamma_R/gamma_E",
                              footloose::run_variants);
