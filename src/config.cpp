#include "src/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "src/config_schema.hpp"
#include "src/format.hpp"

namespace footloose {

namespace {

// One `key = value` of the input, with where it came from.
struct Entry {
  std::string key;
  std::optional<ConfigValue> value;  // nullopt: not a scalar (array, table, date)
  std::string type;                  // type of the value as the input spelled it
  std::string where;                 // "file:line:column", or the source name
};

[[noreturn]] void fail(const std::string& field, const std::string& where,
                       const std::string& message) {
  throw ConfigError(field, where + ": " + message);
}

std::string type_of(const ConfigValue& value) {
  switch (value.index()) {
    case 0:
      return "boolean";
    case 1:
      return "integer";
    case 2:
      return "float";
    default:
      return "string";
  }
}

// User text (a key, a string value) as shown in a message: control characters are escaped the
// way TOML writes them, so a message stays one printable line whatever the input holds.
std::string printable(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (byte < 0x20 || byte == 0x7f) {
      static const char digits[] = "0123456789ABCDEF";
      out += "\\u00";
      out += digits[byte >> 4];
      out += digits[byte & 0xf];
    } else
      out += c;
  }
  return out;
}

std::string value_text(const ConfigValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* x = std::get_if<double>(&value)) return shortest_text(*x);
  return "\"" + printable(std::get<std::string>(value)) + "\"";
}

std::string join(const std::vector<std::string>& words, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) out += (i ? separator : "") + words[i];
  return out;
}

// Quantities derived from the parameters, which users may try to set directly.
std::optional<std::string> derived_quantity(const std::string& name) {
  static const std::map<std::string, std::string> derived = {
      {"beta", "beta = rho/(sigma-1)"},
      {"theta", "theta = rho-(sigma-1)"},
      {"c", "c = rho/theta"},
      {"f", "f = sigma(r+delta)F"},
      {"fI", "fI = sigma(r+delta)FI"},
      {"atol",
       "the integrator's absolute tolerances are rtol * 1e-3 * each state's typical magnitude"}};
  const auto found = derived.find(name);
  if (found == derived.end()) return std::nullopt;
  return found->second;
}

const ConfigKey& known_key(const Entry& entry) {
  if (const ConfigKey* key = find_config_key(entry.key)) return *key;
  std::string message = "unknown key '" + printable(entry.key) + "'";
  if (auto formula = derived_quantity(entry.key))
    message += " (it is derived: " + *formula + "; set the keys it is made of)";
  else if (entry.type == "table")
    message += " (keys go at the top level of the file, not in tables)";
  else if (auto nearest = nearest_word(entry.key, config_key_names()))
    message += " (did you mean '" + *nearest + "'?)";
  message += "; valid keys: " + join(config_key_names(), ", ");
  fail(entry.key, entry.where, message);
}

[[noreturn]] void fail_type(const ConfigKey& key, const Entry& entry, const std::string& expected) {
  std::string got = "got " + entry.type;
  if (entry.value) got += " " + value_text(*entry.value);
  fail(key.name, entry.where,
       "key '" + key.name + "' must be " + expected + " (allowed: " + key.allowed + "); " + got);
}

void apply_word(const ConfigKey& key, const Entry& entry, RunConfig& config) {
  const bool* flag = entry.value ? std::get_if<bool>(&*entry.value) : nullptr;
  if (flag && key.choices == std::vector<std::string>{"false", "true"}) {  // a yes/no key
    key.set_word(config, *flag ? "true" : "false");
    return;
  }
  const std::string* word = entry.value ? std::get_if<std::string>(&*entry.value) : nullptr;
  if (!word)
    fail_type(key, entry,
              key.choices == std::vector<std::string>{"false", "true"} ? "a boolean" : "a string");
  if (std::find(key.choices.begin(), key.choices.end(), *word) == key.choices.end()) {
    std::string message = "key '" + key.name + "' = \"" + printable(*word) +
                          "\" is not allowed: allowed " + key.allowed;
    if (auto nearest = nearest_word(*word, key.choices))
      message += " (did you mean '" + *nearest + "'?)";
    fail(key.name, entry.where, message);
  }
  key.set_word(config, *word);
}

