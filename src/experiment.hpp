// `footloose experiment NAME --out DIR`: reproducible numerical experiments. Each experiment is one
// file experiments/NAME.cpp: a function that reads its settings (experiments/NAME.toml, or
// --config), solves, and writes DIR/NAME*.csv and markdown for DIR/NAME_summary.md, registered by
// FOOTLOOSE_REGISTER_EXPERIMENT (below); the command then runs experiments/plot_NAME.py (Debian's
// /usr/bin/python3 + matplotlib) to draw DIR/NAME*.png/.pdf from the CSV files. This header is
// what an experiment needs; docs/experiments.md describes each experiment and how to add one.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "src/cli.hpp"
#include "src/config.hpp"
#include "src/sweep.hpp"

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
std::string cell(double x);                 // %.10g; nan / inf spelled so
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

// ---- sweeps in experiments (src/sweep.hpp) ----

// The transition options of the [model] table with the experiment's key `time_limit` (seconds per
// point, default 20), on 1 thread per solve (the sweeps run solves side by side).
TransitionOptions sweep_options(ExperimentConfig& config, const RunConfig& model);
// Threads and progress of the command line, the experiment's key `max_consecutive_failures`
// (default 2).
SweepSettings sweep_settings(const ExperimentContext& context, const std::string& label,
                             ExperimentConfig& config);
// The configuration at one point of a (φ1, sE, γR/γE) grid over `model`: γR = gamma_ratio · γE.
RunConfig grid_config(const RunConfig& model, double phi1, double sE, double gamma_E,
                      double gamma_ratio);
// Index of the first value nearest `target` (distance |log(x/target)| on a log scale, else |x −
// target|).
std::size_t nearest_index(const std::vector<double>& values, double target, bool log_scale);
// Column set shared by every sweep CSV: status, convergence, validity and long-run values; the
// cells of one outcome (numbers nan where it was not solved).
std::vector<std::string> outcome_columns();
std::vector<std::string> outcome_cells(const SweepOutcome& outcome);

// Counts outcomes by status and lists the failed and skipped ones for the summary (never dropped
// silently).
struct FailureLog {
  std::vector<std::string> lines;
  std::size_t failed = 0, skipped = 0, invalid = 0, valid = 0;
  void add(const std::string& where, const SweepOutcome& outcome);
  void write(std::ostream& md) const;
};

// ---- the registry ----

struct ExperimentInfo {
  std::string name;
  std::string description;
  std::function<void(ExperimentContext&)> run;
};
// Every registered experiment, by name.
const std::vector<ExperimentInfo>& experiment_registry();
// Adds an experiment (a name registered twice stops the program at start-up); returns true.
bool register_experiment(const std::string& name, const std::string& description,
                         std::function<void(ExperimentContext&)> run);

// Registers `function` as experiment `name` when the program starts. One line at the end of
// experiments/NAME.cpp (outside any namespace):
//   FOOTLOOSE_REGISTER_EXPERIMENT("NAME", "one-line description", run_NAME);
// The files of experiments/ are linked as an object library (CMakeLists.txt), so every
// registration is kept.
#define FOOTLOOSE_REGISTER_EXPERIMENT(name, description, function) \
  FOOTLOOSE_REGISTER_EXPERIMENT_AT(__LINE__, name, description, function)
#define FOOTLOOSE_REGISTER_EXPERIMENT_AT(line, name, description, function) \
  FOOTLOOSE_REGISTER_EXPERIMENT_JOIN(line, name, description, function)
#define FOOTLOOSE_REGISTER_EXPERIMENT_JOIN(line, name, description, function) \
  static const bool footloose_experiment_registered_##line [[maybe_unused]] = \
      ::footloose::register_experiment(name, description, function)

Command add_experiment_command(CLI::App& parent, std::ostream& out);

}  // namespace footloose
