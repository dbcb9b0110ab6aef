#include "src/path_report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "src/config_schema.hpp"
#include "src/format.hpp"
#include "src/path_columns.hpp"
#include "src/report_format.hpp"

namespace footloose {

namespace {

using Json = nlohmann::ordered_json;

Json path_json(const std::vector<PathPoint>& path) {
  Json out;
  for (const auto& column : path_columns) {
    Json values = Json::array();
    for (const auto& point : path) values.push_back(json_number(point.*column.member));
    out[column.name] = std::move(values);
  }
  return out;
}

std::string saddle_signature(const SaddleCheck& saddle) {
  return std::to_string(saddle.stable) + " stable, " + std::to_string(saddle.center) + " center, " +
         std::to_string(saddle.unstable) + " unstable";
}

std::string violation(const char* name, const char* what, const ValidityCheck& check) {
  return violation_text(name, what, check.margin, check.time, check.type);
}

void row(std::ostream& out, const std::string& label, double value, const std::string& note = "") {
  print_row(out, label, table_number(value), note);
}

}  // namespace

PathReport compute_path_report(const RunConfig& config) {
  PathReport report;
  report.config = config;
  report.options = transition_options(config);
  report.result =
      solve_transition(config.params, trade_path(config), initial_state(config), report.options);
  if (!report.result.converged) {
    throw PathNotSolved(report.result.message + " [settings: " + settings_text(config) + "; " +
                        short_number(report.result.solve_seconds) + " s; no output file written]");
  }
  return report;
}

std::vector<std::string> untrustworthy_reasons(const TransitionResult& r) {
  std::vector<std::string> reasons;
  if (!r.converged) reasons.push_back("not converged");
  if (!r.saddle.ok)
    reasons.push_back("saddle-path check failed (" + saddle_signature(r.saddle) +
                      " eigenvalues at the long-run point; expected 2, 1, 3)");
  const ValidityReport& v = r.validity;
  if (!v.v0.ok) reasons.push_back(violation("V0", "P >= 0", v.v0));
  if (!v.v1.ok) reasons.push_back(violation("V1", "aR(t) <= min(aX, aX*) ahead", v.v1));
  if (v.v2.evaluated && !v.v2.ok)
    reasons.push_back(violation("V2", "marginal type gains most", v.v2) +
                      ": the moved set is not one interval; relocation = \"type_resolved\" "
                      "answers this point (docs/model.md Section 6.A)");
  if (r.converged && !r.horizon_ok)
    reasons.push_back("y(T) is " + table_number(r.terminal_deviation) +
                      " (scaled) from the long-run point at T = " + table_number(r.horizon) +
                      ": the asymptotic condition at T is not accurate");
  if (r.converged && !r.lambda_r_ok)
    reasons.push_back("lambda_R's error estimate " + short_number(r.error_estimate.lambda_R) +
                      " is above the tolerance (sn_HFT - sE is tiny: lambda_R is "
                      "ill-conditioned; sn_inf and aR_inf are not affected)");
  if (r.bvp.termination == solvers::BvpTermination::AccuracyNotReached)
    reasons.push_back("error estimate above the tolerance (" + r.bvp.brief_report() + ")");
  if (!r.trustworthy() && reasons.empty()) reasons.push_back("flagged by the solver (see above)");
  return reasons;
}

std::string trust_line(const TransitionResult& result) {
  if (result.trustworthy()) return "TRUSTWORTHY";
  return verdict_line(untrustworthy_reasons(result));
}

void print_path_report(std::ostream& out, const PathReport& report) {
  const TransitionResult& r = report.result;
  print_run_header(out, report.config, "Transition path (docs/model.md Section 3)");

  print_heading(out, "Long run (t -> infinity)");
  row(out, "sn_inf", r.sn_inf);
  row(out, "sk_inf", r.sk_inf);
  row(out, "aR_inf", r.aR_inf);
  row(out, "nw_inf", r.nw_inf);
  row(out, "sn_HFT (reference, at phi1)", r.sn_hft);
  row(out, "lambda_R", r.lambda_R, "(sn_HFT - sn_inf)/(sn_HFT - sE)");

  print_heading(out, "Initial co-states (t = 0)");
  row(out, "W(0)", r.initial_state[kValueNorth]);
  row(out, "S(0)", r.initial_state[kValueSouth]);
  row(out, "P(0)", r.initial_state[kRelocationValue]);

  print_heading(out, "Saddle-path check at the long-run point");
  print_row(out, "stable, center, unstable",
            std::to_string(r.saddle.stable) + ", " + std::to_string(r.saddle.center) + ", " +
                std::to_string(r.saddle.unstable),
            std::string("(expected 2, 1, 3): ") + (r.saddle.ok ? "ok" : "FAILED"));
  std::string eigenvalues;
  for (double x : r.saddle.eigenvalues) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
    eigenvalues += (eigenvalues.empty() ? "" : ", ") + std::string(buffer);
  }
  print_row(out, "eigenvalues (ascending)", eigenvalues);

