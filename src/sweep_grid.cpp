#include "src/sweep_grid.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "models/dynamics.hpp"
#include "src/config_schema.hpp"
#include "src/format.hpp"

namespace footloose {

namespace {

constexpr std::size_t kMaxPoints = 100'000'000;
constexpr std::size_t kMinChains = 16;    // cut grid lines into pieces below this many lines
constexpr std::size_t kMinPiece = 4;      // ... but not into pieces shorter than this
constexpr std::size_t kPointsChain = 16;  // points file: rows per chain at most
// Points file: a row warm-starts from the previous one when every numeric model value moved by
// at most this fraction of its column's span (min to max over the file). Rows in a random order
// are mostly farther apart: a warm start from a far point fails and is retried cold, slower than
// a cold start (1000 stress points: 5 min chained in runs of 16, against 16 s cold).
constexpr double kPointsNeighbourSpan = 0.1;

[[noreturn]] void fail(const std::string& key, const std::string& where,
                       const std::string& message) {
  throw ConfigError(key, where + ": " + message);
}

std::string read_text(const std::filesystem::path& file, const char* what) {
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored))
    throw ConfigError(
        "", std::string("cannot read ") + what + " '" + file.string() + "': it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw ConfigError("", std::string("cannot open ") + what + " '" + file.string() +
                              "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A key of a grid or points file: one of the config keys, else an error naming it.
const ConfigKey& grid_key(const std::string& key, const std::string& where) {
  if (const ConfigKey* found = find_config_key(key)) return *found;
  std::string message = "unknown key '" + key + "'";
  if (auto nearest = nearest_word(key, config_key_names()))
    message += " (did you mean '" + *nearest + "'?)";
  fail(key, where, message + "; the keys are the config keys of 'footloose path --help'");
}

std::string location(const std::string& source, const toml::node& node) {
  const auto& at = node.source().begin;
  if (at.line == 0) return source;
  return source + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

std::optional<ConfigValue> scalar_value(const toml::node& node) {
  if (const auto* x = node.as_integer()) return ConfigValue(x->get());
  if (const auto* x = node.as_floating_point()) return ConfigValue(x->get());
  if (const auto* x = node.as_string()) return ConfigValue(x->get());
  if (const auto* x = node.as_boolean()) return ConfigValue(x->get());
  return std::nullopt;
}

std::optional<double> number_value(const toml::node& node) {
  if (const auto* x = node.as_integer()) return double(x->get());
  if (const auto* x = node.as_floating_point()) return x->get();
  return std::nullopt;
}

// A table {from = A, to = B, n = N, scale = "linear" | "log"}.
[[noreturn]] void bad_key(const std::string& name, const std::string& where,
                          const std::string& what) {
  fail(name, where, "key '" + name + "': " + what);
}

std::vector<ConfigValue> range_from_table(const ConfigKey& key, const toml::table& table,
                                          const std::string& where) {
  const std::string& name = key.name;
  if (key.takes_word())
    bad_key(name, where, "takes a word (" + key.allowed + "): give a list of words, not a range");
  const std::vector<std::string> fields = {"from", "to", "n", "scale"};
  for (const auto& [field, node] : table) {
    const std::string f(field.str());
    if (std::find(fields.begin(), fields.end(), f) != fields.end()) continue;
    std::string message = "unknown range field '" + f + "'";
    if (auto nearest = nearest_word(f, fields)) message += " (did you mean '" + *nearest + "'?)";
    bad_key(name, where,
            message + "; a range is {from = A, to = B, n = N, scale = \"linear\" | \"log\"}");
  }
  const auto number = [&](const char* field) {
    const toml::node* node = table.get(field);
    if (!node) bad_key(name, where, std::string("a range needs '") + field + "'");
    const auto x = number_value(*node);
    if (!x || !std::isfinite(*x))
      bad_key(name, where, std::string("range field '") + field + "' must be a finite number");
    return *x;
  };
  const double from = number("from"), to = number("to");
  const toml::node* n_node = table.get("n");
  if (!n_node) bad_key(name, where, "a range needs 'n' (the number of values)");
  const auto* n_integer = n_node->as_integer();
  if (!n_integer) bad_key(name, where, "range field 'n' must be an integer >= 1");
  const std::int64_t n = n_integer->get();
  if (n < 1) bad_key(name, where, "range field n = " + std::to_string(n) + ": n must be >= 1");
  if (n > std::int64_t(kMaxPoints))
    bad_key(name, where,
            "range field n = " + std::to_string(n) + " is above " + std::to_string(kMaxPoints));
  bool log_scale = false;
  if (const toml::node* scale = table.get("scale")) {
    const auto* word = scale->as_string();
    if (!word || (word->get() != "linear" && word->get() != "log"))
      bad_key(name, where, "range field 'scale' must be \"linear\" or \"log\"");
    log_scale = word->get() == "log";
  }
  if (log_scale && !(from > 0 && to > 0))
    bad_key(name, where,
            "a log range needs from > 0 and to > 0; got from = " + shortest_text(from) +
                ", to = " + shortest_text(to));
  if (n > 1 && from == to)
    bad_key(name, where,
            "from = to = " + shortest_text(from) + " with n = " + std::to_string(n) +
                " repeats one value");
  std::vector<ConfigValue> values;
  for (double x : range_values(from, to, n, log_scale)) values.emplace_back(x);
  return values;
}

std::vector<ConfigValue> list_from_array(const ConfigKey& key, const toml::array& array,
                                         const std::string& where) {
  if (array.empty()) bad_key(key.name, where, "empty list");
  std::vector<ConfigValue> values;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const auto value = scalar_value(array[i]);
    if (!value)
      bad_key(key.name, where,
              "list element " + std::to_string(i + 1) + " is not a number, word or boolean");
    values.push_back(*value);
  }
  return values;
}

// Values that read the same (0.6 and 0.60) would be one point twice: refused.
void reject_repeats(const std::string& key, const std::vector<std::string>& texts,
                    const std::string& where, const std::string& what) {
  std::set<std::string> seen;
  for (const auto& text : texts)
    if (!seen.insert(text).second) fail(key, where, what + " " + text + " appears twice");
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

// Splits [begin, end) into `pieces` contiguous, nearly equal runs.
void add_pieces(std::vector<std::vector<std::size_t>>& chains, const std::vector<std::size_t>& line,
                std::size_t pieces) {
  for (std::size_t k = 0; k < pieces; ++k) {
    const std::size_t begin = line.size() * k / pieces, end = line.size() * (k + 1) / pieces;
    chains.emplace_back(line.begin() + long(begin), line.begin() + long(end));
  }
}

}  // namespace

std::string sweep_value_text(const ConfigValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return shortest_text(double(*i));
  if (const auto* x = std::get_if<double>(&value)) return shortest_text(*x);
  return std::get<std::string>(value);
}

std::vector<double> range_values(double from, double to, std::int64_t n, bool log_scale) {
  std::vector<double> values;
  if (n < 1) return values;
  const auto rounded = [](double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.15g", x);
    return std::strtod(text, nullptr);
  };
  const double a = log_scale ? std::log10(from) : from, b = log_scale ? std::log10(to) : to;
  for (std::int64_t i = 0; i < n; ++i) {
    if (i == 0)
      values.push_back(from);
    else if (i == n - 1)
      values.push_back(to);
    else {
      const double s = a + (b - a) * double(i) / double(n - 1);
      values.push_back(rounded(log_scale ? std::pow(10.0, s) : s));
    }
  }
  return values;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    std::string cell =
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t first = cell.find_first_not_of(" \t\r");
    cell = first == std::string::npos
               ? ""
               : cell.substr(first, cell.find_last_not_of(" \t\r") - first + 1);
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
      cell = cell.substr(1, cell.size() - 2);
    cells.push_back(cell);
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}

SweepSpace SweepSpace::from_grid_text(const std::string& text, const std::string& source) {
  const toml::table table = parse_config_toml(text, source);
  // In the order of the file (the table itself is sorted by key).
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [key, node] : table) entries.emplace_back(std::string(key.str()), &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) {
    const auto &a = x.second->source().begin, &b = y.second->source().begin;
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });

  SweepSpace space;
  space.source_ = source;
  space.size_ = 1;
  for (const auto& [name, node] : entries) {
    const std::string where = location(source, *node);
    const ConfigKey& key = grid_key(name, where);
    std::vector<ConfigValue> values;
    if (const auto* range = node->as_table())
      values = range_from_table(key, *range, where);
    else if (const auto* list = node->as_array())
      values = list_from_array(key, *list, where);
    else if (const auto value = scalar_value(*node)) {
      space.fixed_[name] = *value;
      continue;
    } else {
      fail(name, where, "key '" + name + "' must be a number, a word, a list or a range table");
    }
    std::vector<std::string> texts;
    for (const auto& value : values) texts.push_back(sweep_value_text(value));
    reject_repeats(name, texts, where, "key '" + name + "': the value");
    if (space.size_ > kMaxPoints / values.size())
      fail(name, where, "the grid has more than " + std::to_string(kMaxPoints) + " points");
    space.size_ *= values.size();
    space.columns_.push_back(name);
    space.axes_.push_back(std::move(values));
  }
  space.check_every_point();
  return space;
}

SweepSpace SweepSpace::load_grid(const std::filesystem::path& file) {
  return from_grid_text(read_text(file, "grid file"), file.string());
}

SweepSpace SweepSpace::from_points_text(const std::string& text, const std::string& source) {
  SweepSpace space;
  space.source_ = source;
  space.is_grid_ = false;
  std::istringstream in(text);
  std::string line;
  std::size_t number = 0;
  std::set<std::string> seen;
  std::map<std::string, std::size_t> line_of_point;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = source + ":" + std::to_string(number);
    std::vector<std::string> cells = split_csv_line(line);
    if (space.columns_.empty()) {  // the header
      for (const auto& cell : cells) {
        grid_key(cell, where);
        if (!seen.insert(cell).second)
          fail(cell, where, "column '" + cell + "' appears twice in the header");
      }
      space.columns_ = cells;
      continue;
    }
    if (cells.size() != space.columns_.size())
      fail("", where,
           std::to_string(cells.size()) + " values for " + std::to_string(space.columns_.size()) +
               " columns (" + join(space.columns_, ", ") + ")");
    std::vector<ConfigValue> row;
    for (std::size_t k = 0; k < cells.size(); ++k) {
      const std::string& cell = cells[k];
      char* end = nullptr;
      const double x = std::strtod(cell.c_str(), &end);
      const bool is_number = !cell.empty() && end == cell.c_str() + cell.size();
      if (!find_config_key(space.columns_[k])->takes_word() && is_number)
        row.emplace_back(x);
      else
        row.emplace_back(cell);  // a word, or a non-number that config_from_dict names
    }
    space.rows_.push_back(std::move(row));
    space.row_lines_.push_back(number);
    const std::string point = join(space.value_texts(space.rows_.size() - 1), ", ");
    const auto [previous, inserted] = line_of_point.emplace(point, number);
    if (!inserted)
      fail("", where,
           "the point (" + point + ") is also on line " + std::to_string(previous->second));
  }
  if (space.columns_.empty()) fail("", source, "no header line (config keys)");
  if (space.rows_.empty()) fail("", source, "no points after the header line");
  space.size_ = space.rows_.size();
  space.check_every_point();
  return space;
}