void apply_number(const ConfigKey& key, const Entry& entry, RunConfig& config) {
  double x = 0.0;
  if (const auto* integer = entry.value ? std::get_if<std::int64_t>(&*entry.value) : nullptr)
    x = static_cast<double>(*integer);
  else if (const auto* number = entry.value ? std::get_if<double>(&*entry.value) : nullptr)
    x = *number;
  else
    fail_type(key, entry, "a number");
  if (key.integer && x != std::floor(x))
    fail(key.name, entry.where,
         "key '" + key.name + "' = " + shortest_text(x) + " must be a whole number: allowed " +
             key.allowed);
  if (key.range && !key.range->contains(x))
    fail(key.name, entry.where,
         "key '" + key.name + "' = " + shortest_text(x) + " is out of range: allowed " +
             key.allowed);
  key.set_number(config, x);
}

std::string where_set(const std::vector<Entry>& entries, const std::string& key,
                      const std::string& source) {
  for (const auto& entry : entries)
    if (entry.key == key) return entry.where;
  return source;
}

bool is_set(const std::vector<Entry>& entries, const std::string& key) {
  return std::any_of(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; });
}

// Model parameter domains: validate() from models/parameters.hpp is the one check.
void check_parameters(const RunConfig& config, const std::vector<Entry>& entries,
                      const std::string& source) {
  try {
    validate(config.params);
  } catch (const ParameterError& error) {
    std::string message = error.what();
    if (!is_set(entries, error.field()))
      message += " (default value; set it or the keys it depends on)";
    fail(error.field(), where_set(entries, error.field(), source), message);
  }
}

// Keys that are required, or meaningless, depending on another key's choice.
void check_dependent_keys(const RunConfig& config, const std::vector<Entry>& entries,
                          const std::string& source) {
  const PathConfig& path = config.path;
  const auto& phi_path_time = *find_config_key("phi_path_time");
  if (path.phi_path == TradePathKind::Jump && path.phi_path_time)
    fail("phi_path_time", where_set(entries, "phi_path_time", source),
         "key 'phi_path_time' is only used when phi_path is linear or exponential (phi_path = "
         "jump)");
  if (path.phi_path != TradePathKind::Jump && !path.phi_path_time)
    fail("phi_path_time", where_set(entries, "phi_path", source),
         std::string("key 'phi_path_time' is required when phi_path = ") +
             to_string(path.phi_path) + " (allowed: " + phi_path_time.allowed + ")");
  if (path.relocation == RelocationModel::TypeResolved && path.timing == RelocationTiming::Optimal)
    fail("timing", where_set(entries, "timing", source),
         "key 'timing' = \"optimal\" cannot be combined with relocation = \"type_resolved\": "
         "optimal timing with several relocation fronts is not specified (docs/model.md Section "
         "6); use timing = \"sequential\" with type_resolved, or relocation = \"front\" with "
         "optimal");
  // Settings of one model set while another model is chosen.
  for (const ConfigKey& key : config_schema()) {
    if (!is_set(entries, key.name) || key_applies(key, config)) continue;
    const std::string model = std::string("relocation = \"") + to_string(path.relocation) +
                              "\", timing = \"" + to_string(path.timing) + "\"";
    fail(key.name, where_set(entries, key.name, source),
         key.scope == KeyScope::TypeResolved
             ? "key '" + key.name + "' is only used when relocation = \"type_resolved\""
         : key.scope == KeyScope::Front
             ? "key '" + key.name + "' is a setting of the single-front solvers; " + model +
                   " is solved by its own fixed-point method (keys type_cells, type_max_step)"
             : "key '" + key.name + "' is a setting of the single-front sequential solver; " +
                   model + " has its own method (docs/model.md Section 6)");
  }
  const bool is_explicit = path.initial_state == InitialStateKind::Explicit;
  for (const char* name : {"K0", "K_star0", "aR0"}) {
    const ConfigKey& key = *find_config_key(name);
    const bool present = key.get(config).has_value();
    if (is_explicit && !present)
      fail(name, where_set(entries, "initial_state", source),
           "key '" + key.name +
               "' is required when initial_state = explicit (allowed: " + key.allowed + ")");
    if (!is_explicit && present)
      fail(name, where_set(entries, name, source),
           "key '" + key.name + "' is only used when initial_state = explicit");
  }
}

RunConfig config_from_entries(const std::vector<Entry>& entries, const std::string& source) {
  RunConfig config;
  for (const auto& entry : entries) {
    const ConfigKey& key = known_key(entry);
    if (key.takes_word())
      apply_word(key, entry, config);
    else
      apply_number(key, entry, config);
  }
  check_parameters(config, entries, source);
  check_dependent_keys(config, entries, source);
  return config;
}

