// The optimal-timing variant (docs/model.md Section 6.B) for one configuration: solved once,
// printed, written as JSON and CSV (`footloose path` with timing = "optimal").
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "models/optimal_timing.hpp"
#include "src/config.hpp"
#include "src/output.hpp"

namespace footloose {

struct OptimalTimingReport {
  RunConfig config;
  OptimalTimingOptions options;
  OptimalTimingResult result;
};

// Throws ParameterError for invalid input and PathNotSolved when the path does not converge.
OptimalTimingReport compute_optimal_timing_report(const RunConfig& config);
std::vector<std::string> untrustworthy_reasons(const OptimalTimingResult& result);
std::string trust_line(const OptimalTimingResult& result);

void print_optimal_timing_report(std::ostream& out, const OptimalTimingReport& report);
nlohmann::ordered_json optimal_timing_report_json(const OptimalTimingReport& report);
// The single-front columns of src/path_columns.hpp plus u, q, Omega, chi, surplus.
CsvTable optimal_timing_csv(const OptimalTimingResult& result);

}  // namespace footloose
