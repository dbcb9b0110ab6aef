// `footloose experiment NAME --out DIR`: reproducible numerical experiments. Each experiment is a
// C++ function (registered below) that reads its settings (experiments/NAME.toml, or --config),
// solves, and writes DIR/NAME*.csv and DIR/NAME_summary.md; the command then runs
// experiments/plot_NAME.py (Debian's /usr/bin/python3 + matplotlib) to draw DIR/NAME*.png/.pdf
// from the CSV files. docs/experiments.md describes each experiment and how to add one.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "src/cli.hpp"
#include "src/config.hpp"

namespace footloose {

// Settings of one experiment: top-level keys are the experiment's own (grids, time limits), the
// optional [model] table holds ordinary config keys (see `footloose path --help`) that override
// the baseline calibration. Every key must be read by the experiment: unknown keys are an error.
class ExperimentConfig {
 public:
  ExperimentConfig() = default;
  ExperimentConfig(toml::table table, std::string source);
  static ExperimentConfig load(const std::filesystem::path& file);  // missing file: empty config

  double number(const std::string& key, double fallback);
  int integer(const std::string& key, int fallback);
  // An array of numbers, or a table {from = a, to = b, points = n, log = false}.
  std::vector<double> numbers(const std::string& key, const std::vector<double>& fallback);
  RunConfig model();  // the [model] table over the baseline defaults
  // The whole file as an ordinary config (`footloose path --config`): for experiments whose
  // settings are just one model configuration (baseline).
  RunConfig whole_as_model();
  // Throws ConfigError naming the first key that no experiment code asked for.
  void reject_unknown_keys() const;
  const std::string& source() const { return source_; }

 private:
  toml::table table_;
  std::string source_ = "<defaults>";
  std::set<std::string> used_;
};

// A CSV table whose cells are already text (numbers and status words side by side).
struct TextTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};
std::string cell(double x);  // %.10g; nan / inf spelled so
std::string fmt(double x, int digits = 6);  // %.<digits>g for summaries; nan / inf as cell()
void write_text_table(const std::filesystem::path& file, const TextTable& table);

struct ExperimentContext {
  std::string name;
  std::filesystem::path out_dir;
  ExperimentConfig config;
  int threads = 0;       // 0: all cores
  bool progress = true;  // progress bar on stderr
  std::ostream* out = nullptr;
  std::ostringstream summary;  // markdown, written to DIR/NAME_summary.md after plotting

  std::filesystem::path file(const std::string& suffix) const {  // DIR/NAME<suffix>
    return out_dir / (name + suffix);
  }
};

struct ExperimentInfo {
  std::string name;
  std::string description;
  std::function<void(ExperimentContext&)> run;
};
const std::vector<ExperimentInfo>& experiment_registry();

Command add_experiment_command(CLI::App& parent, std::ostream& out);

}  // namespace footloose
