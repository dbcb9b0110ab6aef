#include "bench/bench.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

#include "bench/process_timing.hpp"
#include "bench/stress.hpp"
#include "models/transition.hpp"
#include "solvers/collocation.hpp"
#include "solvers/cvode_integrator.hpp"
#include "solvers/worker_team.hpp"
#include "src/config.hpp"
#include "src/format.hpp"
#include "src/output.hpp"
#include "src/sweep.hpp"

namespace footloose {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- targets (docs/performance.md, "Targets") ----
constexpr double kTargetColdMs = 5.0;
constexpr double kTargetWarmMs = 1.0;
constexpr double kTargetRatio = 15.0;
constexpr double kTargetSweep2s = 0.1;
constexpr double kTargetMemoryMib = 20.0;
constexpr double kTargetGrowthMib = 1.0;           // "flat": what we accept as no growth
constexpr double kTargetAccuracy = 1e-8;           // |sn∞ − sn∞_ref|
constexpr double kTargetStressS = 120.0;           // `footloose stress --n 1000` on 2 cores
constexpr double kTargetProcessMs = 8.0;           // `footloose path --json FILE`, whole program
constexpr double kTargetHardColdMs = 10.0;         // γR/γE = 1e4 and φ1 = 0.05, each cold
constexpr double kHardReferenceTolerance = 1e-11;  // collocation tolerance of their references
constexpr int kStressPoints = 1000;
constexpr int kProcessRuns = 20;  // at least; more with --repeats
std::string at_most(double target) {
  return "<= " + shortest_text(target);
}

// ---- the reference solve ----
constexpr double kReferenceRtol = 1e-12;
constexpr double kReferenceNewton = 1e-11;
constexpr double kReferenceHorizon = 120.0;

// ---- sweeps ----
constexpr int kSweepPoints = 30;  // λR sweep: γR/γE log-spaced on [1e-2, 1e6]
constexpr double kSweepFrom = 1e-2, kSweepTo = 1e6;
constexpr double kSweepTimeLimit = 20.0;  // seconds per point, as experiments/lambda_r.toml
constexpr int kMemorySample =
    100;  // memory sweep (sE chain 0.6, 0.6001, ...): RSS every 100 points
// The chain covers sE = 0.6 -> 0.7 whatever its length (step 1e-4 at the default 1,000 points):
// a longer chain has finer steps, not points beyond the parameter domain (sE < 1).
constexpr double kMemorySpan = 0.1;
constexpr double kDefaultMemoryBudget =
    60.0;  // seconds: the default run stops the memory sweep beyond this
constexpr double kScanTimeLimit = 10.0;     // seconds per solve in the tolerance scan
constexpr double kWarmNeighbourSE = 0.601;  // warm start from sE = 0.601 (baseline 0.6)

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Stats {
  double median = kNaN, min = kNaN;
  int runs = 0;
};

Stats stats_of(std::vector<double> x) {
  Stats s;
  s.runs = static_cast<int>(x.size());
  if (x.empty()) return s;
  std::sort(x.begin(), x.end());
  const std::size_t n = x.size();
  s.median = n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
  s.min = x.front();
  return s;
}

Json stats_json(const Stats& s) {
  return Json{{"median", s.median}, {"min", s.min}};
}

// Current resident set (/proc/self/statm, second field, pages) and peak (getrusage, KiB).
double current_rss_mib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  if (!(statm >> size >> resident)) return kNaN;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
         (1024.0 * 1024.0);
}

double peak_rss_mib() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return kNaN;
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: KiB
}

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  double one = kNaN, five = kNaN, fifteen = kNaN;
  f >> one >> five >> fifteen;
  std::ostringstream os;
  os << one << " " << five << " " << fifteen;
  return os.str();
}

std::string num(double x, int digits = 4) {
  if (std::isnan(x)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, x);
  return buffer;
}

// The baseline case of `footloose path` without a config file (= experiments/baseline.toml).
struct Case {
  Parameters params;
  TradePath phi_path;
  InitialStateSpec initial;
  TransitionOptions options;
};

Case baseline_case(double rtol, double newton_tolerance) {
  const RunConfig config;
  Case c{config.params, trade_path(config), initial_state(config), transition_options(config)};
  c.options.rtol = rtol;
  c.options.newton_tolerance = newton_tolerance;
  return c;
}

// The case solved by a persistent team of `threads` (none when 1), as a program solving many
// paths one after another would keep one.
Case on_threads(Case c, int threads) {
  c.options.threads = threads;
  c.options.team = threads > 1 ? std::make_shared<solvers::WorkerTeam>(threads) : nullptr;
  return c;
}

TransitionResult solve(const Case& c, const TransitionResult* warm = nullptr) {
  TransitionResult r = solve_transition(c.params, c.phi_path, c.initial, c.options, warm);
  if (!r.converged)
    throw std::runtime_error("bench: the baseline path did not converge: " + r.message);
  return r;
}

// `repeats` timed solves of one case (wall clock around solve_transition, in ms), the last
// answer kept; each time is logged as "<label> k/n" unless the label is empty.
struct TimedSolves {
  std::vector<double> ms;
  TransitionResult last;
};
TimedSolves timed_solves(const Case& c, const TransitionResult* warm, int repeats,
                         const std::string& label,
                         const std::function<void(const std::string&)>& log) {
  TimedSolves out;
  for (int k = 0; k < repeats; ++k) {
    const double t0 = now_seconds();
    out.last = solve(c, warm);
    out.ms.push_back(1e3 * (now_seconds() - t0));
    if (!label.empty())
      log(label + " " + std::to_string(k + 1) + "/" + std::to_string(repeats) + ": " +
          num(out.ms.back()) + " ms");
  }
  return out;
}

// A figure's 1-thread row: `<name>_ms_1thread`, `<name>_1thread` (runs, chord iterations when
// asked, Newton iterations, sn∞) and, with a reference, `<name>_1thread_sn_inf_error`.
Stats record_one_thread(const std::string& name, const TimedSolves& timed, bool with_chord,
                        double sn_ref, Json& doc, Json& accuracy) {
  const Stats stats = stats_of(timed.ms);
  doc[name + "_ms_1thread"] = stats_json(stats);
  Json row{{"runs", stats.runs}};
  if (with_chord) row["chord_iterations"] = timed.last.bvp.chord_iterations;
  row["newton_iterations"] = timed.last.bvp.newton_iterations;
  row["sn_inf"] = timed.last.sn_inf;
  doc[name + "_1thread"] = row;
  if (!std::isnan(sn_ref))
    accuracy[name + "_1thread_sn_inf_error"] = std::fabs(timed.last.sn_inf - sn_ref);
  return stats;
}

