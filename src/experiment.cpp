#include "src/experiment.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>

#include "src/output.hpp"

namespace footloose {

// ---- ExperimentConfig ----

ExperimentConfig::ExperimentConfig(toml::table table, std::string source)
    : table_(std::move(table)), source_(std::move(source)) {}

ExperimentConfig ExperimentConfig::load(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) return ExperimentConfig{};
  try {
    return ExperimentConfig(toml::parse_file(file.string()), file.string());
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << file.string() << ":" << error.source().begin.line << ":"
            << error.source().begin.column << ": " << error.description();
    throw ConfigError("", message.str());
  }
}

namespace {

[[noreturn]] void bad_key(const std::string& source, const std::string& key,
                          const std::string& what) {
  throw ConfigError(key, source + ": key '" + key + "': " + what);
}

double as_number(const toml::node& node, const std::string& source, const std::string& key) {
  if (const auto* x = node.as_floating_point()) return x->get();
  if (const auto* x = node.as_integer()) return double(x->get());
  bad_key(source, key, "expected a number");
}

}  // namespace

double ExperimentConfig::number(const std::string& key, double fallback) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback;
  const double x = as_number(*node, source_, key);
  if (!std::isfinite(x)) bad_key(source_, key, "expected a finite number");
  return x;
}

int ExperimentConfig::integer(const std::string& key, int fallback) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback;
  const auto* x = node->as_integer();
  if (!x) bad_key(source_, key, "expected an integer");
  return int(x->get());
}

std::vector<double> ExperimentConfig::numbers(const std::string& key,
                                              const std::vector<double>& fallback) {
  used_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback;
  std::vector<double> values;
  if (const auto* array = node->as_array()) {
    for (const auto& item : *array) values.push_back(as_number(item, source_, key));
  } else if (const auto* grid = node->as_table()) {
    for (const auto& [name, value] : *grid) {
      const std::string k(name.str());
      if (k != "from" && k != "to" && k != "points" && k != "log")
        bad_key(source_, key, "grid tables take from, to, points, log; not '" + k + "'");
    }
    const toml::node* from = grid->get("from");
    const toml::node* to = grid->get("to");
    const toml::node* points = grid->get("points");
    if (!from || !to || !points) bad_key(source_, key, "a grid table needs from, to and points");
    const double a = as_number(*from, source_, key), b = as_number(*to, source_, key);
    const auto* n_node = points->as_integer();
    if (!n_node || n_node->get() < 1) bad_key(source_, key, "points must be an integer >= 1");
    const int n = int(n_node->get());
    bool log = false;
    if (const toml::node* l = grid->get("log")) {
      const auto* b_node = l->as_boolean();
      if (!b_node) bad_key(source_, key, "log must be true or false");
      log = b_node->get();
    }
    if (log && !(a > 0 && b > 0)) bad_key(source_, key, "a log grid needs from, to > 0");
    for (int i = 0; i < n; ++i) {
      const double s = n == 1 ? 0.0 : double(i) / (n - 1);
      values.push_back(log ? std::exp(std::log(a) + s * (std::log(b) - std::log(a)))
                           : a + s * (b - a));
    }
  } else {
    bad_key(source_, key, "expected an array of numbers or a grid table {from, to, points, log}");
  }
  if (values.empty()) bad_key(source_, key, "empty list");
  return values;
}

RunConfig ExperimentConfig::model() {
  used_.insert("model");
  const toml::node* node = table_.get("model");
  if (!node) return RunConfig{};
  const auto* table = node->as_table();
  if (!table) bad_key(source_, "model", "expected a table [model] of config keys");
  return config_from_table(*table, source_ + " [model]");
}

RunConfig ExperimentConfig::whole_as_model() {
  for (const auto& [name, value] : table_) used_.insert(std::string(name.str()));
  return config_from_table(table_, source_);
}

void ExperimentConfig::reject_unknown_keys() const {
  for (const auto& [name, value] : table_) {
    const std::string key(name.str());
    if (!used_.count(key)) bad_key(source_, key, "unknown key for this experiment");
  }
}

// ---- CSV with text cells ----

std::string fmt(double x, int digits) {
  if (!std::isfinite(x)) return cell(x);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, x);
  return buffer;
}

std::string cell(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
}

void write_text_table(const std::filesystem::path& file, const TextTable& table) {
  std::string text;
  for (std::size_t i = 0; i < table.columns.size(); ++i) text += (i ? "," : "") + table.columns[i];
  text += "\n";
  for (const auto& row : table.rows) {
    if (row.size() != table.columns.size())
      throw std::logic_error("write_text_table: row width differs from the header in " +
                             file.string());
    for (std::size_t i = 0; i < row.size(); ++i) text += (i ? "," : "") + row[i];
    text += "\n";
  }
  write_text_atomically(file, text);
}

// ---- sweeps in experiments ----

