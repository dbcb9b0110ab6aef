#include "src/report_format.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "src/config_schema.hpp"
#include "src/format.hpp"

namespace footloose {

using Json = nlohmann::ordered_json;

Json json_number(double x) {
  return std::isfinite(x) ? Json(x) : Json(nullptr);
}

Json json_numbers(const std::vector<double>& values) {
  Json out = Json::array();
  for (double x : values) out.push_back(json_number(x));
  return out;
}

void add_bvp_summary_json(Json& out, const solvers::BvpSummary& summary) {
  out["method"] = solvers::to_string(summary.method);
  out["termination"] = solvers::to_string(summary.termination);
  out["residual_norm"] = json_number(summary.residual_max);
  out["newton_iterations"] = summary.newton_iterations;
  out["mesh_intervals"] = summary.intervals;
}

Json config_json(const RunConfig& config) {
  Json out;
  for (const auto& key : config_schema()) {
    const KeyValue value = key.get(config);
    if (!value)
      out[key.name] = nullptr;
    else if (const auto* number = std::get_if<double>(&*value))
      out[key.name] = json_number(*number);
    else
      out[key.name] = std::get<std::string>(*value);
  }
  return out;
}

std::string settings_text(const RunConfig& config) {
  std::string text;
  for (const auto& key : config_schema()) {
    if (key.group != KeyGroup::Path || !key_applies(key, config)) continue;
    const KeyValue value = key.get(config);
    if (value) text += (text.empty() ? "" : " ") + key.name + "=" + key_value_text(value);
  }
  return text;
}

std::string short_number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", x);
  return buffer;
}

void print_lines(std::ostream& out, const std::string& text, const std::string& first_prefix,
                 const std::string& prefix) {
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    out << (first ? first_prefix : prefix) << line << "\n";
    first = false;
  }
}

void print_heading(std::ostream& out, const std::string& title) {
  out << "\n" << title << "\n";
}

void print_run_header(std::ostream& out, const RunConfig& config, const std::string& title) {
  const Parameters& p = config.params;
  out << title << ": phi " << table_number(p.phi0) << " -> " << table_number(p.phi1) << " ("
      << to_string(config.path.phi_path) << "), initial state "
      << key_value_text(find_config_key("initial_state")->get(config)) << "\n";
  out << "parameters:";
  for (const auto& key : config_schema())
    if (key.group == KeyGroup::Model)
      out << " " << key.name << "=" << key_value_text(key.get(config));
  out << "\nsettings:   " << settings_text(config) << "\n";
}

}  // namespace footloose

namespace footloose {

std::string verdict_line(const std::vector<std::string>& reasons) {
  if (reasons.empty()) return "TRUSTWORTHY";
  std::string line = "NOT TRUSTWORTHY: ";
  for (std::size_t i = 0; i < reasons.size(); ++i) line += (i ? "; " : "") + reasons[i];
  return line;
}

std::string violation_text(const std::string& name, const std::string& what, double margin,
                           double time, double type) {
  std::string text = name + " violated (" + what + "; smallest margin " + short_number(margin) +
                     " at t = " + short_number(time);
  if (type > 0.0) text += ", type a = " + short_number(type);
  return text + ")";
}

}  // namespace footloose
