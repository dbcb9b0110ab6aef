// The points of `footloose sweep` and the order in which they are solved. The points come from a
// grid file (TOML: a scalar is fixed, a list is that list, a table {from, to, n, scale} is a range;
// the point set is the product of the lists and ranges, the last key varying fastest) or from a
// points file (CSV: config keys as the header, one point per row). Every point is checked by
// config_from_dict (the one reader of config values) before anything runs. Points are then grouped
// into warm-start chains: neighbours along one axis of the grid (docs/sweep.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "src/config.hpp"

namespace footloose {

// A value's text in the output and for matching rows on resume: numbers in shortest round-trip
// form (integers too: 2 → "2"), words as they are, booleans "true" / "false".
std::string sweep_value_text(const ConfigValue& value);

// The n values of a range: linear, or evenly spaced in log10 (from, to > 0). The ends are exactly
// `from` and `to`; interior values are rounded to 15 significant digits (0.05 + 0.01·3 → 0.08).
std::vector<double> range_values(double from, double to, std::int64_t n, bool log_scale);

// Cells of one CSV line: split at commas, blanks and one pair of surrounding double quotes removed.
std::vector<std::string> split_csv_line(const std::string& line);

class SweepSpace {
 public:
  // Grid file text / file; points file text / file. Throw ConfigError naming the key (and the
  // point or line) for anything unusable; every point is checked.
  static SweepSpace from_grid_text(const std::string& text, const std::string& source);
  static SweepSpace load_grid(const std::filesystem::path& file);
  static SweepSpace from_points_text(const std::string& text, const std::string& source);
  static SweepSpace load_points(const std::filesystem::path& file);

  // The keys that vary (every list and range of a grid, every column of a points file), in the
  // order of the file: the first output columns.
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t size() const { return size_; }
  // The point's values of columns(), as text (sweep_value_text).
  std::vector<std::string> value_texts(std::size_t point) const;
  // The point's configuration (fixed keys, then its values) through config_from_dict.
  RunConfig config(std::size_t point) const;
  // "phi1 = 0.05, gamma_R = 0.01", for messages.
  std::string describe(std::size_t point) const;

  // The points in warm-start chains, each chain in solving order; every point in exactly one.
  // Grid: one chain per line along the chain axis (the last list or range of a model parameter:
  // solver settings must stay equal along a chain), lines in the order of their first point; when
  // there are fewer than 16 lines, lines are cut into pieces (at least 4 points each) so that
  // small grids still fill the cores. No such axis: one chain per point. Points file: runs of at
  // most 16 consecutive rows with equal solver settings and equal text values, whose numeric
  // model values each moved by at most 1/10 of that column's span over the file (rows in a random
  // order are solved cold: a warm start from a far point costs more than it saves).
  std::vector<std::vector<std::size_t>> chains() const;

 private:
  std::map<std::string, ConfigValue> point_values(std::size_t point) const;
  std::string where(std::size_t point) const;  // "<source>, grid point k (keys = values)"
  std::vector<std::size_t> axis_indices(std::size_t point) const;
  void check_every_point() const;

  std::string source_;
  std::vector<std::string> columns_;
  std::map<std::string, ConfigValue> fixed_;    // grid: the scalar keys
  std::vector<std::vector<ConfigValue>> axes_;  // grid: values of columns_[k]
  std::vector<std::vector<ConfigValue>> rows_;  // points file: values of columns_
  std::vector<std::size_t> row_lines_;          // points file: line of each row
  bool is_grid_ = true;
  std::size_t size_ = 0;
};

}  // namespace footloose
