// The one table of configuration keys: name, group, meaning, allowed values, setter and getter.
// Parsing (config.cpp), error messages and the --help text are all generated from it.
#pragma once

#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "src/config.hpp"

namespace footloose {

enum class KeyGroup { Model, Path };

// Which model a path setting belongs to (docs/model.md Section 6): every model, a single front
// (either timing; the collocation solvers), the single-front sequential solver only, or the
// type-resolved variant only. A key set for another model is an error.
enum class KeyScope { AnyModel, Front, FrontSequential, TypeResolved };

// An interval of allowed numbers; open or closed at each end, ±∞ for no bound.
struct NumberRange {
  double lower = -std::numeric_limits<double>::infinity();
  bool lower_closed = false;
  double upper = std::numeric_limits<double>::infinity();
  bool upper_closed = false;

  bool contains(double x) const;
  std::string text(const std::string& name) const;  // e.g. "0 < rtol <= 0.001"
};

// The value a key holds in a RunConfig: a number, a word, or nothing (unset optional key).
using KeyValue = std::optional<std::variant<double, std::string>>;

struct ConfigKey {
  std::string name;
  KeyGroup group = KeyGroup::Model;
  std::string meaning;
  std::string allowed;  // shown in --help and in every error about this key
  // Numbers checked here; a model parameter has none: its domain is checked by validate().
  std::optional<NumberRange> range;
  bool integer = false;  // a whole number (e.g. a count of cells)
  KeyScope scope = KeyScope::AnyModel;
  std::vector<std::string> choices;  // non-empty: the key takes one of these words
  std::function<void(RunConfig&, double)> set_number;
  std::function<void(RunConfig&, const std::string&)> set_word;
  std::function<KeyValue(const RunConfig&)> get;

  bool takes_word() const { return !choices.empty(); }
};

// All keys, model parameters first, in the order of the help text.
const std::vector<ConfigKey>& config_schema();
const ConfigKey* find_config_key(const std::string& name);
// The closest of `candidates` to `word` (edit distance, case-insensitive), if reasonably close.
std::optional<std::string> nearest_word(const std::string& word,
                                        const std::vector<std::string>& candidates);
std::vector<std::string> config_key_names();
// Text form of a key's value ("4", "jump", "(unset)").
std::string key_value_text(const KeyValue& value);
// Whether the key is used by the model the configuration chooses (relocation, timing).
bool key_applies(const ConfigKey& key, const RunConfig& config);
// Every key with default, allowed range and meaning, for --help.
std::string config_keys_help();

}  // namespace footloose