  print_heading(out, "Validity of the single relocation front");
  print_lines(out, r.validity.report(), "  ", "  ");

  const solvers::BvpSummary& b = r.bvp;
  print_heading(out, std::string("Solver: ") + solvers::to_string(b.method));
  print_row(out, "termination", solvers::to_string(b.termination));
  print_row(out, "scaled residual (max-norm)", short_number(b.residual_max),
            "(tolerance " + short_number(b.tolerance) + ")");
  if (b.method == solvers::BvpMethod::Collocation) {
    print_row(out, "mesh intervals", std::to_string(b.intervals),
              "(" + std::to_string(b.mesh_passes) + " mesh passes)");
    if (r.error_estimate.available) {
      const PathErrorEstimate& e = r.error_estimate;
      print_row(out, "error estimate: sn_inf", short_number(e.sn_inf), "(against the halved mesh)");
      print_row(out, "error estimate: aR_inf", short_number(e.aR_inf));
      print_row(out, "error estimate: W, S, P(0)",
                short_number(e.W0) + ", " + short_number(e.S0) + ", " + short_number(e.P0));
      print_row(out, "error estimate: path", short_number(e.path),
                "(scaled; tolerance " + short_number(report.options.tolerance) + ")");
    }
  } else {
    print_row(out, "matching defect (scaled)", short_number(r.shooting.max_matching_defect));
    print_row(out, "segment amplification (max)",
              short_number(r.shooting.max_segment_amplification));
    print_row(out, "segments", std::to_string(b.intervals));
  }
  print_row(out, "Newton iterations", std::to_string(b.newton_iterations));
  if (r.verification.performed) {
    const Verification& v = r.verification;
    print_row(
        out, std::string("verified by ") + solvers::to_string(v.method),
        v.converged ? short_number(v.max_difference) : "FAILED",
        v.converged ? "(largest |difference| in sn_inf, aR_inf, W(0), S(0), P(0))" : v.message);
  }
  print_row(out, "continuation in the shock size", r.continuation.report());
  print_row(out, "horizon T", table_number(r.horizon));
  print_row(out, "path points", std::to_string(r.path.size()));
  print_row(out, "solve time (s)", short_number(r.solve_seconds));

  print_heading(out, "Warnings");
  if (r.warnings.empty()) out << "  none\n";
  for (const auto& warning : r.warnings) print_lines(out, warning, "  - ", "    ");

  out << "\n" << trust_line(r) << "\n";
}

