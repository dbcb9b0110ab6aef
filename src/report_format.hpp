// Pieces shared by the path reports (single front and the variants of docs/model.md Section 6):
// JSON numbers, the configuration as JSON, the settings line, and the report's opening lines.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "solvers/bvp.hpp"
#include "src/config.hpp"

namespace footloose {

// JSON has no infinity or NaN: such values are written as null.
nlohmann::ordered_json json_number(double x);
nlohmann::ordered_json json_numbers(const std::vector<double>& values);
// The BVP solver's summary as JSON keys of `out`: method, termination, residual_norm,
// newton_iterations, mesh_intervals.
void add_bvp_summary_json(nlohmann::ordered_json& out, const solvers::BvpSummary& summary);
// Every config key with its value (null when an optional key is unset).
nlohmann::ordered_json config_json(const RunConfig& config);
// The path settings that are set, "key=value ...".
std::string settings_text(const RunConfig& config);
// Three significant digits.
std::string short_number(double x);
// Each line of `text`, the first after first_prefix, the others after prefix.
void print_lines(std::ostream& out, const std::string& text, const std::string& first_prefix,
                 const std::string& prefix);
void print_heading(std::ostream& out, const std::string& title);
// "<title>: phi a -> b (jump), initial state ..." then the parameters and settings lines.
void print_run_header(std::ostream& out, const RunConfig& config, const std::string& title);

}  // namespace footloose

namespace footloose {
// "TRUSTWORTHY" when there are no reasons, else "NOT TRUSTWORTHY: <reason>; <reason>".
std::string verdict_line(const std::vector<std::string>& reasons);
// "V2 violated (<what>; smallest margin m at t = x[, type a = y])".
std::string violation_text(const std::string& name, const std::string& what, double margin,
                           double time, double type = 0.0);
}  // namespace footloose
