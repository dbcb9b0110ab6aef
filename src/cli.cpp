#include "src/cli.hpp"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "src/build_info.hpp"
#include "src/config_schema.hpp"
#include "src/experiment.hpp"
#include "src/optimal_timing_report.hpp"
#include "src/output.hpp"
#include "src/path_report.hpp"
#include "src/static_report.hpp"
#include "src/sweep_command.hpp"
#include "src/type_resolved_report.hpp"

namespace footloose {

namespace {

// ---- footloose static ----
struct StaticOptions {
  std::string config_file;
  std::string json_file;
  FileSync sync = FileSync::no;
};

void run_static(const StaticOptions& options, std::ostream& out) {
  const RunConfig config = load_run_config(options.config_file);
  const StaticReport report = compute_static_report(config);  // everything computed before writing
  print_static_report(out, report);
  if (!options.json_file.empty())
    write_json(options.json_file, static_report_json(report), options.sync);
}

Command add_static_command(CLI::App& parent, std::ostream& out) {
  auto options = std::make_shared<StaticOptions>();
  CLI::App* command = parent.add_subcommand(
      "static",
      "Static equilibria (docs/model.md Section 2) at phi = phi1: autarky, HFT, instant relocation "
      "in both readings, phi_P, phi_S, and the paper's (21)-(26) beside the corrected (M4)");
  add_config_option(*command, options->config_file);
  add_output_option(*command, "--json", options->json_file,
                    "Also write the report as JSON to this file");
  add_fsync_flag(*command, options->sync);
  return {command, [options, &out] { run_static(*options, out); }};
}

// ---- footloose path ----
struct PathOptions {
  std::string config_file;
  std::string json_file;
  std::string csv_file;
  std::string moved_csv_file;
  FileSync sync = FileSync::no;
  int threads = 0;  // --threads; 0 (not given): the config key, else default_solve_threads()
};

// --threads N: a whole number in [1, kMaxSolveThreads], checked before it is converted (CLI11
// puts "--threads: " before the message).
CLI::Validator solve_threads_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::string allowed =
            "(allowed: 1 <= threads <= " + std::to_string(kMaxSolveThreads) + ")";
        const bool digits =
            !text.empty() && text.find_first_not_of("+-0123456789") == std::string::npos;
        std::size_t used = 0;
        long value = 0;
        try {
          value = std::stol(text, &used);
        } catch (const std::out_of_range&) {
          return text + " is out of range " + allowed;
        } catch (const std::invalid_argument&) {
        }
        if (!digits || used != text.size())
          return "'" + text + "' is not a whole number " + allowed;
        if (value < 1 || value > kMaxSolveThreads) return text + " is out of range " + allowed;
        return "";
      },
      "", "SolveThreads");
}

// Writes the files of one solved report and sends a NOT TRUSTWORTHY verdict to stderr as well.
template <class Report, class Result>
void finish_path(const PathOptions& options, std::ostream& out, const Report& report,
                 const Result& result, nlohmann::ordered_json (*to_json)(const Report&),
                 CsvTable (*to_csv)(const Result&)) {
  if (!options.json_file.empty()) write_json(options.json_file, to_json(report), options.sync);
  if (!options.csv_file.empty()) write_csv(options.csv_file, to_csv(result), options.sync);
  if (!result.trustworthy()) {
    out.flush();
    std::cerr << "footloose: " << trust_line(result) << std::endl;
  }
}

void run_type_resolved_path(const PathOptions& options, const RunConfig& config,
                            std::ostream& out) {
  const TypeResolvedReport report = compute_type_resolved_report(config);
  print_type_resolved_report(out, report);
  if (!options.moved_csv_file.empty())
    write_csv(options.moved_csv_file, moved_shares_csv(report.result), options.sync);
  finish_path(options, out, report, report.result, type_resolved_report_json, type_resolved_csv);
}

void run_optimal_timing_path(const PathOptions& options, const RunConfig& config,
                             std::ostream& out) {
  const OptimalTimingReport report = compute_optimal_timing_report(config);
  print_optimal_timing_report(out, report);
  finish_path(options, out, report, report.result, optimal_timing_report_json, optimal_timing_csv);
}

// Solve, print, then write: nothing is written unless the path converged (PathNotSolved, exit 1).
// A converged path that is not trustworthy is written (flagged) and exits 0, but the verdict also
// goes to stderr so that it is not lost when stdout is redirected.
void run_path(const PathOptions& options, std::ostream& out) {
  RunConfig config = load_run_config(options.config_file);
  if (options.threads > 0) {
    if (config.path.relocation != RelocationModel::Front ||
        config.path.timing != RelocationTiming::Sequential)
      throw UsageError(
          "--threads is a setting of the single-front sequential solver (relocation = "
          "\"front\", timing = \"sequential\"); the model variants are solved on one thread");
    config.path.threads = options.threads;
  } else if (config.path.relocation == RelocationModel::Front &&
             config.path.timing == RelocationTiming::Sequential && !config.path.threads) {
    config.path.threads = default_solve_threads();
  }
  if (!options.moved_csv_file.empty() && config.path.relocation != RelocationModel::TypeResolved)
    throw UsageError(
        "--moved-csv is only written with relocation = \"type_resolved\" in the "
        "config");
  if (config.path.relocation == RelocationModel::TypeResolved)
    return run_type_resolved_path(options, config, out);
  if (config.path.timing == RelocationTiming::Optimal)
    return run_optimal_timing_path(options, config, out);
  const PathReport report = compute_path_report(config);
  print_path_report(out, report);
  const auto csv = [](const TransitionResult& r) { return path_csv(r.path); };
  finish_path(options, out, report, report.result, path_report_json,
              static_cast<CsvTable (*)(const TransitionResult&)>(csv));
}