Json path_report_json(const PathReport& report) {
  const TransitionResult& r = report.result;
  const ValidityReport& v = r.validity;
  Json out;
  out["model"] = "docs/model.md Section 3: transition path after the trade shock phi0 -> phi1";
  out["sn_inf"] = json_number(r.sn_inf);
  out["sk_inf"] = json_number(r.sk_inf);
  out["aR_inf"] = json_number(r.aR_inf);
  out["nw_inf"] = json_number(r.nw_inf);
  out["sn_hft"] = json_number(r.sn_hft);
  out["lambda_R"] = json_number(r.lambda_R);
  out["converged"] = r.converged;
  out["trustworthy"] = r.trustworthy();
  out["untrustworthy_reasons"] = untrustworthy_reasons(r);
  add_bvp_summary_json(out, r.bvp);
  if (r.bvp.method == solvers::BvpMethod::MultipleShooting) {
    out["matching_defect"] = json_number(r.shooting.max_matching_defect);
    out["segment_amplification"] = json_number(r.shooting.max_segment_amplification);
    out["krylov_iterations"] = r.shooting.newton.linear_iterations;
  }
  if (r.error_estimate.available) {
    const PathErrorEstimate& e = r.error_estimate;
    out["error_estimate"] = {{"sn_inf", json_number(e.sn_inf)},
                             {"aR_inf", json_number(e.aR_inf)},
                             {"lambda_R", json_number(e.lambda_R)},
                             {"W0", json_number(e.W0)},
                             {"S0", json_number(e.S0)},
                             {"P0", json_number(e.P0)},
                             {"path_scaled", json_number(e.path)}};
  } else {
    out["error_estimate"] = nullptr;
  }
  if (r.verification.performed) {
    out["verification"] = {
        {"method", solvers::to_string(r.verification.method)},
        {"converged", r.verification.converged},
        {"max_difference",
         r.verification.converged ? json_number(r.verification.max_difference) : Json(nullptr)}};
  }
  out["continuation"] = {{"attempts", r.continuation.attempts},
                         {"failures", r.continuation.failures},
                         {"lambdas_solved", json_numbers(r.continuation.solved)}};
  out["saddle_ok"] = r.saddle.ok;
  out["saddle_signature"] = {
      {"stable", r.saddle.stable}, {"center", r.saddle.center}, {"unstable", r.saddle.unstable}};
  out["eigenvalues"] = json_numbers(r.saddle.eigenvalues);
  out["V0_ok"] = v.v0.ok;
  out["V0_margin"] = json_number(v.v0.margin);
  out["V0_time"] = json_number(v.v0.time);
  out["V1_ok"] = v.v1.ok;
  out["V1_margin"] = json_number(v.v1.margin);
  out["V1_time"] = json_number(v.v1.time);
  // V2 may be skipped by the solver: then null, not a vacuous true.
  const auto v2 = [&](double x) { return v.v2.evaluated ? json_number(x) : Json(nullptr); };
  out["V2_ok"] = v.v2.evaluated ? Json(v.v2.ok) : Json(nullptr);
  out["V2_margin"] = v2(v.v2.margin);
  out["V2_time"] = v2(v.v2.time);
  out["V2_type"] = v2(v.v2.type);
  out["initial_costates"] = {{"W", json_number(r.initial_state[kValueNorth])},
                             {"S", json_number(r.initial_state[kValueSouth])},
                             {"P", json_number(r.initial_state[kRelocationValue])}};
  out["solve_seconds"] = r.solve_seconds;
  out["horizon"] = r.horizon;
  out["terminal_deviation"] = r.terminal_deviation;
  out["horizon_ok"] = r.horizon_ok;
  out["lambda_R_ok"] = r.lambda_r_ok;
  out["rtol"] = report.options.rtol;
  out["newton_tol"] = report.options.newton_tolerance;
  out["tolerance"] = report.options.tolerance;
  out["terminal_condition"] = to_string(report.options.terminal);
  out["warnings"] = r.warnings;
  out["parameters"] = config_json(report.config);
  out["path"] = path_json(r.path);
  return out;
}

CsvTable path_csv(const std::vector<PathPoint>& path) {
  CsvTable table;
  for (const auto& column : path_columns) table.columns.push_back(column.name);
  for (const auto& point : path) {
    std::vector<double> values;
    values.reserve(table.columns.size());
    for (const auto& column : path_columns) values.push_back(point.*column.member);
    table.rows.push_back(std::move(values));
  }
  return table;
}

}  // namespace footloose
