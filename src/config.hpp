// Run configuration: the model Parameters plus the dynamic-solver settings, read from a TOML
// file (or a key → value map, for the Python binding). Every key, its default, its allowed range
// and its meaning live in one schema table (src/config_schema.hpp) that drives parsing,
// validation messages and the --help text.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

#include "models/model_variant.hpp"
#include "models/optimal_timing.hpp"
#include "models/parameters.hpp"
#include "models/trade_path.hpp"
#include "models/transition.hpp"  // TerminalCondition, TransitionOptions
#include "models/type_resolved.hpp"

namespace footloose {

// Bad configuration input: unknown key, wrong type, out of range, malformed TOML, missing file.
// The message says where (file:line:column when known), which key, the value and what is allowed.
class ConfigError : public std::invalid_argument {
 public:
  ConfigError(const std::string& field, const std::string& message)
      : std::invalid_argument(message), field_(field) {}
  // The offending key ("" when the error is not about one key, e.g. malformed TOML).
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// How the dynamic path is closed at the horizon T (TerminalCondition of models/transition.hpp).
const char* to_string(TerminalCondition condition);

// Settings of the dynamic path (docs/model.md Section 3). The solver's settings and their
// defaults are TransitionOptions' (models/transition.hpp), written once there; config keys map
// onto them: T → horizon, rtol, newton_tol → newton_tolerance, terminal_condition → terminal,
// method, tolerance, verify; threads (optional here) → threads.
struct PathConfig {
  TransitionOptions solver;
  TradePathKind phi_path = TradePathKind::Jump;
  std::optional<double> phi_path_time;  // linear: duration; exponential: half-life
  InitialStateKind initial_state = InitialStateKind::Autarky;
  std::optional<double> K0, K_star0, aR0;  // only with initial_state = explicit
  // The model variant (docs/model.md Section 6) and the type-resolved solver's own settings
  // (the optimal-timing variant takes tolerance, T and time_limit from `solver`).
  RelocationModel relocation = RelocationModel::Front;
  RelocationTiming timing = RelocationTiming::Sequential;
  TypeResolvedOptions type_resolved;
  // Threads of one solve (TransitionOptions::threads, 1..kMaxSolveThreads). Unset: the caller's
  // default (`footloose path`: default_solve_threads(); Python solve_path: 1). Sweeps and
  // experiments solve one chain per thread or process, each on 1 thread, whatever is set here.
  std::optional<int> threads;
};

// The largest number of threads one solve may use (config key `threads`, path --threads).
constexpr int kMaxSolveThreads = 64;
// `footloose path`'s threads for one solve: 2 when the machine has >= 2 hardware threads, else 1.
int default_solve_threads();

struct RunConfig {
  Parameters params;
  PathConfig path;
};

// φ(t), the initial state and the transition-solver options the configuration describes
// (threads: the `threads` key, 1 when unset).
TradePath trade_path(const RunConfig& config);
InitialStateSpec initial_state(const RunConfig& config);
TransitionOptions transition_options(const RunConfig& config);
// The variants' solver options: type-resolved (its keys, plus T and time_limit) and optimal
// timing (tolerance, T, time_limit of the path settings).
TypeResolvedOptions type_resolved_options(const RunConfig& config);
OptimalTimingOptions optimal_timing_options(const RunConfig& config);

// A value as it comes from outside (a TOML scalar or a Python object). Integers are accepted
// where numbers are expected; booleans never are.
using ConfigValue = std::variant<bool, std::int64_t, double, std::string>;

// Entry points. Each starts from the defaults, applies the given keys, then validates the whole
// configuration; each throws ConfigError. `source` names the input in messages.
RunConfig load_config_file(const std::filesystem::path& file);
RunConfig config_from_toml_text(const std::string& text, const std::string& source = "<string>");
// TOML text as a table, for every reader of TOML input (configs, sweep grids): non-ASCII bytes
// outside comments and malformed TOML are refused with file:line:column (ConfigError).
toml::table parse_config_toml(const std::string& text, const std::string& source);
RunConfig config_from_table(const toml::table& table, const std::string& source = "<table>");
RunConfig config_from_dict(const std::map<std::string, ConfigValue>& values,
                           const std::string& source = "<dict>");

}  // namespace footloose
