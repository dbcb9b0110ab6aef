#include "src/optimal_timing_report.hpp"

#include "src/format.hpp"
#include "src/path_columns.hpp"
#include "src/path_report.hpp"  // PathNotSolved
#include "src/report_format.hpp"

namespace footloose {

namespace {

using Json = nlohmann::ordered_json;

struct TimingColumn {
  const char* name;
  double TimingPathPoint::*member;
};

// Columns beyond the single front's (src/path_columns.hpp): JSON `path` arrays and CSV.
constexpr TimingColumn timing_columns[] = {
    {"u", &TimingPathPoint::u},
    {"q", &TimingPathPoint::q},
    {"option_value", &TimingPathPoint::omega},
    {"chi", &TimingPathPoint::chi},
    {"surplus", &TimingPathPoint::surplus},
};

void row(std::ostream& out, const std::string& label, double value, const std::string& note = "") {
  print_row(out, label, table_number(value), note);
}

std::string check_text(const ValidityCheck& check) {
  if (!check.evaluated) return "not evaluated";
  return std::string(check.ok ? "ok" : "VIOLATED") + " (smallest margin " +
         short_number(check.margin) + " at t = " + short_number(check.time) + ")";
}

Json check_json(const ValidityCheck& check) {
  if (!check.evaluated) return nullptr;
  return {{"ok", check.ok},
          {"margin", json_number(check.margin)},
          {"time", json_number(check.time)},
          {"type", json_number(check.type)}};
}

}  // namespace

OptimalTimingReport compute_optimal_timing_report(const RunConfig& config) {
  OptimalTimingReport report;
  report.config = config;
  report.options = optimal_timing_options(config);
  report.result = solve_optimal_timing(config.params, trade_path(config), initial_state(config),
                                       report.options);
  if (!report.result.converged)
    throw PathNotSolved("optimal timing: " + report.result.message +
                        " [settings: " + settings_text(config) + "; " +
                        short_number(report.result.solve_seconds) + " s; no output file written]");
  return report;
}

std::vector<std::string> untrustworthy_reasons(const OptimalTimingResult& r) {
  std::vector<std::string> reasons;
  if (!r.converged) reasons.push_back("not converged");
  if (!r.saddle.ok) reasons.push_back("saddle-path check failed (8x8 linearisation)");
  const TimingValidity& v = r.validity;
  if (!v.nv2.ok)
    reasons.push_back(violation_text("NV2", "the marginal type has the largest flow gain",
                                     v.nv2.margin, v.nv2.time, v.nv2.type));
  if (!v.demand_order.ok)
    reasons.push_back(violation_text("B >= B*", "moved types never want back",
                                     v.demand_order.margin, v.demand_order.time));
  if (!v.v1.ok)
    reasons.push_back(violation_text("V1", "aR(t) <= min(aX, aX*) ahead", v.v1.margin, v.v1.time));
  if (!v.surplus.ok)
    reasons.push_back(violation_text("surplus", "the marginal mover gains at least its cost",
                                     v.surplus.margin, v.surplus.time));
  if (r.converged && !r.horizon_ok)
    reasons.push_back(
        "y(T) is " + table_number(r.terminal_deviation) +
        " (scaled) from the long-run point: the asymptotic condition is not accurate");
  if (r.bvp.termination == solvers::BvpTermination::AccuracyNotReached)
    reasons.push_back("error estimate above the tolerance (" + r.bvp.brief_report() + ")");
  if (!r.trustworthy() && reasons.empty()) reasons.push_back("flagged by the solver");
  return reasons;
}

std::string trust_line(const OptimalTimingResult& result) {
  if (result.trustworthy()) return "TRUSTWORTHY";
  return verdict_line(untrustworthy_reasons(result));
}

void print_optimal_timing_report(std::ostream& out, const OptimalTimingReport& report) {
  const OptimalTimingResult& r = report.result;
  print_run_header(out, report.config,
                   "Transition path, optimal (Nash) timing of moves (docs/model.md Section 6.B)");

  print_heading(out, "Long run (t -> infinity)");
  row(out, "sn_inf", r.sn_inf);
  row(out, "sk_inf", r.sk_inf);
  row(out, "aR_inf", r.aR_inf);
  row(out, "sn_HFT (reference, at phi1)", r.sn_hft);
  row(out, "lambda_R", r.lambda_R, "(sn_HFT - sn_inf)/(sn_HFT - sE)");
  row(out, "half-relocation time", r.half_relocation_time, "(u(t) = u_inf/2)");

  print_heading(out, "At t = 0");
  row(out, "q(0) = sigma chi(0)", r.q0, "(congestion cost co-state, finite)");
  row(out, "Omega(0)", r.omega0, "(option value of unmoved new South-born units)");

  print_heading(out, "Validity of the Nash front");
  print_row(out, "NV2 (flow single crossing)", check_text(r.validity.nv2));
  print_row(out, "B >= B* at every date", check_text(r.validity.demand_order));
  print_row(out, "V1", check_text(r.validity.v1));
  print_row(out, "surplus of the mover >= 0", check_text(r.validity.surplus));
  print_row(out, "saddle (8x8)", r.saddle.ok ? "ok" : "FAILED",
            "(" + std::to_string(r.saddle.stable) + " stable, " + std::to_string(r.saddle.center) +
                " center, " + std::to_string(r.saddle.unstable) + " unstable)");

  const solvers::BvpSummary& b = r.bvp;
  print_heading(out, std::string("Solver: ") + solvers::to_string(b.method));
  print_row(out, "termination", solvers::to_string(b.termination));
  print_row(out, "scaled residual (max-norm)", short_number(b.residual_max));
  print_row(out, "mesh intervals", std::to_string(b.intervals),
            "(" + std::to_string(b.mesh_passes) + " mesh passes)");
  if (r.error_estimate.available) {
    print_row(out, "error estimate: sn_inf", short_number(r.error_estimate.sn_inf),
              "(against the halved mesh)");
    print_row(out, "error estimate: aR_inf", short_number(r.error_estimate.aR_inf));
    print_row(out, "error estimate: lambda_R", short_number(r.error_estimate.lambda_R));
    print_row(out, "error estimate: q(0)", short_number(r.q0_error));
  }
  print_row(out, "Newton iterations", std::to_string(b.newton_iterations));
  print_row(out, "horizon T", table_number(r.horizon));
  print_row(out, "solve time (s)", short_number(r.solve_seconds));

  print_heading(out, "Warnings");
  if (r.warnings.empty()) out << "  none\n";
  for (const auto& warning : r.warnings) print_lines(out, warning, "  - ", "    ");
  out << "\n" << trust_line(r) << "\n";
}

Json optimal_timing_report_json(const OptimalTimingReport& report) {
  const OptimalTimingResult& r = report.result;
  Json out;
  out["model"] = "docs/model.md Section 6.B: optimal (Nash) timing of relocation, single front";
  out["relocation"] = "front";
  out["timing"] = "optimal";
  out["sn_inf"] = json_number(r.sn_inf);
  out["sk_inf"] = json_number(r.sk_inf);
  out["aR_inf"] = json_number(r.aR_inf);
  out["sn_hft"] = json_number(r.sn_hft);
  out["lambda_R"] = json_number(r.lambda_R);
  out["q0"] = json_number(r.q0);
  out["option_value_0"] = json_number(r.omega0);
  out["half_relocation_time"] = json_number(r.half_relocation_time);
  out["converged"] = r.converged;
  out["trustworthy"] = r.trustworthy();
  out["untrustworthy_reasons"] = untrustworthy_reasons(r);
  add_bvp_summary_json(out, r.bvp);
  if (r.error_estimate.available)
    out["error_estimate"] = {{"sn_inf", json_number(r.error_estimate.sn_inf)},
                             {"aR_inf", json_number(r.error_estimate.aR_inf)},
                             {"lambda_R", json_number(r.error_estimate.lambda_R)},
                             {"q0", json_number(r.q0_error)},
                             {"path_scaled", json_number(r.error_estimate.path)}};
  else
    out["error_estimate"] = nullptr;
  out["saddle_ok"] = r.saddle.ok;
  out["eigenvalues"] = json_numbers(r.saddle.eigenvalues);
  out["validity"] = {{"NV2", check_json(r.validity.nv2)},
                     {"demand_order", check_json(r.validity.demand_order)},
                     {"V1", check_json(r.validity.v1)},
                     {"surplus", check_json(r.validity.surplus)}};
  out["horizon"] = r.horizon;
  out["terminal_deviation"] = r.terminal_deviation;
  out["horizon_ok"] = r.horizon_ok;
  out["solve_seconds"] = r.solve_seconds;
  out["tolerance"] = report.options.tolerance;
  out["warnings"] = r.warnings;
  out["parameters"] = config_json(report.config);
  Json path;
  for (const auto& column : path_columns) {
    Json values = Json::array();
    for (const auto& point : r.path) values.push_back(json_number(point.front.*column.member));
    path[column.name] = std::move(values);
  }
  for (const auto& column : timing_columns) {
    Json values = Json::array();
    for (const auto& point : r.path) values.push_back(json_number(point.*column.member));
    path[column.name] = std::move(values);
  }
  out["path"] = std::move(path);
  return out;
}

CsvTable optimal_timing_csv(const OptimalTimingResult& result) {
  CsvTable table;
  for (const auto& column : path_columns) table.columns.push_back(column.name);
  for (const auto& column : timing_columns) table.columns.push_back(column.name);
  for (const auto& point : result.path) {
    std::vector<double> values;
    for (const auto& column : path_columns) values.push_back(point.front.*column.member);
    for (const auto& column : timing_columns) values.push_back(point.*column.member);
    table.rows.push_back(std::move(values));
  }
  return table;
}

}  // namespace footloose
