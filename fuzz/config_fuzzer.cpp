// libFuzzer target for the config reader: config_from_toml_text() on arbitrary bytes.
//
// Build and run: scripts/fuzz.sh [seconds]  (clang, -DFOOTLOOSE_FUZZ=ON; see docs/robustness.md).
//
// The oracle, beyond "no crash, no sanitizer report":
//  * an expected rejection is a ConfigError (or a ParameterError); its message must be non-empty,
//    say where (it starts with the source name, "fuzz.toml"), name something (a quoted 'key' or
//    the line:column of the fault), name the key it is about when field() is set, and be
//    printable (no control characters: the CLI prints it on one line);
//  * any other exception escaping the reader is a finding (abort);
//  * an accepted input must give a configuration that is inside every documented domain:
//    validate() passes, the path settings are finite and in range, and the dependent keys agree.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "models/parameters.hpp"
#include "src/config.hpp"

namespace {

const std::string kSource = "fuzz.toml";

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "\n*** config_fuzzer finding: %s\n*** %s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

bool has_control_character(const std::string& text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "fuzz.toml:12:3: ..." — the source name followed by a line and a column.
bool has_line_and_column(const std::string& message) {
  std::size_t i = kSource.size();
  for (int part = 0; part < 2; ++part) {
    if (i >= message.size() || message[i] != ':') return false;
    ++i;
    const std::size_t start = i;
    while (i < message.size() && is_digit(message[i])) ++i;
    if (i == start) return false;
  }
  return true;
}

// CONFIG_FUZZER_PRINT=1: print each outcome (to read the messages of a corpus:
//   CONFIG_FUZZER_PRINT=1 build-fuzz/fuzz/config_fuzzer -runs=0 fuzz/corpus/config/*).
bool print_outcomes() {
  static const bool print = [] {
    const char* value = std::getenv("CONFIG_FUZZER_PRINT");
    return value && *value && std::string(value) != "0";
  }();
  return print;
}

void check_rejection(const std::string& message, const std::string& field, const char* type) {
  if (print_outcomes()) std::fprintf(stderr, "rejected (%s): %s\n", type, message.c_str());
  const std::string context = std::string(type) + ": \"" + message + "\" (field '" + field + "')";
  if (message.empty()) finding("empty rejection message", context);
  if (message.compare(0, kSource.size(), kSource) != 0)
    finding("rejection message does not say where (source name)", context);
  const std::size_t colon_space = message.find(": ");
  if (colon_space == std::string::npos || colon_space + 2 >= message.size())
    finding("rejection message has no text after the location", context);
  const bool names_key = message.find('\'') != std::string::npos;
  if (!names_key && !has_line_and_column(message))
    finding("rejection message names neither a key nor a line:column", context);
  // (A key spelled with control characters is shown escaped, so only printable ones are looked up.)
  if (!field.empty() && !has_control_character(field) &&
      message.find("'" + field + "'") == std::string::npos)
    finding("rejection message does not name its field", context);
  if (has_control_character(message))
    finding("rejection message contains control characters", context);
}

bool in_open(double x, double lo, double hi) {
  return std::isfinite(x) && x > lo && x < hi;
}

void check_accepted(const footloose::RunConfig& config) {
  if (print_outcomes()) std::fprintf(stderr, "accepted\n");
  try {
    footloose::validate(config.params);
  } catch (const std::exception& error) {
    finding("accepted configuration fails validate()", error.what());
  }
  const footloose::PathConfig& path = config.path;
  if (!(std::isfinite(path.solver.horizon) && path.solver.horizon > 0))
    finding("accepted T out of range", std::to_string(path.solver.horizon));
  if (!(std::isfinite(path.solver.rtol) && path.solver.rtol > 0 && path.solver.rtol <= 1e-3))
    finding("accepted rtol out of range", std::to_string(path.solver.rtol));
  if (!(std::isfinite(path.solver.newton_tolerance) && path.solver.newton_tolerance > 0))
    finding("accepted newton_tol out of range", std::to_string(path.solver.newton_tolerance));
  const bool jump = path.phi_path == footloose::TradePathKind::Jump;
  if (jump == path.phi_path_time.has_value())
    finding("phi_path_time inconsistent with phi_path", "");
  if (path.phi_path_time && !(std::isfinite(*path.phi_path_time) && *path.phi_path_time > 0))
    finding("accepted phi_path_time out of range", std::to_string(*path.phi_path_time));
  const bool is_explicit = path.initial_state == footloose::InitialStateKind::Explicit;
  for (const auto* value : {&path.K0, &path.K_star0, &path.aR0})
    if (is_explicit != value->has_value()) finding("explicit initial state keys inconsistent", "");
  if (is_explicit) {
    if (!in_open(*path.K0, 0, INFINITY) || !in_open(*path.K_star0, 0, INFINITY))
      finding("accepted K0/K_star0 out of range", "");
    if (!(std::isfinite(*path.aR0) && *path.aR0 >= 0 && *path.aR0 < 1))
      finding("accepted aR0 out of range", std::to_string(*path.aR0));
  }
  // The derived settings must be computable from any accepted configuration.
  (void)footloose::trade_path(config);
  (void)footloose::initial_state(config);
  (void)footloose::transition_options(config);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    check_accepted(footloose::config_from_toml_text(text, kSource));
  } catch (const footloose::ConfigError& error) {
    check_rejection(error.what(), error.field(), "ConfigError");
  } catch (const footloose::ParameterError& error) {
    check_rejection(error.what(), error.field(), "ParameterError");
  } catch (const std::exception& error) {
    finding("unexpected exception type escaped config_from_toml_text", error.what());
  } catch (...) {
    finding("non-std exception escaped config_from_toml_text", "");
  }
  return 0;
}
