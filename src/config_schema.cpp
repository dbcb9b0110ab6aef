#include "src/config_schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <utility>

#include "src/format.hpp"

namespace footloose {

namespace {

// The allowed range of a model parameter, from its domain (models/parameters.cpp, written once).
std::string parameter_domain(const std::string& name) {
  for (const ParameterDomain& d : parameter_domains())
    if (name == d.name) return d.allowed;
  throw std::logic_error("no domain for parameter '" + name + "' in parameter_domains()");
}

ConfigKey parameter_key(const std::string& name, double Parameters::*field,
                        const std::string& meaning) {
  ConfigKey key;
  key.name = name;
  key.group = KeyGroup::Model;
  key.meaning = meaning;
  key.allowed = parameter_domain(name);
  key.set_number = [field](RunConfig& config, double x) { config.params.*field = x; };
  key.get = [field](const RunConfig& config) -> KeyValue { return config.params.*field; };
  return key;
}

// A path setting with a number range checked at parse time.
ConfigKey path_range_key(const std::string& name, NumberRange range, const std::string& meaning) {
  ConfigKey key;
  key.name = name;
  key.group = KeyGroup::Path;
  key.meaning = meaning;
  key.allowed = range.text(name);
  key.range = range;
  return key;
}

// A setting of the solver (TransitionOptions, where its default is written).
ConfigKey solver_number_key(const std::string& name, double TransitionOptions::*field,
                            NumberRange range, const std::string& meaning) {
  ConfigKey key = path_range_key(name, range, meaning);
  key.set_number = [field](RunConfig& config, double x) { config.path.solver.*field = x; };
  key.get = [field](const RunConfig& config) -> KeyValue { return config.path.solver.*field; };
  return key;
}

ConfigKey path_optional_key(const std::string& name, std::optional<double> PathConfig::*field,
                            NumberRange range, const std::string& meaning) {
  ConfigKey key = path_range_key(name, range, meaning);
  key.set_number = [field](RunConfig& config, double x) { config.path.*field = x; };
  key.get = [field](const RunConfig& config) -> KeyValue {
    if (!(config.path.*field)) return std::nullopt;
    return *(config.path.*field);
  };
  return key;
}

// Where a path setting lives: in PathConfig, or in its solver options (TransitionOptions).
PathConfig& owner(RunConfig& c, PathConfig*) {
  return c.path;
}
const PathConfig& owner(const RunConfig& c, PathConfig*) {
  return c.path;
}
TransitionOptions& owner(RunConfig& c, TransitionOptions*) {
  return c.path.solver;
}
const TransitionOptions& owner(const RunConfig& c, TransitionOptions*) {
  return c.path.solver;
}

// A setting chosen by word.
template <class Owner, class Enum>
ConfigKey choice_key(const std::string& name, Enum Owner::*field,
                     std::vector<std::pair<std::string, Enum>> words, const std::string& meaning) {
  ConfigKey key;
  key.name = name;
  key.group = KeyGroup::Path;
  key.meaning = meaning;
  for (const auto& word : words) key.choices.push_back(word.first);
  key.allowed = "one of";
  for (std::size_t i = 0; i < key.choices.size(); ++i)
    key.allowed += (i == 0 ? " " : ", ") + key.choices[i];
  key.set_word = [field, words](RunConfig& config, const std::string& word) {
    for (const auto& [text, value] : words)
      if (text == word) owner(config, static_cast<Owner*>(nullptr)).*field = value;
  };
  key.get = [field, words](const RunConfig& config) -> KeyValue {
    const Enum current = owner(config, static_cast<Owner*>(nullptr)).*field;
    for (const auto& [text, value] : words)
      if (current == value) return text;
    return std::nullopt;
  };
  return key;
}

// A setting of the type-resolved solver (TypeResolvedOptions, where its default is written).
template <class Field>
ConfigKey type_resolved_key(const std::string& name, Field TypeResolvedOptions::*field,
                            NumberRange range, bool integer, const std::string& meaning) {
  ConfigKey key = path_range_key(name, range, meaning);
  key.integer = integer;
  key.scope = KeyScope::TypeResolved;
  key.set_number = [field](RunConfig& config, double x) {
    config.path.type_resolved.*field = static_cast<Field>(x);
  };
  key.get = [field](const RunConfig& config) -> KeyValue {
    return static_cast<double>(config.path.type_resolved.*field);
  };
  return key;
}

ConfigKey scoped(ConfigKey key, KeyScope scope) {
  key.scope = scope;
  return key;
}

NumberRange above(double lower) {
  return {lower, false};
}
NumberRange between(double lower, bool lower_closed, double upper, bool upper_closed) {
  return {lower, lower_closed, upper, upper_closed};
}

// The threads of one solve: an optional whole number (PathConfig::threads).
ConfigKey threads_key() {
  ConfigKey key = path_range_key(
      "threads", between(1, true, kMaxSolveThreads, true),
      "threads of one solve (same answer on any number); unset: footloose path uses 2 when the "
      "machine has >= 2 hardware threads, else 1; Python solve_path 1; sweeps and experiments "
      "always 1 per solve (they run solves side by side)");
  key.integer = true;
  key.scope = KeyScope::FrontSequential;
  key.set_number = [](RunConfig& config, double x) { config.path.threads = static_cast<int>(x); };
  key.get = [](const RunConfig& config) -> KeyValue {
    if (!config.path.threads) return std::nullopt;
    return static_cast<double>(*config.path.threads);
  };
  return key;
}

std::vector<ConfigKey> build_schema() {
  using P = Parameters;
  using C = PathConfig;
  using S = TransitionOptions;
  return {
      parameter_key("sigma", &P::sigma, "elasticity of substitution"),
      parameter_key("rho", &P::rho, "Pareto shape of unit labour requirements, G(a) = a^rho"),
      parameter_key("sE", &P::sE, "North share of world expenditure"),
      parameter_key("F", &P::F, "beachhead cost per market served"),
      parameter_key("FI", &P::FI, "cost of creating a unit of capital (a variety)"),
      parameter_key("delta", &P::delta, "Poisson death rate of firms"),
      parameter_key("r", &P::r, "pure discount rate"),
      parameter_key("phi0", &P::phi0, "freeness of trade before t = 0"),
      parameter_key("phi1", &P::phi1,
                    "freeness of trade after the shock (the static equilibria are computed here)"),
      parameter_key("gamma_E", &P::gamma_E, "entry adjustment cost (time units)"),
      parameter_key("gamma_R", &P::gamma_R, "relocation adjustment cost (time units)"),
      solver_number_key("T", &S::horizon, above(0.0), "horizon of the dynamic path"),
      scoped(
          solver_number_key("rtol", &S::rtol, between(0.0, false, 1e-3, true),
                            "relative tolerance of the ODE integrator; the absolute tolerances are "
                            "rtol * 1e-3 * each state's typical size"),
          KeyScope::FrontSequential),
      scoped(solver_number_key("newton_tol", &S::newton_tolerance, above(0.0),
                               "tolerance of the shooting (Newton) iteration on the scaled "
                               "max-norm residual; floor set by rtol"),
             KeyScope::FrontSequential),
      scoped(choice_key("method", &S::method,
                        {{"auto", PathMethod::Auto},
                         {"collocation", PathMethod::Collocation},
                         {"shooting", PathMethod::Shooting}},
                        "BVP method: global collocation, multiple shooting, or auto (collocation; "
                        "shooting only if collocation fails and its mesh is small enough)"),
             KeyScope::FrontSequential),
      scoped(solver_number_key(
                 "tolerance", &S::tolerance, between(0.0, false, 1e-2, true),
                 "collocation: target of the a-posteriori error estimate (max over the path, "
                 "W(0), S(0), P(0) and aR_inf, each relative to its typical size)"),
             KeyScope::Front),
      threads_key(),
      solver_number_key("time_limit", &S::time_limit, between(0.0, true, 1e6, true),
                        "seconds for the whole solve (continuation included); 0 = no limit; "
                        "reached: the path is not solved (termination time_limit, exit 1)"),
      scoped(choice_key("verify", &S::verify, {{"false", false}, {"true", true}},
                        "also solve with the other method (cold) and report the largest "
                        "difference in sn_inf, aR_inf, W(0), S(0), P(0)"),
             KeyScope::FrontSequential),
      scoped(choice_key("terminal_condition", &S::terminal,
                        {{"asymptotic", TerminalCondition::Asymptotic},
                         {"truncation", TerminalCondition::Truncation}},
                        "closing condition at T: no unstable component, or W = S = FI, P = 0"),
             KeyScope::FrontSequential),
      choice_key("phi_path", &C::phi_path,
                 {{"jump", TradePathKind::Jump},
                  {"linear", TradePathKind::Linear},
                  {"exponential", TradePathKind::Exponential}},
                 "how phi(t) goes from phi0 to phi1"),
      path_optional_key("phi_path_time", &C::phi_path_time, above(0.0),
                        "linear: duration of the change; exponential: half-life; "
                        "required unless phi_path = jump"),
      choice_key("initial_state", &C::initial_state,
                 {{"autarky", InitialStateKind::Autarky},
                  {"hft", InitialStateKind::Hft},
                  {"relocation", InitialStateKind::Relocation},
                  {"explicit", InitialStateKind::Explicit}},
                 "state at t = 0: autarky, steady state at phi0 (hft / relocation), "
                 "or explicit K0, K_star0, aR0"),
      path_optional_key("K0", &C::K0, above(0.0),
                        "initial North-born capital; required when initial_state = explicit"),
      path_optional_key("K_star0", &C::K_star0, above(0.0),
                        "initial South-born capital; required when initial_state = explicit"),
      choice_key(
          "relocation", &C::relocation,
          {{"front", RelocationModel::Front}, {"type_resolved", RelocationModel::TypeResolved}},
          "which types relocate: a single front aR(t) ((M7)), or any set of types on a "
          "grid of type cells (docs/model.md Section 6.A; answers where V2 fails)"),
      choice_key(
          "timing", &C::timing,
          {{"sequential", RelocationTiming::Sequential}, {"optimal", RelocationTiming::Optimal}},
          "when units move: as soon as the gain covers the congestion cost (the paper), "
          "or at the date each type finds best (Nash; Section 6.B; front only)"),
      type_resolved_key("type_cells", &TypeResolvedOptions::type_cells, between(2, true, 1e5, true),
                        true, "number of type cells M (uniform in a on [0, 1])"),
      type_resolved_key("type_max_step", &TypeResolvedOptions::max_step,
                        between(0.0, false, 10.0, true), false,
                        "largest time step of the (first-order) time mesh"),
      path_optional_key("aR0", &C::aR0, between(0.0, true, 1.0, false),
                        "initial relocation threshold; required when initial_state = explicit"),
  };
}

// Edit distance counting insertions, deletions, substitutions and swaps of neighbours, ignoring
// case.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

bool NumberRange::contains(double x) const {
  if (!std::isfinite(x)) return false;
  const bool lower_ok = lower_closed ? x >= lower : x > lower;
  const bool upper_ok = upper_closed ? x <= upper : x < upper;
  return lower_ok && upper_ok;
}

std::string NumberRange::text(const std::string& name) const {
  const bool has_lower = std::isfinite(lower);
  const bool has_upper = std::isfinite(upper);
  if (has_lower && !has_upper) return name + (lower_closed ? " >= " : " > ") + shortest_text(lower);
  if (!has_lower && has_upper) return name + (upper_closed ? " <= " : " < ") + shortest_text(upper);
  if (!has_lower && !has_upper) return name + " finite";
  return shortest_text(lower) + (lower_closed ? " <= " : " < ") + name +
         (upper_closed ? " <= " : " < ") + shortest_text(upper);
}

const std::vector<ConfigKey>& config_schema() {
  static const std::vector<ConfigKey> schema = build_schema();
  return schema;
}

const ConfigKey* find_config_key(const std::string& name) {
  for (const auto& key : config_schema())
    if (key.name == name) return &key;
  return nullptr;
}

std::vector<std::string> config_key_names() {
  std::vector<std::string> names;
  for (const auto& key : config_schema()) names.push_back(key.name);
  return names;
}

std::optional<std::string> nearest_word(const std::string& word,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // Close enough to be a typo: about a third of the letters wrong at most.
  if (best && 3 * best_distance <= std::max(word.size(), best->size()) + 1) return best;
  return std::nullopt;
}

std::string key_value_text(const KeyValue& value) {
  if (!value) return "(unset)";
  if (const auto* number = std::get_if<double>(&*value)) return shortest_text(*number);
  return std::get<std::string>(*value);
}

bool key_applies(const ConfigKey& key, const RunConfig& config) {
  switch (key.scope) {
    case KeyScope::AnyModel:
      return true;
    case KeyScope::Front:
      return config.path.relocation == RelocationModel::Front;
    case KeyScope::FrontSequential:
      return config.path.relocation == RelocationModel::Front &&
             config.path.timing == RelocationTiming::Sequential;
    case KeyScope::TypeResolved:
      return config.path.relocation == RelocationModel::TypeResolved;
  }
  return true;
}

std::string config_keys_help() {
  const RunConfig defaults;
  std::ostringstream out;
  out << "Config keys (TOML file given with --config: `key = value` lines at top level; every key\n"
         "is optional and takes its default when absent):\n";
  const std::pair<KeyGroup, const char*> groups[] = {
      {KeyGroup::Model,
       "Model parameters (docs/model.md Section 1; defaults: baseline, Section 4)"},
      {KeyGroup::Path,
       "Dynamic path settings (docs/model.md Section 3; used by path computations)"}};
  for (const auto& [group, title] : groups) {
    out << "\n " << title << "\n";
    out << "  key                 default     allowed\n";
    for (const auto& key : config_schema()) {
      if (key.group != group) continue;
      std::string line = "  " + key.name;
      line.resize(std::max<std::size_t>(line.size() + 1, 22), ' ');
      line += key_value_text(key.get(defaults));
      line.resize(std::max<std::size_t>(line.size() + 1, 34), ' ');
      const char* scope = "";
      if (key.scope == KeyScope::Front) scope = " [relocation = front only]";
      if (key.scope == KeyScope::FrontSequential)
        scope = " [relocation = front, timing = sequential only]";
      if (key.scope == KeyScope::TypeResolved) scope = " [relocation = type_resolved only]";
      out << line << key.allowed << "\n" << std::string(22, ' ') << key.meaning << scope << "\n";
    }
  }
  return out.str();
}

}  // namespace footloose
