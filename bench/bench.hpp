// `footloose bench [--json OUT] [--repeats N] [--only NAME]`: timings of the transition solver
// against the targets of docs/performance.md. Figures, each median and min over
// repeated runs: the baseline path solved cold and warm-started (tolerances chosen for 1e-8 in
// sn∞, checked against a tight reference solve), one solve on `footloose path`'s default threads
// (a persistent WorkerTeam) and again on 1 thread, one forward CVODE integration of the converged
// path (the "one-pass" floor), the 30-point λR sweep on 1 and 2 threads, the whole program
// `footloose path --json FILE` start to exit, and resident memory
// (one path; warm-started sweep, 1,000 points by default). Never used for timed assertions in
// tests.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "src/cli.hpp"

namespace footloose {

struct BenchSettings {
  int repeats = 7;   // cold, warm, one_pass; the sweeps use min(repeats, 3)
  std::string only;  // "" = the default set; else one section (see bench_sections())
  // Tolerances of the timed solves: the loosest pair found (--only tolerances) whose sn∞ is
  // within 1e-8 of the reference with a 100× margin (docs/performance.md).
  double rtol = 1e-8;
  double newton_tolerance = 1e-6;
  int memory_points = 1000;  // the memory sweep's warm-started chain, a multiple of 100
  bool reference = true;     // the tight reference solve (accuracy figures); off for profiling
  bool progress = true;      // one line per step on stderr
};

// Section names accepted by --only: cold, warm, one_pass, sweep, process, memory, tolerances,
// stress.
const std::vector<std::string>& bench_sections();

// Runs the benchmark, prints the table to `out` and returns the JSON document.
nlohmann::ordered_json run_bench(const BenchSettings& settings, std::ostream& out);

Command add_bench_command(CLI::App& parent, std::ostream& out);

}  // namespace footloose