SweepSpace SweepSpace::load_points(const std::filesystem::path& file) {
  return from_points_text(read_text(file, "points file"), file.string());
}

std::vector<std::size_t> SweepSpace::axis_indices(std::size_t point) const {
  std::vector<std::size_t> index(axes_.size());
  for (std::size_t k = axes_.size(); k-- > 0;) {
    index[k] = point % axes_[k].size();
    point /= axes_[k].size();
  }
  return index;
}

std::map<std::string, ConfigValue> SweepSpace::point_values(std::size_t point) const {
  std::map<std::string, ConfigValue> values = fixed_;
  if (is_grid_) {
    const auto index = axis_indices(point);
    for (std::size_t k = 0; k < axes_.size(); ++k) values[columns_[k]] = axes_[k][index[k]];
  } else {
    for (std::size_t k = 0; k < columns_.size(); ++k) values[columns_[k]] = rows_[point][k];
  }
  return values;
}

std::vector<std::string> SweepSpace::value_texts(std::size_t point) const {
  std::vector<std::string> texts;
  if (is_grid_) {
    const auto index = axis_indices(point);
    for (std::size_t k = 0; k < axes_.size(); ++k)
      texts.push_back(sweep_value_text(axes_[k][index[k]]));
  } else {
    for (const auto& value : rows_[point]) texts.push_back(sweep_value_text(value));
  }
  return texts;
}