std::string location(const std::string& source, const toml::source_region& region) {
  if (region.begin.line == 0) return source;
  return source + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

Entry entry_from_node(const std::string& key, const toml::node& node, const std::string& source) {
  Entry entry;
  entry.key = key;
  entry.where = location(source, node.source());
  if (const auto* integer = node.as_integer())
    entry.value = integer->get();
  else if (const auto* number = node.as_floating_point())
    entry.value = number->get();
  else if (const auto* text = node.as_string())
    entry.value = text->get();
  else if (const auto* flag = node.as_boolean())
    entry.value = flag->get();
  std::ostringstream type;
  type << node.type();
  entry.type = entry.value ? type_of(*entry.value) : type.str();
  return entry;
}

// Keys and values of a config file are ASCII; other characters may appear only in comments.
// TOML rejects them outside strings and comments anyway (and every valid word is ASCII), but here
// they are rejected first: toml++ 3.3 (Debian 12) reaches __builtin_unreachable() when it asks
// whether a character in U+00A1..U+0499, U+2C8E..U+3087 or U+FBC6..U+FEFE is whitespace, which is
// undefined behaviour. It asks after a key or a value, while looking ahead over a value (even
// across quotes), and after a line-ending backslash in a """ string (upstream
// marzer/tomlplusplus issues #190 and #295; found by fuzz/config_fuzzer, docs/robustness.md).
// The scan follows TOML's comments and four string forms to know where comments are.
void reject_non_ascii_outside_comments(const std::string& text, const std::string& source) {
  enum class State { Normal, Comment, Basic, Literal, MultiBasic, MultiLiteral };
  State state = State::Normal;
  std::size_t line = 1, column = 1;
  const auto starts = [&](std::size_t at, const char* token) {
    return text.compare(at, std::strlen(token), token) == 0;
  };
  std::size_t i = starts(0, "\xEF\xBB\xBF") ? 3 : 0;  // byte order mark
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80 && state != State::Comment) {
      // Name the UTF-8 sequence in the message (an invalid one by its first byte).
      const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
      std::uint32_t code = byte & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F);
      bool valid = length > 1 && byte < 0xF5 && i + length <= text.size();
      for (std::size_t k = 1; valid && k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[i + k]);
        valid = (next & 0xC0) == 0x80;
        code = (code << 6) | (next & 0x3F);
      }
      const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
      valid = valid && code >= smallest[length] && code <= 0x10FFFF &&
              !(code >= 0xD800 && code <= 0xDFFF);
      // Shown as itself too when it prints as a character of its own: not a C1 control, combining
      // mark, invisible format character, line separator, private-use or non-character.
      const bool visible =
          code >= 0xA0 && !(code >= 0x0300 && code <= 0x036F) &&
          !(code >= 0x200B && code <= 0x200F) && !(code >= 0x2028 && code <= 0x202E) &&
          !(code >= 0x2060 && code <= 0x206F) && !(code >= 0xE000 && code <= 0xF8FF) &&
          !(code >= 0xFDD0 && code <= 0xFDEF) && !(code >= 0xFE00 && code <= 0xFE0F) &&
          code != 0xFEFF && !(code >= 0xFFF0 && code <= 0xFFFF) && code < 0xF0000 &&
          (code & 0xFFFE) != 0xFFFE;
      char name[64];
      if (valid && visible)
        std::snprintf(name, sizeof name, "character '%s' (U+%04X)", text.substr(i, length).c_str(),
                      static_cast<unsigned>(code));
      else if (valid)
        std::snprintf(name, sizeof name, "character U+%04X", static_cast<unsigned>(code));
      else
        std::snprintf(name, sizeof name, "byte 0x%02X (not UTF-8)", static_cast<unsigned>(byte));
      const std::string where = state == State::Normal ? "" : " in a string";
      throw ConfigError(
          "", source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": unexpected " +
                  name + where +
                  ": keys and values are ASCII; other characters may appear only in # comments");
    }
    std::size_t step = 1;
    switch (state) {
      case State::Normal:
        if (byte == '#')
          state = State::Comment;
        else if (starts(i, "\"\"\""))
          state = State::MultiBasic, step = 3;
        else if (starts(i, "'''"))
          state = State::MultiLiteral, step = 3;
        else if (byte == '"')
          state = State::Basic;
        else if (byte == '\'')
          state = State::Literal;
        break;
      case State::Comment:
        if (byte == '\n') state = State::Normal;
        break;
      case State::Basic:  // an escape skips the (ASCII) character after the backslash
        if (byte == '\\' && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0x80 &&
            text[i + 1] != '\n')
          step = 2;
        else if (byte == '"' || byte == '\n')
          state = State::Normal;
        break;
      case State::Literal:
        if (byte == '\'' || byte == '\n') state = State::Normal;
        break;
      case State::MultiBasic:
        if (byte == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
          step = 2;
        } else if (starts(i, "\"\"\"")) {  // up to two more quotes belong to the string
          step = 3;
          while (step < 5 && i + step < text.size() && text[i + step] == '"') ++step;
          state = State::Normal;
        }
        break;
      case State::MultiLiteral:
        if (starts(i, "'''")) {
          step = 3;
          while (step < 5 && i + step < text.size() && text[i + step] == '\'') ++step;
          state = State::Normal;
        }
        break;
    }
    for (std::size_t k = 0; k < step && i < text.size(); ++k, ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c == '\n') {
        line += 1;
        column = 1;
      } else if ((c & 0xC0) != 0x80) {
        column += 1;  // columns count code points, as toml++'s do
      }
    }
  }
}

}  // namespace