TransitionOptions sweep_options(ExperimentConfig& config, const RunConfig& model) {
  TransitionOptions options = transition_options(model);
  options.time_limit = config.number("time_limit", 20.0);
  options.threads = 1;  // experiments run their sweeps one chain per worker thread
  return options;
}

SweepSettings sweep_settings(const ExperimentContext& context, const std::string& label,
                             ExperimentConfig& config) {
  SweepSettings s;
  s.threads = context.threads;
  s.progress = context.progress;
  s.label = label;
  s.max_consecutive_failures = config.integer("max_consecutive_failures", 2);
  return s;
}

RunConfig grid_config(const RunConfig& model, double phi1, double sE, double gamma_E,
                      double gamma_ratio) {
  RunConfig c = model;
  c.params.phi1 = phi1;
  c.params.sE = sE;
  c.params.gamma_E = gamma_E;
  c.params.gamma_R = gamma_E * gamma_ratio;
  return c;
}

std::size_t nearest_index(const std::vector<double>& values, double target, bool log_scale) {
  const auto distance = [&](double x) {
    return log_scale ? std::abs(std::log(x / target)) : std::abs(x - target);
  };
  std::size_t best = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (distance(values[i]) < distance(values[best])) best = i;
  return best;
}

std::vector<std::string> outcome_columns() {
  return {"status",    "valid",  "converged", "saddle_ok", "v0_ok",    "v1_ok",  "v2_ok",
          "v2_margin", "sn_inf", "sk_inf",    "aR_inf",    "lambda_R", "sn_hft", "seconds"};
}

std::vector<std::string> outcome_cells(const SweepOutcome& o) {
  const TransitionResult& r = o.result;
  const bool solved = o.solved();
  const auto num = [&](double x) {
    return cell(solved ? x : std::numeric_limits<double>::quiet_NaN());
  };
  const auto flag = [&](bool x) {
    return solved ? std::string(x ? "1" : "0") : std::string("nan");
  };
  return {to_string(o.status),
          o.status == SweepStatus::Valid ? "1" : "0",
          solved ? "1" : "0",
          flag(r.saddle.ok),
          flag(r.validity.v0.ok),
          flag(r.validity.v1.ok),
          solved && r.validity.v2.evaluated ? flag(r.validity.v2.ok) : "nan",
          solved && r.validity.v2.evaluated ? cell(r.validity.v2.margin) : "nan",
          num(r.sn_inf),
          num(r.sk_inf),
          num(r.aR_inf),
          num(r.lambda_R),
          num(r.sn_hft),
          cell(o.seconds)};
}

void FailureLog::add(const std::string& where, const SweepOutcome& o) {
  switch (o.status) {
    case SweepStatus::Valid:
      ++valid;
      return;
    case SweepStatus::Invalid:
      ++invalid;
      return;
    case SweepStatus::Failed:
      ++failed;
      break;
    case SweepStatus::Skipped:
      ++skipped;
      break;
  }
  std::string message = o.error.substr(0, 160);
  for (char& c : message)
    if (c == '\n' || c == '|') c = ' ';
  lines.push_back("- " + where + ": " + to_string(o.status) + " — " + message);
}

void FailureLog::write(std::ostream& md) const {
  md << "Points: " << valid << " valid (trustworthy), " << invalid
     << " converged but flagged (saddle or V0/V1/V2), " << failed << " failed to converge, "
     << skipped << " skipped after repeated failures.\n\n";
  if (!lines.empty()) {
    md << "Failed and skipped points (status column of the CSV):\n\n";
    for (const auto& line : lines) md << line << "\n";
    md << "\n";
  }
}

// ---- the registry ----

namespace {
std::vector<ExperimentInfo>& registry() {
  static std::vector<ExperimentInfo> experiments;  // filled before main() by the registrars
  return experiments;
}
}  // namespace

const std::vector<ExperimentInfo>& experiment_registry() {
  return registry();
}

bool register_experiment(const std::string& name, const std::string& description,
                         std::function<void(ExperimentContext&)> run) {
  auto& experiments = registry();
  const auto at =
      std::lower_bound(experiments.begin(), experiments.end(), name,
                       [](const ExperimentInfo& e, const std::string& n) { return e.name < n; });
  if (at != experiments.end() && at->name == name) {
    std::fprintf(stderr, "footloose: experiment '%s' is registered twice (experiments/*.cpp)\n",
                 name.c_str());
    std::abort();
  }
  experiments.insert(at, ExperimentInfo{name, description, std::move(run)});
  return true;
}

// ---- the command ----

