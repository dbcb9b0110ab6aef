#include "src/type_resolved_report.hpp"

#include "src/format.hpp"
#include "src/path_report.hpp"  // PathNotSolved
#include "src/report_format.hpp"

namespace footloose {

namespace {

using Json = nlohmann::ordered_json;

struct TypeResolvedColumn {
  const char* name;
  double TypeResolvedPoint::*member;
};

// The one list of type-resolved path outputs: JSON `path` arrays and CSV columns.
constexpr TypeResolvedColumn type_resolved_columns[] = {
    {"t", &TypeResolvedPoint::t},
    {"phi", &TypeResolvedPoint::phi},
    {"K", &TypeResolvedPoint::K},
    {"K_star", &TypeResolvedPoint::K_star},
    {"U", &TypeResolvedPoint::U},
    {"chi", &TypeResolvedPoint::chi},
    {"W", &TypeResolvedPoint::W},
    {"S", &TypeResolvedPoint::S},
    {"W_star", &TypeResolvedPoint::W_star},
    {"sk", &TypeResolvedPoint::sk},
    {"sn", &TypeResolvedPoint::sn},
    {"B", &TypeResolvedPoint::B},
    {"B_star", &TypeResolvedPoint::B_star},
    {"aD", &TypeResolvedPoint::aD},
    {"aX", &TypeResolvedPoint::aX},
    {"aD_star", &TypeResolvedPoint::aD_star},
    {"aX_star", &TypeResolvedPoint::aX_star},
};

Json intervals_json(const std::vector<TypeInterval>& intervals) {
  Json out = Json::array();
  for (const TypeInterval& i : intervals)
    out.push_back({json_number(i.lower), json_number(i.upper)});
  return out;
}

std::string intervals_text(const std::vector<TypeInterval>& intervals) {
  if (intervals.empty()) return "(none)";
  std::string text;
  for (const TypeInterval& i : intervals)
    text += (text.empty() ? "" : " U ") + std::string("[") + table_number(i.lower) + ", " +
            table_number(i.upper) + "]";
  return text;
}

void row(std::ostream& out, const std::string& label, double value, const std::string& note = "") {
  print_row(out, label, table_number(value), note);
}

}  // namespace

TypeResolvedReport compute_type_resolved_report(const RunConfig& config) {
  TypeResolvedReport report;
  report.config = config;
  report.options = type_resolved_options(config);
  report.result =
      solve_type_resolved(config.params, trade_path(config), initial_state(config), report.options);
  if (!report.result.converged)
    throw PathNotSolved("type-resolved relocation: " +
                        (report.result.message.empty() ? report.result.fixed_point.brief_report()
                                                       : report.result.message) +
                        " [settings: " + settings_text(config) + "; " +
                        short_number(report.result.fixed_point.seconds) +
                        " s; no output file written]");
  return report;
}

std::vector<std::string> untrustworthy_reasons(const TypeResolvedResult& r) {
  std::vector<std::string> reasons;
  if (!r.converged || !r.fixed_point.is_usable())
    reasons.push_back(std::string("fixed point ") + solvers::to_string(r.fixed_point.termination));
  const TypeResolvedValidity& v = r.validity;
  if (!v.v0_prime_ok)
    reasons.push_back("V0' violated (a moved type would gain by returning: min v = " +
                      short_number(v.min_moved_gain) + ")");
  if (!v.complementarity_ok)
    reasons.push_back("complementarity residual " + short_number(v.complementarity_residual) +
                      " (an unmoved type gains more than the congestion cost)");
  if (!v.steady_state_ok)
    reasons.push_back("the end of the path is not a steady state ((M4g) residual " +
                      short_number(v.steady_state_residual) + "): lengthen T");
  if (!r.trustworthy() && reasons.empty()) reasons.push_back("flagged by the solver");
  return reasons;
}

std::string trust_line(const TypeResolvedResult& result) {
  if (result.trustworthy()) return "TRUSTWORTHY";
  return verdict_line(untrustworthy_reasons(result));
}

void print_type_resolved_report(std::ostream& out, const TypeResolvedReport& report) {
  const TypeResolvedResult& r = report.result;
  print_run_header(out, report.config,
                   "Transition path, type-resolved relocation (docs/model.md Section 6.A)");

  print_heading(out, "Long run (at the horizon)");
  row(out, "sn_inf", r.sn_inf);
  row(out, "sk_inf", r.sk_inf);
  row(out, "U_inf (moved share)", r.U_inf, "(of South-born capital)");
  row(out, "sn_HFT (reference, at phi1)", r.sn_hft);
  row(out, "lambda_R", r.lambda_R, "(sn_HFT - sn_inf)/(sn_HFT - sE)");
  print_row(out, "moved set (types a)", intervals_text(r.moved_set_inf));

  print_heading(out, "Validity (docs/model.md Section 6.A)");
  print_lines(out, r.validity.report(), "  ", "  ");

  print_heading(out, "Solver: fixed point on (B, B*), Anderson acceleration");
  print_row(out, "termination", solvers::to_string(r.fixed_point.termination));
  print_row(out, "sweeps", std::to_string(r.fixed_point.iterations));
  print_row(out, "first guess", to_string(r.initial_guess), r.initial_guess_note);
  print_row(out, "residual |Phi(Z) - Z|", short_number(r.fixed_point.residual),
            "(tolerance " + short_number(report.options.tolerance) + ")");
  print_row(out, "type cells", std::to_string(report.options.type_cells),
            "(first order in 1/M and in the time step; see docs/model.md Section 6.A)");
  print_row(out, "largest time step", table_number(report.options.max_step));
  print_row(out, "horizon T", table_number(r.horizon));
  print_row(out, "solve time (s)", short_number(r.fixed_point.seconds));

  print_heading(out, "Warnings");
  if (r.warnings.empty()) out << "  none\n";
  for (const auto& warning : r.warnings) print_lines(out, warning, "  - ", "    ");
  out << "\n" << trust_line(r) << "\n";
}

Json type_resolved_report_json(const TypeResolvedReport& report) {
  const TypeResolvedResult& r = report.result;
  const TypeResolvedValidity& v = r.validity;
  Json out;
  out["model"] =
      "docs/model.md Section 6.A: type-resolved sequential relocation after the trade shock";
  out["relocation"] = "type_resolved";
  out["timing"] = "sequential";
  out["sn_inf"] = json_number(r.sn_inf);
  out["sk_inf"] = json_number(r.sk_inf);
  out["U_inf"] = json_number(r.U_inf);
  out["sn_hft"] = json_number(r.sn_hft);
  out["lambda_R"] = json_number(r.lambda_R);
  out["moved_set_inf"] = intervals_json(r.moved_set_inf);
  out["converged"] = r.converged;
  out["trustworthy"] = r.trustworthy();
  out["untrustworthy_reasons"] = untrustworthy_reasons(r);
  out["termination"] = solvers::to_string(r.fixed_point.termination);
  out["fixed_point"] = {{"first_guess", to_string(r.initial_guess)},
                        {"first_guess_note", r.initial_guess_note},
                        {"sweeps", r.fixed_point.iterations},
                        {"residual", json_number(r.fixed_point.residual)},
                        {"tolerance", report.options.tolerance}};
  out["validity"] = {{"V0_prime_ok", v.v0_prime_ok},
                     {"min_moved_gain", json_number(v.min_moved_gain)},
                     {"complementarity_ok", v.complementarity_ok},
                     {"complementarity_residual", json_number(v.complementarity_residual)},
                     {"steady_state_ok", v.steady_state_ok},
                     {"steady_state_residual", json_number(v.steady_state_residual)},
                     {"newborn_unmoved_gain_mass", json_number(v.newborn_unmoved_gain_mass)}};
  out["type_cells"] = report.options.type_cells;
  out["max_step"] = report.options.max_step;
  out["horizon"] = r.horizon;
  out["solve_seconds"] = r.fixed_point.seconds;
  out["warnings"] = r.warnings;
  out["parameters"] = config_json(report.config);
  Json path;
  for (const auto& column : type_resolved_columns) {
    Json values = Json::array();
    for (const auto& point : r.path) values.push_back(json_number(point.*column.member));
    path[column.name] = std::move(values);
  }
  Json moved = Json::array();
  for (const auto& point : r.path) moved.push_back(intervals_json(point.moved_set));
  path["moved_set"] = std::move(moved);
  out["path"] = std::move(path);
  Json shares = Json::array();
  for (const auto& row_shares : r.moved_shares) shares.push_back(json_numbers(row_shares));
  out["moved_shares"] = {{"cell_edges", json_numbers(r.cell_edges)},
                         {"times", json_numbers(r.share_times)},
                         {"shares", std::move(shares)}};
  return out;
}

CsvTable type_resolved_csv(const TypeResolvedResult& result) {
  CsvTable table;
  for (const auto& column : type_resolved_columns) table.columns.push_back(column.name);
  for (const auto& point : result.path) {
    std::vector<double> values;
    for (const auto& column : type_resolved_columns) values.push_back(point.*column.member);
    table.rows.push_back(std::move(values));
  }
  return table;
}

CsvTable moved_shares_csv(const TypeResolvedResult& result) {
  CsvTable table;
  table.columns = {"t", "a_lower", "a_upper", "share"};
  for (std::size_t k = 0; k < result.share_times.size() && k < result.moved_shares.size(); ++k)
    for (std::size_t i = 0; i + 1 < result.cell_edges.size(); ++i)
      table.rows.push_back({result.share_times[k], result.cell_edges[i], result.cell_edges[i + 1],
                            result.moved_shares[k][i]});
  return table;
}

}  // namespace footloose