const char* to_string(TerminalCondition condition) {
  return condition == TerminalCondition::Asymptotic ? "asymptotic" : "truncation";
}

TradePath trade_path(const RunConfig& config) {
  TradePath path;
  path.kind = config.path.phi_path;
  path.phi0 = config.params.phi0;
  path.phi1 = config.params.phi1;
  path.duration = config.path.phi_path_time.value_or(0.0);
  return path;
}

int default_solve_threads() {
  return std::thread::hardware_concurrency() >= 2 ? 2 : 1;
}

TransitionOptions transition_options(const RunConfig& config) {
  TransitionOptions options = config.path.solver;
  options.threads = config.path.threads.value_or(1);
  return options;
}

TypeResolvedOptions type_resolved_options(const RunConfig& config) {
  TypeResolvedOptions options = config.path.type_resolved;
  options.horizon = config.path.solver.horizon;
  options.time_limit = config.path.solver.time_limit;
  return options;
}

OptimalTimingOptions optimal_timing_options(const RunConfig& config) {
  const TransitionOptions& solver = config.path.solver;
  OptimalTimingOptions options;
  options.tolerance = solver.tolerance;
  options.horizon = solver.horizon;
  options.extend_horizon = solver.extend_horizon;
  options.max_terminal_deviation = solver.max_terminal_deviation;
  options.time_limit = solver.time_limit;
  options.collocation_intervals = solver.collocation_intervals;
  options.max_intervals = solver.max_intervals;
  options.v2_types = solver.v2_types;
  return options;
}

InitialStateSpec initial_state(const RunConfig& config) {
  InitialStateSpec spec;
  spec.kind = config.path.initial_state;
  spec.K = config.path.K0.value_or(0.0);
  spec.K_star = config.path.K_star0.value_or(0.0);
  spec.aR = config.path.aR0.value_or(0.0);
  return spec;
}

RunConfig config_from_table(const toml::table& table, const std::string& source) {
  std::vector<std::pair<toml::source_position, Entry>> located;
  for (const auto& [key, node] : table)
    located.emplace_back(node.source().begin,
                         entry_from_node(std::string(key.str()), node, source));
  // Report problems in the order of the file, not of the (sorted) table.
  std::stable_sort(located.begin(), located.end(), [](const auto& a, const auto& b) {
    return std::pair(a.first.line, a.first.column) < std::pair(b.first.line, b.first.column);
  });
  std::vector<Entry> entries;
  for (auto& item : located) entries.push_back(std::move(item.second));
  return config_from_entries(entries, source);
}

RunConfig config_from_dict(const std::map<std::string, ConfigValue>& values,
                           const std::string& source) {
  std::vector<Entry> entries;
  for (const auto& [key, value] : values)
    entries.push_back(Entry{key, value, type_of(value), source});
  return config_from_entries(entries, source);
}

toml::table parse_config_toml(const std::string& text, const std::string& source) {
  reject_non_ascii_outside_comments(text, source);
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    const auto& at = error.source().begin;
    throw ConfigError("", source + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                              ": malformed TOML: " + printable(std::string(error.description())));
  }
}

RunConfig config_from_toml_text(const std::string& text, const std::string& source) {
  return config_from_table(parse_config_toml(text, source), source);
}

RunConfig load_config_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored))
    throw ConfigError("", "cannot read config file '" + name + "': it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError("", "cannot open config file '" + name + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw ConfigError("", "cannot read config file '" + name + "': " + std::strerror(errno));
  return config_from_toml_text(text.str(), name);
}

}  // namespace footloose