namespace {

struct ExperimentOptions {
  std::string name;
  std::string out_dir;
  std::string config_file;
  std::string scripts_dir;
  int threads = 0;
  bool no_plot = false;
  bool no_progress = false;
};

// experiments/ beside the build directory of this executable, else ./experiments.
std::filesystem::path default_scripts_dir() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    for (auto dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      if (std::filesystem::exists(dir / "experiments" / "plot_baseline.py"))
        return dir / "experiments";
    }
  }
  return std::filesystem::current_path() / "experiments";
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void run_experiment(const ExperimentOptions& options, std::ostream& out) {
  const ExperimentInfo* info = nullptr;
  for (const auto& e : experiment_registry())
    if (e.name == options.name) info = &e;
  if (!info) {
    std::string names;
    for (const auto& e : experiment_registry()) names += (names.empty() ? "" : ", ") + e.name;
    throw UsageError("unknown experiment '" + options.name + "' (known: " + names + ")");
  }
  const std::filesystem::path scripts = options.scripts_dir.empty()
                                            ? default_scripts_dir()
                                            : std::filesystem::path(options.scripts_dir);
  const std::filesystem::path out_dir(options.out_dir);
  std::filesystem::create_directories(out_dir);

  ExperimentContext context;
  context.name = info->name;
  context.out_dir = out_dir;
  context.config = ExperimentConfig::load(options.config_file.empty()
                                              ? scripts / (info->name + ".toml")
                                              : std::filesystem::path(options.config_file));
  if (!options.config_file.empty() && !std::filesystem::exists(options.config_file))
    throw ConfigError("", options.config_file + ": no such file");
  context.threads = options.threads;
  context.progress = !options.no_progress;
  context.out = &out;

  const auto start = std::chrono::steady_clock::now();
  out << "experiment " << info->name << ": " << info->description << "\n"
      << "settings: " << context.config.source() << "\n";
  out.flush();
  info->run(context);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::string figures;
  if (!options.no_plot) {
    const auto script = scripts / ("plot_" + info->name + ".py");
    if (!std::filesystem::exists(script))
      throw std::runtime_error("plotting script " + script.string() + " not found");
    const char* python_env = std::getenv("FOOTLOOSE_PYTHON");
    const std::string python = python_env && *python_env ? python_env : "/usr/bin/python3";
    const std::string command = shell_quote(python) + " " + shell_quote(script.string()) + " " +
                                shell_quote(out_dir.string());
    out.flush();
    const int status = std::system(command.c_str());
    if (status != 0)
      throw std::runtime_error("plotting failed (" + command + " exited with status " +
                               std::to_string(status) + "); the CSV files are written");
    for (const auto& entry : std::filesystem::directory_iterator(out_dir)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind(info->name, 0) == 0 && entry.path().extension() == ".png")
        figures +=
            "- ![" + file + "](" + file + ") (also " + entry.path().stem().string() + ".pdf)\n";
    }
  }
  std::ostringstream md;
  md << "# Experiment `" << info->name << "`\n\n"
     << info->description << "\n\n"
     << "Command: `footloose experiment " << info->name << " --out " << out_dir.string() << "`"
     << (options.config_file.empty() ? "" : " `--config " + options.config_file + "`")
     << "; settings from " << context.config.source() << "; computed in "
     << cell(std::round(seconds * 10) / 10) << " s.\n\n"
     << context.summary.str();
  if (!figures.empty()) md << "\n## Figures\n\n" << figures;
  write_text_atomically(context.file("_summary.md"), md.str());
  out << "wrote " << context.file("_summary.md").string() << " ("
      << cell(std::round(seconds * 10) / 10) << " s of computation)\n";
}

}  // namespace

Command add_experiment_command(CLI::App& parent, std::ostream& out) {
  auto options = std::make_shared<ExperimentOptions>();
  std::string names;
  for (const auto& e : experiment_registry()) names += "  " + e.name + ": " + e.description + "\n";
  CLI::App* command = parent.add_subcommand(
      "experiment",
      "Run a numerical experiment: CSV, PNG/PDF figures and a markdown summary into --out");
  command->add_option("name", options->name, "Experiment name")->required();
  command->add_option("--out", options->out_dir, "Output directory (created if missing)")
      ->required()
      ->type_name("DIR");
  command
      ->add_option("--config", options->config_file,
                   "Experiment settings (TOML); default experiments/NAME.toml beside the program")
      ->type_name("FILE");
  command
      ->add_option("--threads", options->threads, "Worker threads for sweeps (default: all cores)")
      ->check(CLI::Range(0, 1024));
  command
      ->add_option(
          "--scripts", options->scripts_dir,
          "Directory of plot_NAME.py and NAME.toml (default: experiments/ of the source tree)")
      ->type_name("DIR");
  command->add_flag("--no-plot", options->no_plot, "Write the CSV files and summary only");
  command->add_flag("--no-progress", options->no_progress, "No progress bar on stderr");
  command->footer("Experiments:\n" + names +
                  "Writes DIR/NAME.csv (and other DIR/NAME_*.csv), DIR/NAME*.png and .pdf, and "
                  "DIR/NAME_summary.md.\nPlots need /usr/bin/python3 with matplotlib (override "
                  "with FOOTLOOSE_PYTHON). See docs/experiments.md.");
  return {command, [options, &out] { run_experiment(*options, out); }};
}

}  // namespace footloose