Command add_path_command(CLI::App& parent, std::ostream& out) {
  auto options = std::make_shared<PathOptions>();
  CLI::App* command = parent.add_subcommand(
      "path",
      "Transition path after the trade shock phi0 -> phi1 (docs/model.md Section 3): long-run "
      "sn_inf, sk_inf, aR_inf, lambda_R, with saddle-path and V0/V1/V2 validity checks");
  add_config_option(*command, options->config_file);
  command->footer([] {
    return std::string(
               "Needs gamma_E > 0 and gamma_R > 0 (zero is a static polar case: see 'footloose "
               "static').\n"
               "The summary ends with TRUSTWORTHY, or NOT TRUSTWORTHY: <reasons> (saddle-path "
               "check "
               "failed,\n"
               "or V0/V1/V2 violated: the single relocation front does not describe the path).\n"
               "Exit codes:\n"
               "  0  the path converged. Also when NOT TRUSTWORTHY: the files are still written, "
               "with\n"
               "     trustworthy = false and the flags, and the verdict line goes to stderr as "
               "well;\n"
               "  1  the path did not converge (the message says what was tried); no file is "
               "written;\n"
               "  2  bad input (command line, config file, parameter domain); no file is "
               "written.\n\n") +
           config_keys_help();
  });
  add_output_option(*command, "--json", options->json_file,
                    "Also write the result as JSON: long-run values, diagnostics, parameters, and "
                    "'path' (one array per column); non-finite values are null (relocation_flow is "
                    "+inf at t = 0 when aR(0) = 0 < P(0))");
  add_output_option(*command, "--csv", options->csv_file,
                    "Also write the path as CSV: a header line, then one row per time point, same "
                    "columns as the JSON 'path'; +inf is written as inf");
  add_output_option(*command, "--moved-csv", options->moved_csv_file,
                    "relocation = \"type_resolved\": also write the moved share of every type "
                    "cell over time as CSV (t, a_lower, a_upper, share)");
  command
      ->add_option("--threads", options->threads,
                   "Threads of the solve (1 to " + std::to_string(kMaxSolveThreads) +
                       "; the answer is the same on any number). Overrides the config key "
                       "'threads'; default: 2 when the machine has >= 2 hardware threads, else 1")
      ->type_name("N")
      ->check(solve_threads_check());
  add_fsync_flag(*command, options->sync);
  return {command, [options, &out] { run_path(*options, out); }};
}

using CommandFactory = Command (*)(CLI::App& parent, std::ostream& out);
const CommandFactory command_factories[] = {
    add_static_command,
    add_path_command,
    add_sweep_command,
    add_experiment_command,
    [](CLI::App& parent, std::ostream&) {
      return add_external_command(parent, "bench", "footloose-bench",
                                  "Timings of the transition solver (docs/performance.md)");
    },
    [](CLI::App& parent, std::ostream&) {
      return add_external_command(
          parent, "stress", "footloose-stress",
          "Robustness over the whole valid parameter domain (docs/stress.md)");
    },
};

}  // namespace

void add_config_option(CLI::App& command, std::string& config_file) {
  command
      .add_option("--config", config_file,
                  "TOML file of config keys (listed below); without it, the baseline calibration")
      ->type_name("FILE");
  command.footer(config_keys_help);  // built when help is printed
}

CLI::Option* add_output_option(CLI::App& command, const std::string& name, std::string& file,
                               const std::string& description) {
  const CLI::Validator directory_exists(
      [](std::string& path) -> std::string {
        try {
          check_output_directory(path);
          return "";
        } catch (const OutputError& error) {
          return error.what();
        }
      },
      "", "OutputFile");
  return command.add_option(name, file, description)->type_name("FILE")->check(directory_exists);
}

void add_fsync_flag(CLI::App& command, FileSync& sync) {
  command.add_flag_callback(
      "--fsync", [&sync] { sync = FileSync::yes; },
      "Flush each output file to the disk (fsync) before it replaces the old one, so that it "
      "survives a power loss or system crash (slower: milliseconds a file). Without it the files "
      "are still written whole or not at all");
}

RunConfig load_run_config(const std::string& config_file) {
  if (config_file.empty()) return RunConfig{};
  return load_config_file(config_file);
}

void keep_freed_memory() {
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
}

void back_heap_by_huge_pages() {
  constexpr std::size_t reserve = std::size_t(8) << 20;
  constexpr std::uintptr_t huge = std::uintptr_t(2) << 20;
  void* block = std::malloc(reserve);  // the heap grows by it; freed, it stays (keep_freed_memory)
  if (!block) return;
  const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(block);
  const std::uintptr_t begin = (at + huge - 1) & ~(huge - 1);
  const std::uintptr_t end = (at + reserve) & ~(huge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  std::free(block);
}

int run_cli(int argc, const char* const* argv, std::ostream& out) {
  CLI::App app(
      "footloose: relocation and entry under heterogeneous firms (Baldwin and Okubo, "
      "NBER WP 16660), static equilibria and adjustment paths.",
      "footloose");
  app.set_version_flag("--version",
                       std::string("footloose ") + kVersion + " (git " + kGitCommit + ")");
  app.require_subcommand(1);
  app.footer("Run 'footloose <command> --help' for a command's options and every config key.");
  std::vector<Command> commands;
  for (const CommandFactory factory : command_factories) commands.push_back(factory(app, out));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error, out, out);  // --help
    throw UsageError(std::string(error.what()) + " (see 'footloose --help')");
  }
  for (const Command& command : commands)
    if (command.app->parsed()) command.run();
  return 0;
}

}  // namespace footloose
