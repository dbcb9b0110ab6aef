// `footloose path` output, without solving: the column table, JSON/CSV of a made-up result
// (non-finite values), the trust verdict.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "src/config.hpp"
#include "src/path_columns.hpp"
#include "src/path_report.hpp"

using namespace footloose;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

PathReport made_up_report() {
  PathReport report;
  report.config = config_from_dict({});
  report.options = transition_options(report.config);
  TransitionResult& r = report.result;
  r.converged = true;
  r.saddle.ok = true;
  r.saddle.stable = 2;
  r.saddle.center = 1;
  r.saddle.unstable = 3;
  r.saddle.eigenvalues = {-2, -1, 0, 0.1, 1, 2};
  r.validity.v0.evaluated = r.validity.v1.evaluated = r.validity.v2.evaluated = true;
  r.horizon = 60;
  for (int i = 0; i < 3; ++i) {
    PathPoint point;
    point.t = i;
    point.K = 1.0 + i;
    point.omega_star = -0.5 * i;
    point.relocation_flow = i == 0 ? std::numeric_limits<double>::infinity() : 0.25 * i;
    r.path.push_back(point);
  }
  return report;
}

}  // namespace

TEST_CASE("path columns cover every PathPoint member once", "[path]") {
  constexpr std::size_t count = sizeof(path_columns) / sizeof(path_columns[0]);
  STATIC_REQUIRE(sizeof(PathPoint) == count * sizeof(double));  // a new member must be listed
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t j = i + 1; j < count; ++j) {
      CHECK(std::string(path_columns[i].name) != path_columns[j].name);
      CHECK(path_columns[i].member != path_columns[j].member);
    }
}

TEST_CASE("path JSON and CSV share the columns, +inf is null in JSON and inf in CSV", "[path]") {
  const PathReport report = made_up_report();
  const auto json = path_report_json(report);
  const CsvTable csv = path_csv(report.result.path);
  std::vector<std::string> json_columns;
  for (const auto& item : json.at("path").items()) json_columns.push_back(item.key());
  CHECK(json_columns == csv.columns);
  REQUIRE(csv.rows.size() == 3);
  CHECK(json.at("path").at("t").size() == 3);
  CHECK(json.at("path").at("relocation_flow")[0].is_null());
  CHECK(json.at("path").at("relocation_flow")[2] == 0.5);
  CHECK(json.at("path").at("omega_star")[2] == -1.0);
  const std::string text = csv_text(csv);
  CHECK(contains(text, "t,phi,K,K_star,"));
  CHECK(contains(text, ",inf,"));
  // Every config key is recorded; unset optional keys as null.
  CHECK(json.at("parameters").at("gamma_R") == 1.0);
  CHECK(json.at("parameters").at("terminal_condition") == "asymptotic");
  CHECK(json.at("parameters").at("phi_path_time").is_null());
  CHECK(!json.at("parameters").contains("atol"));
  CHECK(json.at("trustworthy") == true);
  CHECK(json.at("untrustworthy_reasons").empty());
}

TEST_CASE("trust verdict: TRUSTWORTHY, or NOT TRUSTWORTHY with the reasons", "[path]") {
  PathReport report = made_up_report();
  CHECK(trust_line(report.result) == "TRUSTWORTHY");
  std::ostringstream printed;
  print_path_report(printed, report);
  CHECK(printed.str().substr(printed.str().size() - 12) == "TRUSTWORTHY\n");

  TransitionResult& r = report.result;
  r.saddle.ok = false;
  r.saddle.unstable = 2;
  r.validity.v2.ok = false;
  r.validity.v2.margin = -0.8;
  r.validity.v2.time = 11.5;
  const std::string line = trust_line(r);
  CHECK(
      contains(line, "NOT TRUSTWORTHY: saddle-path check failed (2 stable, 1 center, 2 unstable"));
  CHECK(contains(line, "; V2 violated"));
  CHECK(contains(line, "-0.8 at t = 11.5"));
  const auto json = path_report_json(report);
  CHECK(json.at("trustworthy") == false);
  CHECK(json.at("saddle_ok") == false);
  CHECK(json.at("V2_ok") == false);
  CHECK(json.at("untrustworthy_reasons").size() == 2);

  r.validity.v2.evaluated = false;  // a skipped check is neither a reason nor a vacuous true
  CHECK(path_report_json(report).at("V2_ok").is_null());
  CHECK(untrustworthy_reasons(r).size() == 1);
}