class Log {
 public:
  explicit Log(bool enabled) : enabled_(enabled), start_(now_seconds()) {}
  void operator()(const std::string& line) const {
    if (!enabled_) return;
    std::fprintf(stderr, "[bench %7.1f s] %s\n", now_seconds() - start_, line.c_str());
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  double start_;
};

// ---- one-pass floor: one forward CVODE integration of (M7) over [ε, T] from the solved y(0) ----
// As models/transition.cpp and solvers/multiple_shooting.cpp do: y(ε) from y(0) by the Euler step
// (PathBvp::left_state), CVODE with the same rtol, absolute tolerances rtol·1e-3·typical state,
// positivity of K, K*, w, and the problem's analytic Jacobian when it has one.
template <typename Options, typename Problem, typename = void>
struct HasJacobian : std::false_type {};
template <typename Options, typename Problem>
struct HasJacobian<Options, Problem,
                   std::void_t<decltype(std::declval<Options&>().jacobian =
                                            std::declval<const Problem&>().jacobian)>>
    : std::true_type {};

template <typename Options, typename Problem>
void copy_jacobian(Options& options, const Problem& problem) {
  if constexpr (HasJacobian<Options, Problem>::value) options.jacobian = problem.jacobian;
}

solvers::CvodeOptions pass_options(const solvers::BoundaryValueProblem& bvp, double rtol) {
  solvers::CvodeOptions options;
  options.rtol = rtol;
  options.typical = bvp.typical_state;
  options.positive = bvp.positive_state;
  options.atol.resize(bvp.state_size);
  for (int i = 0; i < bvp.state_size; ++i) options.atol[i] = rtol * 1e-3 * bvp.typical_state[i];
  copy_jacobian(options, bvp);
  return options;
}

struct OnePass {
  double seconds = 0;
  double t_reached = 0;     // last node time reached (the saddle path is unstable forward)
  double t_departs = kNaN;  // first node where the scaled distance to the solved path > 1e-2
  bool reached_end = false;
  solvers::CvodeStats cvode;
  std::string error;
};

std::vector<double> solved_start(const solvers::BoundaryValueProblem& bvp,
                                 const TransitionResult& solved) {
  const double z[3] = {solved.initial_state[kValueNorth], solved.initial_state[kValueSouth],
                       solved.initial_state[kRelocationValue]};
  std::vector<double> y(bvp.state_size);
  bvp.left_state(z, y.data());
  return y;
}

OnePass one_pass(const PathBvp& problem, const TransitionResult& solved, double rtol) {
  const solvers::BoundaryValueProblem& bvp = problem.bvp;
  const solvers::MeshSolution& sol = solved.shooting.solution;
  const int n = bvp.state_size;
  const std::vector<double> times(sol.nodes.begin() + 1, sol.nodes.end());
  std::vector<double> out(times.size() * n, kNaN);
  OnePass result;

  const double start = now_seconds();
  const std::vector<double> y_start = solved_start(bvp, solved);
  solvers::CvodeIntegrator integrator(n, bvp.rhs, pass_options(bvp, rtol));
  try {
    integrator.integrate_to_times(sol.nodes.front(), y_start.data(), times, out.data());
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  result.seconds = now_seconds() - start;
  result.cvode = integrator.stats();

  for (std::size_t k = 0; k < times.size(); ++k) {
    if (!std::isfinite(out[k * n])) break;
    result.t_reached = times[k];
    double distance = 0.0;
    for (int i = 0; i < n; ++i) {
      distance = std::max(
          distance, std::fabs(out[k * n + i] - sol.states[(k + 1) * n + i]) / bvp.typical_state[i]);
    }
    if (std::isnan(result.t_departs) && distance > 1e-2) result.t_departs = times[k];
  }
  result.reached_end = result.error.empty();
  return result;
}

// The same integration restarted at every shooting node from the solved node values: the cost of
// following the path itself (no drift off the saddle path), with one CVODE restart per segment.
OnePass segment_pass(const PathBvp& problem, const TransitionResult& solved, double rtol) {
  const solvers::BoundaryValueProblem& bvp = problem.bvp;
  const solvers::MeshSolution& sol = solved.shooting.solution;
  const int n = bvp.state_size;
  OnePass result;
  const double start = now_seconds();
  std::vector<double> y = solved_start(bvp, solved), y1(n);
  solvers::CvodeIntegrator integrator(n, bvp.rhs, pass_options(bvp, rtol));
  try {
    for (std::size_t i = 0; i + 1 < sol.nodes.size(); ++i) {
      const double* from = i == 0 ? y.data() : &sol.states[i * n];
      integrator.integrate(sol.nodes[i], from, sol.nodes[i + 1], y1.data());
      result.t_reached = sol.nodes[i + 1];
    }
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  result.seconds = now_seconds() - start;
  result.cvode = integrator.stats();
  result.reached_end = result.error.empty();
  return result;
}

// ---- the λR sweep of experiment 2 (experiment_lambda_r): anchor cold, then two warm chains ----
struct SweepRun {
  double seconds = 0;
  int points = 0, converged = 0, valid = 0;
  double anchor_seconds = 0, up_seconds = 0, down_seconds = 0;  // sums of the points' solve times
  std::vector<std::pair<double, double>> slowest;               // (γR/γE, seconds), slowest first
};

std::vector<double> sweep_ratios() {
  std::vector<double> ratios(kSweepPoints);
  for (int i = 0; i < kSweepPoints; ++i) {
    ratios[i] =
        kSweepFrom * std::pow(kSweepTo / kSweepFrom, static_cast<double>(i) / (kSweepPoints - 1));
  }
  return ratios;
}

int anchor_index() {  // the ratio nearest 1 (experiment_lambda_r's anchor_ratio)
  const std::vector<double> ratios = sweep_ratios();
  int a = 0;
  for (int i = 0; i < kSweepPoints; ++i)
    if (std::abs(std::log(ratios[i])) < std::abs(std::log(ratios[a]))) a = i;
  return a;
}

SweepRun lambda_r_sweep(const Case& base, int threads) {
  const std::vector<double> ratios = sweep_ratios();
  const std::size_t a = static_cast<std::size_t>(anchor_index());
  const auto point = [&](double ratio) {
    SweepPoint s;
    s.params = base.params;
    s.params.phi1 = 0.4;
    s.params.sE = 0.6;
    s.params.gamma_E = 1.0;
    s.params.gamma_R = ratio;
    s.phi_path = base.phi_path;
    s.phi_path.phi1 = s.params.phi1;
    s.initial = base.initial;
    s.options = base.options;
    s.options.time_limit = kSweepTimeLimit;
    s.options.threads = 1;  // one chain per sweep thread (run_sweep solves on 1 thread anyway)
    s.options.team = nullptr;
    return s;
  };
  SweepSettings settings;
  settings.threads = threads;
  settings.progress = false;
  settings.label = "bench lambda_r";

  // The line cut into one piece per thread (split_anchored_line); each piece's anchor is solved
  // cold (γR/γE nearest 1 in the first), then one warm-started chain up and one down from it.
  AnchoredLine line;
  for (double ratio : ratios) line.points.push_back(point(ratio));
  line.anchor = a;
  const std::vector<AnchoredLine> pieces = split_anchored_line(line, std::max(threads, 1));
  std::vector<std::vector<std::size_t>> anchor_chains;
  for (std::size_t k = 0; k < pieces.size(); ++k) anchor_chains.push_back({k});
  const double start = now_seconds();
  const auto by_piece = run_anchored_lines(pieces, anchor_chains, settings);
  SweepRun run;
  run.seconds = now_seconds() - start;
  std::vector<SweepOutcome> outcomes;
  std::vector<bool> anchor(ratios.size(), false);
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    anchor[outcomes.size() + pieces[k].anchor] = true;
    outcomes.insert(outcomes.end(), by_piece[k].begin(), by_piece[k].end());
  }
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    const SweepOutcome& o = outcomes[i];
    ++run.points;
    if (o.solved()) ++run.converged;
    if (o.status == SweepStatus::Valid) ++run.valid;
    (anchor[i] ? run.anchor_seconds : i > a ? run.up_seconds : run.down_seconds) += o.seconds;
    run.slowest.emplace_back(ratios[i], o.seconds);
  }
  std::sort(run.slowest.begin(), run.slowest.end(),
            [](const auto& x, const auto& y) { return x.second > y.second; });
  run.slowest.resize(std::min<std::size_t>(run.slowest.size(), 3));
  return run;
}

// ---- process: a temporary directory for the output file of the timed runs ----
struct ScratchDirectory {
  std::filesystem::path path;
  ScratchDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "footloose-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      throw std::runtime_error("cannot create a temporary directory " + pattern);
    path = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
};

// ---- memory: RSS every 100 points of a warm-started chain over sE (1,000 points by default) ----
// The outcomes of each block of 100 are dropped once the block is done (only the warm start is
// kept), so that growth means memory the solver does not give back; what a sweep that keeps its
// outcomes holds per point is estimated separately (result_bytes).
struct MemorySweep {
  std::vector<double> rss_mib;  // after 0, 100, 200, ... points
  double seconds = 0;
  int converged = 0;
  double result_kib = 0;  // estimated heap held by one SweepOutcome (path dropped)
  int points = 0;         // points solved (fewer than asked when stopped by the budget)
  std::string stopped;    // why it stopped early, if it did
};

template <typename T>
double vector_bytes(const std::vector<T>& v) {
  return static_cast<double>(v.capacity() * sizeof(T));
}

double result_bytes(const SweepOutcome& o) {
  const TransitionResult& r = o.result;
  const solvers::MeshSolution& g = r.shooting.solution;
  double bytes = sizeof(SweepOutcome) + vector_bytes(r.path) + vector_bytes(g.nodes) +
                 vector_bytes(g.states) + vector_bytes(g.left_free) + vector_bytes(g.params) +
                 vector_bytes(r.shooting.segment_amplification) +
                 vector_bytes(r.saddle.eigenvalues) + vector_bytes(r.continuation.solved) +
                 r.message.capacity() + o.error.capacity();
  for (const auto& w : r.warnings) bytes += sizeof(w) + w.capacity();
  for (const auto& w : r.shooting.warnings) bytes += sizeof(w) + w.capacity();
  return bytes;
}

// `points` (a multiple of 100) points; budget > 0: stop after the block at which the projected time
// of all the points exceeds it.
MemorySweep memory_sweep(const Case& base, const TransitionResult& start_from, int points,
                         const Log& log, double budget) {
  MemorySweep m;
  SweepSettings settings;
  settings.threads = 1;
  settings.keep_paths = false;
  settings.progress = false;
  settings.max_consecutive_failures = 0;
  TransitionResult warm = start_from;
  const double start = now_seconds();
  m.rss_mib.push_back(current_rss_mib());
  for (int b = 0; b < points / kMemorySample; ++b) {
    std::vector<SweepPoint> chain;
    for (int j = 0; j < kMemorySample; ++j) {
      SweepPoint s;
      s.params = base.params;
      s.params.sE = base.params.sE + kMemorySpan * (b * kMemorySample + j + 1) / points;
      s.phi_path = base.phi_path;
      s.initial = base.initial;
      s.options = base.options;
      s.options.time_limit = kSweepTimeLimit;
      s.options.threads = 1;  // as every sweep (run_sweep)
      s.options.team = nullptr;
      chain.push_back(s);
    }
    {
      const auto block = run_sweep({chain}, settings, {&warm});
      const SweepOutcome* last = nullptr;
      for (const SweepOutcome& o : block[0]) {
        if (o.status == SweepStatus::Valid || o.status == SweepStatus::Invalid) {
          ++m.converged;
          last = &o;
        }
      }
      if (last) {
        m.result_kib = result_bytes(*last) / 1024.0;
        warm = last->result;
      }
    }  // the block's outcomes are freed here
    m.rss_mib.push_back(current_rss_mib());
    m.points = (b + 1) * kMemorySample;
    log("memory sweep: " + std::to_string(m.points) + " points, RSS " + num(m.rss_mib.back()) +
        " MiB");
    const double projected = (now_seconds() - start) * points / m.points;
    if (budget > 0.0 && m.points < points && projected > budget) {
      m.stopped = "stopped after " + std::to_string(m.points) + " points: the " +
                  std::to_string(points) + " would take about " + num(projected, 3) + " s > " +
                  num(budget, 3) + " s; run 'footloose bench --only memory'";
      break;
    }
  }
  m.seconds = now_seconds() - start;
  return m;
}

// ---- tolerance scan (--only tolerances): time and error of each (rtol, newton_tol) ----
Json tolerance_scan(const Case& base, double sn_ref, int repeats, std::ostream& out,
                    const Log& log) {
  const std::vector<double> rtols = {1e-6, 1e-7, 1e-8, 1e-9, 1e-10};
  const std::vector<double> newtons = {1e-5, 1e-6, 1e-7, 1e-8, 1e-9};
  Json rows = Json::array();
  out << "\nTolerance scan (baseline, cold, min of " << repeats << " run(s), time limit "
      << kScanTimeLimit << " s; error = |sn_inf - sn_inf_ref|)\n";
  out << "  rtol      newton_tol  time_ms     error       newton_its\n";
  for (double rtol : rtols)
    for (double newton : newtons) {
      if (newton < rtol) continue;
      Case c = base;
      c.options.rtol = rtol;
      c.options.newton_tolerance = newton;
      c.options.time_limit = kScanTimeLimit;  // pairs below the noise floor stall until the limit
      std::vector<double> ms;
      TransitionResult r;
      std::string failure;
      for (int k = 0; k < repeats && failure.empty(); ++k) {
        const double t0 = now_seconds();
        r = solve_transition(c.params, c.phi_path, c.initial, c.options);
        ms.push_back(1e3 * (now_seconds() - t0));
        if (!r.converged) failure = r.message;
      }
      const double error = failure.empty() ? std::fabs(r.sn_inf - sn_ref) : kNaN;
      const double best = *std::min_element(ms.begin(), ms.end());
      char line[200];
      std::snprintf(line, sizeof line, "  %-9.0e %-11.0e %-11.4g %-11.3g %d%s\n", rtol, newton,
                    best, error, r.bvp.newton_iterations,
                    failure.empty() ? "" : "  (not converged)");
      out << line;
      log("tolerances: rtol " + num(rtol) + ", newton " + num(newton) + ": " + num(best) +
          " ms, error " + num(error));
      rows.push_back(Json{{"rtol", rtol},
                          {"newton_tolerance", newton},
                          {"min_ms", best},
                          {"sn_inf_error", failure.empty() ? Json(error) : Json(nullptr)},
                          {"converged", failure.empty()},
                          {"newton_iterations", r.bvp.newton_iterations}});
    }
  return rows;
}

std::string verdict(double value, double target) {
  if (std::isnan(value)) return "";
  return value <= target ? "met" : "MISSED";
}

void table_row(std::ostream& out, const std::string& name, const Stats& s,
               const std::string& target, const std::string& status) {
  char line[200];
  std::snprintf(line, sizeof line, "  %-34s %12s %12s   %-10s %s\n", name.c_str(),
                num(s.median, 5).c_str(), num(s.min, 5).c_str(), target.c_str(), status.c_str());
  out << line;
}

// A timed figure against an upper target: "<= target" and met/MISSED by its median.
void target_row(std::ostream& out, const std::string& name, const Stats& s, double target) {
  table_row(out, name, s, at_most(target), verdict(s.median, target));
}

void value_row(std::ostream& out, const std::string& name, double value, const std::string& target,
               const std::string& status) {
  char line[200];
  std::snprintf(line, sizeof line, "  %-34s %12s %12s   %-10s %s\n", name.c_str(),
                num(value, 5).c_str(), "", target.c_str(), status.c_str());
  out << line;
}

}  // namespace

