#include "src/sweep_command.hpp"

#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>

#include "src/config_schema.hpp"
#include "src/output.hpp"
#include "src/sweep.hpp"
#include "src/sweep_cluster.hpp"
#include "src/sweep_grid.hpp"
#include "src/sweep_output.hpp"
#include "src/sweep_runner.hpp"

namespace footloose {

namespace {

struct SweepOptions {
  std::string grid_file, points_file, out_file;
  int jobs = 0;             // 0: default_threads()
  double time_limit = 0.0;  // seconds per point; 0: the solver's default
  bool no_progress = false;
  FileSync sync = FileSync::no;
};

// ---- Ctrl-C (SIGINT) and SIGTERM: finish the points in progress, write the file, stop ----

std::atomic<bool> stop_requested{false};

extern "C" void on_stop_signal(int signal) {
  if (stop_requested.exchange(true)) {  // the second time: stop at once (the rows written stay)
    ::signal(signal, SIG_DFL);
    ::raise(signal);
    return;
  }
  static const char message[] =
      "\nfootloose sweep: stopping after the points in progress (press Ctrl-C again to stop at "
      "once)\n";
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
}

class StopSignals {
 public:
  StopSignals() {
    stop_requested = false;
    struct sigaction action = {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignals() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct sigaction old_int_ = {}, old_term_ = {};
};

// The point's texts joined: the key of a row, to match the rows of an earlier run.
std::string row_key(const SweepRow& row, std::size_t key_count) {
  std::string key;
  for (std::size_t k = 0; k < key_count; ++k) key += row[k] + '\x1f';
  return key;
}

int exit_code_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const ConfigError&) {
    return 2;
  } catch (const ParameterError&) {
    return 2;
  } catch (const UsageError&) {
    return 2;
  } catch (...) {
    return 1;
  }
}

// Rank 0: the rows already in OUT, by point; pending[point] = 0 for those.
std::vector<SweepRow> rows_already_done(const SweepSpace& space, SweepFile& file,
                                        const std::string& out_file, std::vector<char>& pending) {
  std::vector<SweepRow> existing;
  try {
    existing = file.read_existing();
  } catch (const OutputError& error) {
    throw UsageError(error.what());
  }
  std::vector<SweepRow> rows(space.size());
  if (existing.empty()) return rows;
  const std::size_t key_count = space.columns().size();
  std::unordered_map<std::string, std::size_t> point_of;
  for (std::size_t point = 0; point < space.size(); ++point)
    point_of[row_key(space.value_texts(point), key_count)] = point;
  for (auto& row : existing) {
    const auto found = point_of.find(row_key(row, key_count));
    if (found == point_of.end()) {
      std::string values;
      for (std::size_t k = 0; k < key_count; ++k)
        values += (k ? ", " : "") + space.columns()[k] + " = " + row[k];
      throw UsageError(
          "'" + out_file + "' holds a row (" + values +
          ") that is not a point of this sweep: give another --out, or remove the file");
    }
    pending[found->second] = 0;
    rows[found->second] = std::move(row);
  }
  return rows;
}

// Rank 0 reads what is already done and tells the others. Returns the rows by point (rank 0)
// and fills `pending` (every rank): 1 for a point to solve.
std::vector<SweepRow> plan_sweep(SweepCluster& cluster, const SweepSpace& space, SweepFile& file,
                                 const std::string& out_file, std::vector<char>& pending) {
  std::vector<char> plan(1 + space.size(),
                         1);  // plan[0]: 0 = go, else the exit code of rank 0's error
  plan[0] = 0;
  std::vector<SweepRow> rows;
  std::exception_ptr failure;
  if (cluster.is_root()) {
    try {
      std::vector<char> todo(space.size(), 1);
      rows = rows_already_done(space, file, out_file, todo);
      std::copy(todo.begin(), todo.end(), plan.begin() + 1);
      file.open_journal();
    } catch (...) {
      failure = std::current_exception();
      plan[0] = char(exit_code_of(failure));
    }
  }
  cluster.broadcast(plan);
  if (failure) std::rethrow_exception(failure);
  if (plan[0] != 0) cluster.leave(plan[0]);
  pending.assign(plan.begin() + 1, plan.end());
  return rows;
}

// The cores this process may use (its CPU affinity: a Slurm allocation, mpirun's binding), and at
// most its share of the machine among the processes of the job on it.
int default_threads(const SweepCluster& cluster) {
  const int cores = std::max(1, int(std::thread::hardware_concurrency()));
  cpu_set_t allowed;
  const int usable =
      ::sched_getaffinity(0, sizeof allowed, &allowed) == 0 ? CPU_COUNT(&allowed) : cores;
  return std::max(1, std::min(usable, cores / cluster.ranks_on_this_node()));
}

std::vector<std::vector<std::size_t>> longest_first(std::vector<std::vector<std::size_t>> chains) {
  std::stable_sort(chains.begin(), chains.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return chains;
}

void run_sweep_command(const SweepOptions& options, std::ostream& out) {
  const std::unique_ptr<SweepCluster> owned_cluster = make_sweep_cluster();
  SweepCluster& cluster = *owned_cluster;
  const auto start = std::chrono::steady_clock::now();

  // Set-up, the same on every process: a problem is reported by rank 0, the others leave quietly.
  std::optional<SweepSpace> space;
  std::optional<SweepFile> file;
  try {
    if (options.grid_file.empty() == options.points_file.empty())
      throw UsageError(
          "give the points with --grid FILE (TOML) or --points FILE (CSV), one of them");
    space = options.grid_file.empty() ? SweepSpace::load_points(options.points_file)
                                      : SweepSpace::load_grid(options.grid_file);
    try {
      file.emplace(options.out_file, space->columns());
    } catch (const OutputError& error) {  // not .csv or .json
      throw UsageError(error.what());
    }
  } catch (...) {
    if (!cluster.is_root()) cluster.leave(exit_code_of(std::current_exception()));
    throw;
  }
  std::vector<char> pending;
  std::vector<SweepRow> rows = plan_sweep(cluster, *space, *file, options.out_file, pending);

  std::vector<std::vector<std::size_t>> chains;
  std::size_t to_solve = 0;
  for (auto& chain : space->chains()) {
    chain.erase(std::remove_if(chain.begin(), chain.end(),
                               [&](std::size_t point) { return !pending[point]; }),
                chain.end());
    to_solve += chain.size();
    if (!chain.empty()) chains.push_back(std::move(chain));
  }
  SweepRunSettings settings;
  settings.threads = options.jobs > 0 ? options.jobs : default_threads(cluster);
  settings.time_limit = options.time_limit;

  StopSignals signals;
  const std::size_t key_count = space->columns().size();
  std::size_t solved_now = 0;
  try {
    std::optional<ProgressBar> bar;
    if (cluster.is_root()) bar.emplace("sweep", to_solve, !options.no_progress && to_solve > 0);
    std::size_t failed_now = 0;
    run_sweep_chains(
        cluster, *space, longest_first(std::move(chains)), settings,
        [&](std::size_t point, SweepRow row) {  // rank 0: each row as its point finishes
          file->append(row);
          failed_now += row[key_count + sweep_result_column("converged")] != "true";
          rows[point] = std::move(row);
          bar->update(++solved_now, failed_now);
        },
        stop_requested);
    if (!cluster.is_root()) return;
    bar->finish(failed_now);
  } catch (const std::exception& error) {
    if (cluster.size() > 1) {  // the other processes may still be running: end the whole job
      std::cerr << "footloose: error: " << error.what() << std::endl;
      cluster.abort(1);
    }
    throw;
  }

  // Rank 0: the whole file, in point order; then the summary.
  std::vector<SweepRow> ordered;
  std::size_t trustworthy = 0, flagged = 0, failed = 0;
  const std::size_t converged_cell = key_count + sweep_result_column("converged");
  const std::size_t trustworthy_cell = key_count + sweep_result_column("trustworthy");
  for (auto& row : rows) {
    if (row.empty()) continue;
    if (row[converged_cell] != "true")
      ++failed;
    else if (row[trustworthy_cell] == "true")
      ++trustworthy;
    else
      ++flagged;
    ordered.push_back(std::move(row));
  }
  file->finish(ordered, options.sync);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  out << "sweep: " << ordered.size() << " of " << space->size() << " points in " << options.out_file
      << " (" << solved_now << " solved now in " << seconds << " s on " << cluster.size()
      << (cluster.size() == 1 ? " process" : " processes") << ", " << ordered.size() - solved_now
      << " kept): " << trustworthy << " trustworthy, " << flagged
      << " flagged (converged, not trustworthy), " << failed << " failed\n";
  out.flush();
  if (ordered.size() < space->size())
    throw std::runtime_error("interrupted: " + std::to_string(space->size() - ordered.size()) +
                             " of " + std::to_string(space->size()) +
                             " points not solved; run the same command again to "
                             "solve them (the " +
                             std::to_string(ordered.size()) + " in " + options.out_file +
                             " are kept)");
}

}  // namespace

Command add_sweep_command(CLI::App& parent, std::ostream& out) {
  auto options = std::make_shared<SweepOptions>();
  CLI::App* command = parent.add_subcommand(
      "sweep",
      "Transition paths at every point of a grid (or a list of points), in warm-started chains on "
      "all cores or over MPI processes; one row per point, resumable (docs/sweep.md)");
  CLI::Option* grid = command->add_option("--grid", options->grid_file,
                                          "TOML grid of config keys: key = value fixes a key; key "
                                          "= [a, b, c] is a list; key = {from = A, to = B, "
                                          "n = N, scale = \"linear\" | \"log\"} is a range (linear "
                                          "by default). The points are the product of "
                                          "the lists and ranges, the last one varying fastest");
  grid->type_name("FILE");
  command
      ->add_option("--points", options->points_file,
                   "CSV file instead of --grid: config keys as the header, one point per row")
      ->type_name("FILE")
      ->excludes(grid);
  add_output_option(
      *command, "--out", options->out_file,
      "Output, CSV or JSON by its extension (.csv, .json): one row per point; rows already "
      "there are kept and their points not solved again")
      ->required();
  command
      ->add_option(
          "--jobs", options->jobs,
          "Threads (default: the cores this process may use; under mpirun, its share of them "
          "among the processes on each machine)")
      ->type_name("N")
      ->check(CLI::Range(1, 4096));
  command
      ->add_option("--time-limit", options->time_limit,
                   "Seconds per point before it is given up as failed (default: the solver's, 120)")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber);
  command->add_flag("--no-progress", options->no_progress, "No progress bar on stderr");
  add_fsync_flag(*command, options->sync);
  // Built when help is printed: naming the MPI library loads the MPI plugin.
  command->footer([] {
    return std::string(
               "Output columns: every key given as a list or range (points file: every column), "
               "then "
               "sn_inf,\nsk_inf, aR_inf, moved_share, lambda_R, converged, trustworthy, "
               "termination,\n"
               "error_estimate, seconds (moved_share: U_inf, the moved share of South-born "
               "capital; "
               "aR_inf is nan\nfor relocation = \"type_resolved\"). Failed and flagged\npoints are "
               "rows too "
               "(numbers nan where nothing converged). Rows are written as "
               "points "
               "finish;\nrun the same command again after an interruption (Ctrl-C, a killed job) "
               "to solve "
               "the rest.\n"
               "MPI support: ") +
           sweep_mpi_support() +
           (sweep_has_mpi()
                ? ". Under `mpirun -np N footloose sweep ...` the chains are\nshared out over the "
                  "N "
                  "processes and rank 0 writes --out (the same file as a threaded run).\n"
                : ": run it without mpirun; it uses the cores by threads.\n") +
           "Exit codes: 0 every point has its row (some may have failed: see the summary line); 1 "
           "interrupted\n"
           "or an error while solving; 2 bad input (grid, points, options, an --out of another "
           "sweep), "
           "nothing "
           "written.\n\n" +
           config_keys_help();
  });
  return {command, [options, &out] { run_sweep_command(*options, out); }};
}

}  // namespace footloose
