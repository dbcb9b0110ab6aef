// The type-resolved relocation variant (docs/model.md Section 6.A) for one configuration:
// solved once, printed, written as JSON and CSV (`footloose path` with relocation =
// "type_resolved").
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "models/type_resolved.hpp"
#include "src/config.hpp"
#include "src/output.hpp"

namespace footloose {

struct TypeResolvedReport {
  RunConfig config;
  TypeResolvedOptions options;
  TypeResolvedResult result;
};

// Throws ParameterError for invalid input and PathNotSolved when the fixed point does not
// converge (nothing written).
TypeResolvedReport compute_type_resolved_report(const RunConfig& config);
// Why a converged answer is not trustworthy; empty when it is.
std::vector<std::string> untrustworthy_reasons(const TypeResolvedResult& result);
std::string trust_line(const TypeResolvedResult& result);

void print_type_resolved_report(std::ostream& out, const TypeResolvedReport& report);
nlohmann::ordered_json type_resolved_report_json(const TypeResolvedReport& report);
// One row per path point; the moved set goes to the JSON (intervals and shares per cell).
CsvTable type_resolved_csv(const TypeResolvedResult& result);
// Long format: one row per (time, cell) with the moved share: t, a_lower, a_upper, share.
CsvTable moved_shares_csv(const TypeResolvedResult& result);

}  // namespace footloose