std::string SweepSpace::describe(std::size_t point) const {
  const auto texts = value_texts(point);
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < columns_.size(); ++k) parts.push_back(columns_[k] + " = " + texts[k]);
  return join(parts, ", ");
}

std::string SweepSpace::where(std::size_t point) const {
  return (is_grid_ ? source_ + ", grid point " + std::to_string(point + 1)
                   : source_ + ":" + std::to_string(row_lines_[point])) +
         " (" + describe(point) + ")";
}

RunConfig SweepSpace::config(std::size_t point) const {
  try {
    return config_from_dict(point_values(point), source_);
  } catch (const ConfigError&
               error) {  // "<source>: <what>" → "<source>, grid point k (keys = values): <what>"
    std::string what = error.what();
    if (what.compare(0, source_.size() + 2, source_ + ": ") == 0)
      what = what.substr(source_.size() + 2);
    throw ConfigError(error.field(), where(point) + ": " + what);
  }
}

// Every point through config_from_dict, and through the dynamic model's own domain (gamma_E > 0,
// gamma_R > 0: zero is a static polar case), so that no point can fail for its input later.
void SweepSpace::check_every_point() const {
  for (std::size_t point = 0; point < size_; ++point) {
    const RunConfig config = this->config(point);
    try {
      GeneralModel(config.params, trade_path(config));
    } catch (const ParameterError& error) {
      throw ConfigError(error.field(), where(point) + ": " + error.what());
    }
  }
}

std::vector<std::vector<std::size_t>> SweepSpace::chains() const {
  std::vector<std::vector<std::size_t>> chains;
  const auto is_setting = [&](std::size_t k) {
    return find_config_key(columns_[k])->group != KeyGroup::Model;
  };
  if (!is_grid_) {  // runs of consecutive neighbouring rows with equal solver settings
    const auto number = [](const ConfigValue& v, double& x) {
      if (const auto* d = std::get_if<double>(&v)) return x = *d, true;
      if (const auto* i = std::get_if<std::int64_t>(&v)) return x = static_cast<double>(*i), true;
      return false;
    };
    std::vector<double> span(columns_.size(), 0.0);  // max − min of each numeric column
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      double low = INFINITY, high = -INFINITY, x = 0.0;
      for (const auto& row : rows_)
        if (number(row[k], x)) low = std::min(low, x), high = std::max(high, x);
      if (high > low) span[k] = high - low;
    }
    const auto neighbours = [&](std::size_t point) {
      for (std::size_t k = 0; k < columns_.size(); ++k) {
        const ConfigValue &now = rows_[point][k], &before = rows_[point - 1][k];
        double a = 0.0, b = 0.0;
        if (!is_setting(k) && number(now, a) && number(before, b)) {
          if (std::fabs(a - b) > kPointsNeighbourSpan * span[k]) return false;
        } else if (sweep_value_text(now) != sweep_value_text(before)) {
          return false;
        }
      }
      return true;
    };
    for (std::size_t point = 0; point < size_; ++point) {
      if (chains.empty() || chains.back().size() >= kPointsChain || !neighbours(point))
        chains.emplace_back();
      chains.back().push_back(point);
    }
    return chains;
  }
  std::size_t axis = axes_.size();
  for (std::size_t k = axes_.size(); k-- > 0;)
    if (!is_setting(k)) {
      axis = k;
      break;
    }
  if (axis == axes_.size()) {  // nothing to warm-start along
    for (std::size_t point = 0; point < size_; ++point) chains.push_back({point});
    return chains;
  }
  std::size_t stride = 1;
  for (std::size_t k = axis + 1; k < axes_.size(); ++k) stride *= axes_[k].size();
  const std::size_t length = axes_[axis].size();
  const std::size_t lines = size_ / length;
  const std::size_t pieces =
      lines >= kMinChains ? 1
                          : std::max<std::size_t>(
                                1, std::min((kMinChains + lines - 1) / lines, length / kMinPiece));
  for (std::size_t first = 0; first < size_; ++first) {
    if (axis_indices(first)[axis] != 0) continue;
    std::vector<std::size_t> line;
    for (std::size_t i = 0; i < length; ++i) line.push_back(first + i * stride);
    add_pieces(chains, line, pieces);
  }
  return chains;
}

}  // namespace footloose
