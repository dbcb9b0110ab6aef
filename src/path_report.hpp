// The transition path of docs/model.md Section 3 for one configuration: solved once, then printed
// as a readable summary and written as JSON and CSV (`footloose path`).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/transition.hpp"
#include "src/config.hpp"
#include "src/output.hpp"

namespace footloose {

// The transition path did not converge; what() says what was tried (continuation, last Newton
// iteration count and residual) and with which settings.
class PathNotSolved : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PathReport {
  RunConfig config;
  TransitionOptions options;
  TransitionResult result;
};

// Solves the path. Throws ParameterError (e.g. gamma_E or gamma_R = 0: the dynamic model needs
// both > 0) and PathNotSolved when the solver does not converge.
PathReport compute_path_report(const RunConfig& config);

// Why a converged path is not trustworthy (saddle-path check, V0/V1/V2); empty when it is.
std::vector<std::string> untrustworthy_reasons(const TransitionResult& result);
// "TRUSTWORTHY", or "NOT TRUSTWORTHY: <reasons>".
std::string trust_line(const TransitionResult& result);

void print_path_report(std::ostream& out, const PathReport& report);
// Non-finite numbers (relocation_flow = +inf at t = 0 when aR(0) = 0 and P(0) > 0) become null.
nlohmann::ordered_json path_report_json(const PathReport& report);
// One row per path point, columns of src/path_columns.hpp; +inf is written "inf".
CsvTable path_csv(const std::vector<PathPoint>& path);

}  // namespace footloose