const std::vector<std::string>& bench_sections() {
  static const std::vector<std::string> sections = {"cold",    "warm",   "one_pass",   "sweep",
                                                    "process", "memory", "tolerances", "stress"};
  return sections;
}

Json run_bench(const BenchSettings& settings, std::ostream& out) {
  if (settings.repeats < 1) throw UsageError("--repeats must be at least 1");
  if (settings.memory_points < kMemorySample || settings.memory_points % kMemorySample != 0)
    throw UsageError("--memory-points must be a positive multiple of " +
                     std::to_string(kMemorySample));
  const auto run = [&](const std::string& name) {
    return settings.only.empty() ? name != "tolerances" : settings.only == name;
  };
  const Log log(settings.progress);
  // The default configuration: one solve on `footloose path`'s threads (a persistent team); the
  // cold, warm and sweep-step figures are also measured on 1 thread (single).
  const int solve_threads = default_solve_threads();
  const Case base =
      on_threads(baseline_case(settings.rtol, settings.newton_tolerance), solve_threads);
  const Case single = on_threads(base, 1);
  const int sweep_repeats = std::min(settings.repeats, 3);

  Json doc;
  doc["build"] =
#ifdef NDEBUG
      "optimised (NDEBUG)";
#else
      "assertions on (not a release build)";
#endif
  doc["hardware_threads"] = std::thread::hardware_concurrency();
  doc["solve_threads"] = solve_threads;
  doc["load_average_at_start"] = load_average();
  doc["repeats"] = settings.repeats;
  doc["sweep_repeats"] = sweep_repeats;
  doc["sections"] = settings.only.empty() ? "cold, warm, one_pass, sweep, process, memory, stress"
                                          : settings.only;

  // 1. The first solve of the process: the cold baseline at the bench tolerances. Peak RSS after
  // it is the single-path memory figure; its solution feeds one_pass, memory and warm.
  const double rss_before = current_rss_mib();
  log("first cold solve (memory of a single path)");
  const TransitionResult first = solve(base);
  const double single_path_mib = peak_rss_mib();
  log("  " + first.brief_report());

  // 2. Reference solve (tight tolerances, long horizon), for the accuracy figures.
  double sn_ref = kNaN, ref_seconds = kNaN;
  if (settings.reference && (run("cold") || run("warm") || run("one_pass") || run("tolerances"))) {
    Case ref = base;
    ref.options.rtol = kReferenceRtol;
    ref.options.newton_tolerance = kReferenceNewton;
    ref.options.horizon = kReferenceHorizon;
    log("reference solve (rtol 1e-12, newton_tol 1e-11, T = 120)");
    const TransitionResult r = solve(ref);
    sn_ref = r.sn_inf;
    ref_seconds = r.solve_seconds;
    log("  " + r.brief_report());
  }
  doc["tolerances"] = Json{{"rtol", settings.rtol},
                           {"newton_tolerance", settings.newton_tolerance},
                           {"accuracy_target_sn_inf", kTargetAccuracy}};
  doc["reference"] = Json{{"rtol", kReferenceRtol},
                          {"newton_tolerance", kReferenceNewton},
                          {"horizon", kReferenceHorizon},
                          {"sn_inf", sn_ref},
                          {"seconds", ref_seconds}};
  Json accuracy;

  // 3. Cold.
  Stats cold, cold_1, floor;
  if (run("cold") || run("one_pass")) {
    const TimedSolves timed = timed_solves(base, nullptr, settings.repeats, "cold", log);
    const TransitionResult& r = timed.last;
    cold = stats_of(timed.ms);
    doc["cold_ms"] = stats_json(cold);
    doc["cold"] = Json{{"runs", cold.runs},
                       {"newton_iterations", r.bvp.newton_iterations},
                       {"method", solvers::to_string(r.bvp.method)},
                       {"continuation_attempts", r.continuation.attempts},
                       {"mesh_intervals", r.bvp.intervals},
                       {"horizon", r.horizon},
                       {"residual", r.bvp.residual_max},
                       {"sn_inf", r.sn_inf}};
    if (!std::isnan(sn_ref)) accuracy["cold_sn_inf_error"] = std::fabs(r.sn_inf - sn_ref);
    if (run("cold")) {  // the same on 1 thread
      cold_1 = record_one_thread(
          "cold", timed_solves(single, nullptr, settings.repeats, "cold, 1 thread", log), false,
          sn_ref, doc, accuracy);
    }
    // The floor: one residual evaluation plus one factorised exact Newton matrix at the answer,
    // on its final mesh (what a single Newton iteration costs), on the cold figure's threads.
    if (r.converged && r.bvp.method == solvers::BvpMethod::Collocation) {
      const auto problem =
          make_path_problem(base.params, base.phi_path, base.initial, base.options, r.aR_inf);
      // On the figures' team: warm / floor compares like with like.
      const solvers::NewtonIterationCost cost = solvers::newton_iteration_cost(
          problem->bvp, r.bvp.solution, settings.repeats, base.options.team.get());
      std::vector<double> total;
      for (std::size_t k = 0; k < cost.residual_ms.size(); ++k)
        total.push_back(cost.residual_ms[k] + cost.matrix_ms[k] + cost.analysis_ms[k] +
                        cost.factorization_ms[k]);
      floor = stats_of(total);
      doc["floor_ms"] = stats_json(floor);
      doc["floor"] = Json{{"unknowns", cost.unknowns},
                          {"threads", base.options.team ? base.options.team->threads() : 1},
                          {"residual_ms", stats_json(stats_of(cost.residual_ms))},
                          {"newton_matrix_ms", stats_json(stats_of(cost.matrix_ms))},
                          {"lu_analysis_ms", stats_json(stats_of(cost.analysis_ms))},
                          {"lu_factorization_ms", stats_json(stats_of(cost.factorization_ms))}};
    }
  }

  // 3b. The two harder cold cases of the issue: slow relocation (γR/γE = 1e4) and a small shock
  // (φ1 = 0.05), each against its own tight reference (collocation tolerance 1e-11, T = 120).
  Stats cold_slow, cold_small;
  if (run("cold")) {
    const auto hard_case = [&](Case c, const std::string& key, Stats& stats) {
      const TimedSolves timed = timed_solves(c, nullptr, settings.repeats, "", log);
      const TransitionResult& r = timed.last;
      stats = stats_of(timed.ms);
      doc[key] = stats_json(stats);
      log(key + ": " + num(stats.median) + " ms (median)");
      if (settings.reference) {
        Case ref = c;
        ref.options.rtol = kReferenceRtol;
        ref.options.newton_tolerance = kReferenceNewton;
        ref.options.horizon = kReferenceHorizon;
        ref.options.tolerance = kHardReferenceTolerance;
        accuracy[key + "_sn_inf_error"] = std::fabs(r.sn_inf - solve(ref).sn_inf);
      }
    };
    Case slow = base;
    slow.params.gamma_R = 1e4 * slow.params.gamma_E;
    hard_case(slow, "cold_slow_relocation_ms", cold_slow);
    Case small = base;
    small.params.phi1 = 0.05;
    small.phi_path.phi1 = 0.05;
    hard_case(small, "cold_small_shock_ms", cold_small);
  }

  // 4. Warm: from the solved path at sE = 0.601 (solved cold, untimed).
  Stats warm, warm_secant, warm_1, warm_secant_1;
  if (run("warm")) {
    Case neighbour = base;
    neighbour.params.sE = kWarmNeighbourSE;
    log("neighbour solve (sE = 0.601) for the warm start");
    const TransitionResult from = solve(neighbour);
    const TimedSolves timed = timed_solves(base, &from, settings.repeats, "warm", log);
    const TransitionResult& r = timed.last;
    warm = stats_of(timed.ms);
    doc["warm_ms"] = stats_json(warm);
    doc["warm"] = Json{{"runs", warm.runs},
                       {"warm_start_from", "sE = 0.601 (baseline sE = 0.6), same options"},
                       {"newton_iterations", r.bvp.newton_iterations},
                       {"method", solvers::to_string(r.bvp.method)},
                       {"mesh_intervals", r.bvp.intervals},
                       {"sn_inf", r.sn_inf}};
    if (!std::isnan(sn_ref)) accuracy["warm_sn_inf_error"] = std::fabs(r.sn_inf - sn_ref);
    warm_1 = record_one_thread(
        "warm", timed_solves(single, &from, settings.repeats, "warm, 1 thread", log), false,
        sn_ref, doc, accuracy);

    // 4b. The next point of a sweep: the neighbour was itself warm-started (from sE = 0.602),
    // so the secant predictor has two points (the warm start above has one: no secant).
    Case origin_case = base;
    origin_case.params.sE = 2.0 * kWarmNeighbourSE - base.params.sE;
    log("sweep step: sE = 0.602 cold, then 0.601 warm from it (untimed)");
    const TransitionResult origin = solve(origin_case);
    const TransitionResult previous = solve(neighbour, &origin);
    const TimedSolves step = timed_solves(base, &previous, settings.repeats, "", log);
    warm_secant = stats_of(step.ms);
    doc["warm_secant_ms"] = stats_json(warm_secant);
    doc["warm_secant"] =
        Json{{"runs", warm_secant.runs},
             {"warm_start_from", "sE = 0.601, itself warm-started from sE = 0.602 (secant)"},
             {"chord_iterations", step.last.bvp.chord_iterations},
             {"newton_iterations", step.last.bvp.newton_iterations},
             {"sn_inf", step.last.sn_inf}};
    if (!std::isnan(sn_ref))
      accuracy["warm_secant_sn_inf_error"] = std::fabs(step.last.sn_inf - sn_ref);
    warm_secant_1 =
        record_one_thread("warm_secant", timed_solves(single, &previous, settings.repeats, "", log),
                          true, sn_ref, doc, accuracy);
  }

  // 5. One pass: a single forward integration of the converged path at the same rtol.
  Stats pass, segments;
  if (run("one_pass")) {
    // The integration floor of multiple shooting: on a shooting solve of the same case.
    Case shooting_case = base;
    shooting_case.options.method = PathMethod::Shooting;
    const TransitionResult first_shooting = solve(shooting_case);
    const TransitionResult& first = first_shooting;
    const auto problem =
        make_path_problem(base.params, base.phi_path, base.initial, base.options, first.aR_inf);
    std::vector<double> ms;
    OnePass last;
    for (int k = 0; k < settings.repeats; ++k) {
      last = one_pass(*problem, first, base.options.rtol);
      ms.push_back(1e3 * last.seconds);
    }
    log("one pass: " + num(stats_of(ms).median) + " ms, reached t = " + num(last.t_reached) +
        (last.error.empty() ? "" : " (" + last.error + ")"));
    pass = stats_of(ms);
    std::vector<double> seg_ms;
    OnePass seg;
    for (int k = 0; k < settings.repeats; ++k) {
      seg = segment_pass(*problem, first, base.options.rtol);
      seg_ms.push_back(1e3 * seg.seconds);
    }
    segments = stats_of(seg_ms);
    log("segment-wise pass: " + num(segments.median) + " ms" +
        (seg.error.empty() ? "" : " (" + seg.error + ")"));
    doc["one_pass_ms"] = stats_json(pass);
    doc["segment_pass_ms"] = stats_json(segments);
    doc["segment_pass"] = Json{{"description",
                                "the same integration restarted at each shooting node from the "
                                "solved node values (no drift; one CVODE restart per segment)"},
                               {"segments", first.shooting.solution.nodes.size() - 1},
                               {"steps", seg.cvode.steps},
                               {"rhs_evaluations", seg.cvode.rhs_evals},
                               {"error", seg.error}};
    doc["one_pass"] = Json{{"runs", pass.runs},
                           {"interval", Json::array({base.options.start_time, first.horizon})},
                           {"reached_end", last.reached_end},
                           {"t_reached", last.t_reached},
                           {"t_departs_from_solved_path",
                            std::isnan(last.t_departs) ? Json(nullptr) : Json(last.t_departs)},
                           {"steps", last.cvode.steps},
                           {"rhs_evaluations", last.cvode.rhs_evals},
                           {"error", last.error}};
    if (run("cold")) {
      doc["ratio_cold_over_one_pass"] = cold.median / pass.median;
      doc["ratio_cold_over_segment_pass"] = cold.median / segments.median;
    }
  }
  if (!accuracy.empty()) {
    accuracy["target"] = kTargetAccuracy;
    doc["accuracy"] = accuracy;
  }

  // 6. The λR sweep on 1 and 2 threads.
  Stats sweep1, sweep2;
  if (run("sweep")) {
    Json detail;
    for (int threads : {1, 2}) {
      std::vector<double> s;
      SweepRun r;
      for (int k = 0; k < sweep_repeats; ++k) {
        r = lambda_r_sweep(base, threads);
        s.push_back(r.seconds);
        log("sweep on " + std::to_string(threads) + " thread(s): " + num(r.seconds) + " s, " +
            std::to_string(r.converged) + "/" + std::to_string(r.points) + " converged");
      }
      const Stats st = stats_of(s);
      (threads == 1 ? sweep1 : sweep2) = st;
      doc[threads == 1 ? "sweep_s_1thread" : "sweep_s_2threads"] = stats_json(st);
      Json slowest = Json::array();
      for (const auto& [ratio, seconds] : r.slowest)
        slowest.push_back(Json{{"gamma_ratio", ratio}, {"seconds", seconds}});
      detail[threads == 1 ? "1thread" : "2threads"] = Json{{"runs", st.runs},
                                                           {"points", r.points},
                                                           {"converged", r.converged},
                                                           {"valid", r.valid},
                                                           {"anchor_seconds", r.anchor_seconds},
                                                           {"chain_up_seconds", r.up_seconds},
                                                           {"chain_down_seconds", r.down_seconds},
                                                           {"slowest_points", slowest}};
    }
    detail["description"] =
        "gamma_R/gamma_E log-spaced 1e-2..1e6 (30 points), phi1 = 0.4, sE = 0.6; the line cut "
        "into one piece per thread (split_anchored_line), each piece's anchor (the first: nearest "
        "1) solved cold, then one chain up and one down warm-started (run_sweep, coarse warm "
        "meshes); time limit 20 s per point";
    doc["sweep"] = detail;
  }

  // 7. The whole program, start to exit: `footloose path --json FILE` (footloose beside this
  // program; its defaults are the baseline calibration, experiments/baseline.toml).
  Stats process;
  if (run("process")) {
    const int runs = std::max(kProcessRuns, settings.repeats);
    log("process: " + std::to_string(runs) + " runs of footloose path --json FILE");
    const ScratchDirectory scratch;
    const std::vector<std::string> arguments{"path", "--json",
                                             (scratch.path / "path.json").string()};
    process = stats_of(time_program_runs(beside_this_program("footloose"), arguments, runs));
    doc["process_ms"] = stats_json(process);
    doc["process"] = Json{{"runs", process.runs},
                          {"command", "footloose path --json FILE (stdout to /dev/null)"}};
  }

  // 8. Memory: single path (always), and the --memory-points sweep (all of it with --only memory;
  // in the default run it stops early when projected to take > 60 s).
  Json memory{{"single_path_mib", single_path_mib}, {"rss_before_first_solve_mib", rss_before}};
  MemorySweep msweep;
  bool memory_ran = false;
  if (run("memory")) {
    const double budget = settings.only == "memory" ? 0.0 : kDefaultMemoryBudget;
    log("memory sweep: " + std::to_string(settings.memory_points) + " warm-started points over sE" +
        std::string(budget > 0 ? " (stops early if projected > 60 s)" : ""));
    msweep = memory_sweep(base, first, settings.memory_points, log, budget);
    memory["sweep_rss_mib"] = msweep.rss_mib;
    memory["sweep_points"] = msweep.points;
    memory["sample_every"] = kMemorySample;
    if (msweep.rss_mib.size() >= 3) {
      memory_ran = true;
      memory["growth_mib"] = msweep.rss_mib.back() - msweep.rss_mib[1];
    }
    memory["sweep_seconds"] = msweep.seconds;
    memory["sweep_converged"] = msweep.converged;
    memory["result_kib_per_point"] = msweep.result_kib;
    if (!msweep.stopped.empty()) memory["sweep_stopped"] = msweep.stopped;
    memory["sweep_description"] =
        "one chain sE = 0.6 + 0.1 k / sweep_points, k = 1 .. sweep_points (0.6001, 0.6002, ..., "
        "0.7 at 1000 points; baseline otherwise), "
        "warm-started, keep_paths = false, run in run_sweep blocks of 100 whose outcomes are "
        "dropped after the block (the warm start is kept); RSS from /proc/self/statm before and "
        "after each block; growth = RSS after the last block - RSS after 100 points; "
        "result_kib_per_point = heap a kept outcome holds (path dropped), estimated; without "
        "--only memory the sweep stops once all the points are projected to take > 60 s";
  }
  doc["memory"] = memory;
  doc["peak_rss_mib_at_end"] = peak_rss_mib();

  // 9. `footloose stress --n 1000` (seed 1, 2 jobs, no progress), in this process: wall time.
  Stats stress;
  if (run("stress")) {
    log("stress --n " + std::to_string(kStressPoints) + " --jobs 2");
    CLI::App app("stress");
    std::ostringstream report;
    const Command command = add_stress_command(app, report);
    std::vector<std::string> arguments{"stress", "--n", std::to_string(kStressPoints),
                                       "--jobs", "2",   "--no-progress"};
    std::reverse(arguments.begin(), arguments.end());  // CLI11 takes them last first
    app.parse(arguments);
    const double t0 = now_seconds();
    command.run();
    stress = stats_of({now_seconds() - t0});
    doc["stress_1000_s"] = stats_json(stress);
    doc["stress"] = Json{{"points", kStressPoints},
                         {"jobs", 2},
                         {"seed", 1},
                         {"summary", report.str().substr(0, 2000)}};
  }

  Json tolerance_rows;
  if (run("tolerances")) tolerance_rows = tolerance_scan(base, sn_ref, sweep_repeats, out, log);
  if (!tolerance_rows.is_null()) doc["tolerance_scan"] = tolerance_rows;

  doc["targets"] = Json{{"cold_ms", kTargetColdMs},
                        {"warm_ms", kTargetWarmMs},
                        {"ratio_cold_over_one_pass", kTargetRatio},
                        {"sweep_s_2threads", kTargetSweep2s},
                        {"single_path_mib", kTargetMemoryMib},
                        {"growth_mib", kTargetGrowthMib},
                        {"stress_1000_s", kTargetStressS},
                        {"process_ms", kTargetProcessMs},
                        {"cold_slow_relocation_ms", kTargetHardColdMs},
                        {"cold_small_shock_ms", kTargetHardColdMs}};

  // ---- the table ----
  out << "\nfootloose bench: baseline path (phi 0 -> 0.4, sE = 0.6, gamma_E = gamma_R = 1), "
      << doc["build"].get<std::string>() << ", " << std::thread::hardware_concurrency()
      << " hardware threads, load average " << doc["load_average_at_start"].get<std::string>()
      << "\n";
  out << "  one solve on " << solve_threads << " thread(s)"
      << (solve_threads > 1 ? " (a persistent WorkerTeam)" : "")
      << ", as footloose path by default; rows marked '1 thread' without a team; sweeps 1 "
         "thread per solve\n";
  out << "  tolerances: rtol " << num(settings.rtol) << ", newton_tol "
      << num(settings.newton_tolerance) << " (solver defaults " << num(TransitionOptions{}.rtol)
      << ", " << num(TransitionOptions{}.newton_tolerance)
      << "); reference rtol 1e-12, newton_tol 1e-11, T = 120: "
      << (std::isnan(sn_ref) ? std::string("not computed") : "sn_inf = " + num(sn_ref, 15)) << "\n";
  out << "  repeats: " << settings.repeats << " (sweeps " << sweep_repeats << ")\n\n";
  char head[200];
  std::snprintf(head, sizeof head, "  %-34s %12s %12s   %-10s %s\n", "figure", "median", "min",
                "target", "status");
  out << head;
  if (cold.runs) target_row(out, "cold solve (ms)", cold, kTargetColdMs);
  if (cold_1.runs) table_row(out, "cold solve, 1 thread (ms)", cold_1, "", "");
  if (warm.runs) target_row(out, "warm solve from sE = 0.601 (ms)", warm, kTargetWarmMs);
  if (warm_1.runs) table_row(out, "warm from sE = 0.601, 1 thread (ms)", warm_1, "", "");
  if (warm_secant.runs)
    target_row(out, "warm, next point of a sweep (ms)", warm_secant, kTargetWarmMs);
  if (warm_secant_1.runs) table_row(out, "warm, next point, 1 thread (ms)", warm_secant_1, "", "");
  if (cold_slow.runs)
    target_row(out, "cold, gamma_R/gamma_E = 1e4 (ms)", cold_slow, kTargetHardColdMs);
  if (cold_small.runs) target_row(out, "cold, phi1 = 0.05 (ms)", cold_small, kTargetHardColdMs);
  if (pass.runs) table_row(out, "one forward pass (ms)", pass, "", "");
  if (segments.runs) table_row(out, "segment-wise pass (ms)", segments, "", "");
  if (floor.runs) {
    table_row(out, "floor: 1 residual + 1 LU (ms)", floor, "", "");
    if (cold.runs) value_row(out, "cold / floor (medians)", cold.median / floor.median, "", "");
    if (warm.runs) value_row(out, "warm / floor (medians)", warm.median / floor.median, "", "");
  }
  if (cold.runs && pass.runs) {
    const double ratio = cold.median / pass.median;
    value_row(out, "cold / one pass (medians)", ratio, at_most(kTargetRatio),
              verdict(ratio, kTargetRatio));
    value_row(out, "cold / segment-wise pass (medians)", cold.median / segments.median, "", "");
  }
  if (sweep1.runs) table_row(out, "lambda_R sweep, 1 thread (s)", sweep1, "", "");
  if (sweep2.runs) target_row(out, "lambda_R sweep, 2 threads (s)", sweep2, kTargetSweep2s);
  if (stress.runs) target_row(out, "stress --n 1000, 2 jobs (s)", stress, kTargetStressS);
  if (process.runs)
    target_row(out, "footloose path --json, process (ms)", process, kTargetProcessMs);
  value_row(out, "peak RSS after one path (MiB)", single_path_mib, at_most(kTargetMemoryMib),
            verdict(single_path_mib, kTargetMemoryMib));
  if (memory_ran) {
    const double growth = memory["growth_mib"].get<double>();
    value_row(out, "RSS growth, " + std::to_string(msweep.points) + "-point sweep (MiB)", growth,
              "flat (<= 1)", verdict(growth, kTargetGrowthMib));
  }
  out << "\n";
  if (accuracy.contains("cold_sn_inf_error"))
    out << "  accuracy |sn_inf - sn_inf_ref|: cold "
        << num(accuracy["cold_sn_inf_error"].get<double>(), 3)
        << (accuracy.contains("warm_sn_inf_error")
                ? ", warm " + num(accuracy["warm_sn_inf_error"].get<double>(), 3)
                : std::string())
        << (accuracy.contains("warm_secant_sn_inf_error")
                ? ", sweep step " + num(accuracy["warm_secant_sn_inf_error"].get<double>(), 3)
                : std::string())
        << (accuracy.contains("cold_slow_relocation_ms_sn_inf_error")
                ? ", gamma_R/gamma_E = 1e4 " +
                      num(accuracy["cold_slow_relocation_ms_sn_inf_error"].get<double>(), 3) +
                      ", phi1 = 0.05 " +
                      num(accuracy["cold_small_shock_ms_sn_inf_error"].get<double>(), 3) +
                      " (against references at tolerance 1e-11)"
                : std::string())
        << (accuracy.contains("cold_1thread_sn_inf_error")
                ? "; 1 thread: cold " + num(accuracy["cold_1thread_sn_inf_error"].get<double>(), 3)
                : std::string())
        << (accuracy.contains("warm_1thread_sn_inf_error")
                ? std::string(accuracy.contains("cold_1thread_sn_inf_error")
                                  ? ", warm "
                                  : "; 1 thread: warm ") +
                      num(accuracy["warm_1thread_sn_inf_error"].get<double>(), 3) +
                      ", sweep step " +
                      num(accuracy["warm_secant_1thread_sn_inf_error"].get<double>(), 3)
                : std::string())
        << " (target <= 1e-8)\n";
  if (doc.contains("one_pass")) {
    const Json& o = doc["one_pass"];
    out << "  one pass over [" << num(base.options.start_time) << ", " << num(first.horizon)
        << "]: " << o["steps"].get<long>() << " steps, " << o["rhs_evaluations"].get<long>()
        << " rhs evaluations, "
        << (o["reached_end"].get<bool>() ? "reached T"
                                         : "stopped at t = " + num(o["t_reached"].get<double>()))
        << "; leaves the solved path (scaled distance > 1e-2) at t = "
        << (o["t_departs_from_solved_path"].is_null()
                ? std::string("-")
                : num(o["t_departs_from_solved_path"].get<double>()))
        << "\n";
  }
  if (doc.contains("sweep"))
    out << "  sweep points converged: " << doc["sweep"]["1thread"]["converged"].get<int>() << "/"
        << doc["sweep"]["1thread"]["points"].get<int>() << " (1 thread), "
        << doc["sweep"]["2threads"]["converged"].get<int>() << "/"
        << doc["sweep"]["2threads"]["points"].get<int>()
        << " (2 threads); last 1-thread run: anchor "
        << num(doc["sweep"]["1thread"]["anchor_seconds"].get<double>(), 3) << " s, chain up ("
        << (kSweepPoints - 1 - anchor_index()) << " points) "
        << num(doc["sweep"]["1thread"]["chain_up_seconds"].get<double>(), 3) << " s, chain down ("
        << anchor_index() << " points) "
        << num(doc["sweep"]["1thread"]["chain_down_seconds"].get<double>(), 3)
        << " s; slowest point gamma_R/gamma_E = "
        << num(doc["sweep"]["1thread"]["slowest_points"][0]["gamma_ratio"].get<double>(), 3) << ": "
        << num(doc["sweep"]["1thread"]["slowest_points"][0]["seconds"].get<double>(), 3) << " s\n";
  if (!msweep.rss_mib.empty()) {
    // At most 11 figures (every 100 points up to 1,000 points; all of them are in the JSON).
    const std::size_t every = std::max<std::size_t>(1, (msweep.rss_mib.size() - 1) / 10);
    out << "  RSS during the " << msweep.points << "-point sweep (MiB, every "
        << every * kMemorySample << " points):";
    for (std::size_t i = 0; i < msweep.rss_mib.size(); i += every)
      out << " " << num(msweep.rss_mib[i], 4);
    out << "\n  (outcomes dropped after each block of 100; a sweep that keeps them holds about "
        << num(msweep.result_kib, 3) << " KiB per point more)\n";
    if (!msweep.stopped.empty()) out << "  memory sweep " << msweep.stopped << "\n";
  }
  return doc;
}

