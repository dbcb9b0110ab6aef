// Parallel sweeps of transition solves (`footloose experiment`): the points are grouped in
// chains; each chain is solved in order by one worker thread, every point warm-started from the
// last converged point of its chain (solve_transition's warm_start, same TransitionOptions).
// Chains are shared out over std::thread workers; each worker owns its solver state and writes
// only its own chains' outcomes, so no mutable state is shared except the progress counter.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/transition.hpp"

namespace footloose {

struct SweepPoint {
  Parameters params;
  TradePath phi_path;
  InitialStateSpec initial;
  TransitionOptions options;  // keep them equal along a chain (warm starts need that)
};

enum class SweepStatus {
  Valid,           // converged, saddle ok, V0/V1/V2 hold: trustworthy
  Invalid,         // converged, but a saddle or validity check fails (flagged, still reported)
  Failed,          // did not converge (time limit, Newton failure) or threw
  Skipped          // not attempted: too many consecutive failures earlier in the chain
};
const char* to_string(SweepStatus status);
// Numeric code for CSV files: 1 valid, 0 invalid, -1 failed, -2 skipped.
int status_code(SweepStatus status);

struct SweepOutcome {
  SweepStatus status = SweepStatus::Skipped;
  TransitionResult result;  // path dropped unless keep_paths
  std::string error;        // exception text or solver message when Failed
  double seconds = 0.0;
};

struct SweepSettings {
  int threads = 0;                  // 0: std::thread::hardware_concurrency()
  int max_consecutive_failures = 2; // then the rest of the chain is Skipped (0: never skip)
  bool keep_paths = false;          // keep result.path (memory) — off for big sweeps
  bool cold_retry = true;           // a point whose warm-started solve fails is tried once cold
  std::string label = "sweep";      // shown on the progress bar
  bool progress = true;             // progress bar on stderr
};

// chains[i][j] → outcome[i][j]. warm_starts (optional, one per chain, may hold nullptr): a solved
// neighbour for the first point of each chain (read only; must outlive the call).
std::vector<std::vector<SweepOutcome>> run_sweep(const std::vector<std::vector<SweepPoint>>& chains,
                                                 const SweepSettings& settings,
                                                 const std::vector<const TransitionResult*>& warm_starts = {});

// Progress bar on stderr: redrawn in place (\r) on a terminal, one line per ~10% otherwise.
class ProgressBar {
 public:
  ProgressBar(std::string label, std::size_t total, bool enabled = true);
  void update(std::size_t done, std::size_t failed);  // thread-safe use: call under a lock
  void finish(std::size_t failed);

 private:
  std::string label_;
  std::size_t total_;
  bool enabled_, tty_;
  int last_decile_ = -1;
  double start_;
};

}  // namespace footloose