namespace {

struct BenchCommandOptions {
  BenchSettings settings;
  std::string json_file;
  bool no_progress = false;
  bool no_reference = false;
};

}  // namespace

Command add_bench_command(CLI::App& parent, std::ostream& out) {
  auto options = std::make_shared<BenchCommandOptions>();
  CLI::App* command = parent.add_subcommand(
      "bench",
      "Benchmark the path solver against its targets (docs/performance.md): baseline path cold and "
      "warm, "
      "one-pass floor, lambda_R sweep on 1 and 2 threads, the whole `footloose path` process, "
      "memory (docs/performance.md)");
  add_output_option(
      *command, "--json", options->json_file,
      "Also write the figures as JSON (cold_ms, warm_ms, warm_secant_ms: one solve on "
      "solve_threads threads, footloose path's default; cold_ms_1thread, warm_ms_1thread, "
      "warm_secant_ms_1thread; one_pass_ms, sweep_s_1thread, sweep_s_2threads (1 thread per "
      "solve), process_ms: {median, min}; ratio_cold_over_one_pass, tolerances, accuracy, "
      "memory)");
  command
      ->add_option("--repeats", options->settings.repeats,
                   "Runs per timed figure (cold, warm, one_pass); sweeps run min(N, 3) times")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  std::string choices;
  for (const auto& s : bench_sections()) choices += (choices.empty() ? "" : ", ") + s;
  command
      ->add_option(
          "--only", options->settings.only,
          "Run one section only: " + choices +
              ". Default: all but 'tolerances' (a scan of rtol x newton_tol); 'stress' times "
              "`footloose stress --n 1000 --jobs 2` (stress_1000_s); 'process' times max(20, "
              "--repeats) runs of the whole program `footloose path --json FILE` (process_ms); the "
              "memory sweep stops early when projected to take > 60 s")
      ->check(CLI::IsMember(bench_sections()));
  command
      ->add_option("--memory-points", options->settings.memory_points,
                   "Points of the memory sweep, a warm-started chain over sE = 0.6 -> 0.7 (a "
                   "multiple of 100; RSS every 100 points; with --only memory, 10000 points take "
                   "a minute or more)")
      ->check(CLI::Range(100, 10000000))
      ->capture_default_str();
  command
      ->add_option("--rtol", options->settings.rtol, "CVODE relative tolerance of the timed solves")
      ->check(CLI::Range(1e-14, 1e-3))
      ->capture_default_str();
  command
      ->add_option("--newton-tol", options->settings.newton_tolerance,
                   "Newton tolerance (scaled max-norm) of the timed solves")
      ->check(CLI::Range(1e-14, 1e-2))
      ->capture_default_str();
  command->add_flag("--no-progress", options->no_progress, "No progress lines on stderr");
  command->add_flag("--no-reference", options->no_reference,
                    "Skip the tight reference solve (no accuracy figures; for profiling)");
  command->footer(
      "Timings are wall-clock medians and minima; they depend on machine load, so tests never "
      "assert "
      "on them.\nExit codes: 0 done (targets missed are reported, not errors); 1 a solve failed; 2 "
      "bad "
      "input, no file written.");
  return {command, [options, &out] {
            BenchSettings s = options->settings;
            s.progress = !options->no_progress;
            s.reference = !options->no_reference;
            const Json doc = run_bench(s, out);
            if (!options->json_file.empty()) write_json(options->json_file, doc);
          }};
}

}  // namespace footloose
