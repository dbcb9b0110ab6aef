// Parallel sweeps of transition solves (`footloose experiment`, `footloose bench`): the points are
// grouped in chains; each chain is solved in order by one worker thread, every point warm-started
// from the last converged point of its chain (solve_transition's warm_start, same
// TransitionOptions). Chains are shared out over std::thread workers; each worker owns its solver
// state and writes only its own chains' outcomes, so no mutable state is shared except the
// progress counter. run_anchored_lines builds the usual chains on top: solve an anchor, then
// warm-started chains up and down from it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "models/transition.hpp"
#include "src/config.hpp"
#include "src/path_answer.hpp"

namespace footloose {

struct SweepPoint {
  Parameters params;
  TradePath phi_path;
  InitialStateSpec initial;
  // Keep them equal along a chain (warm starts need that). threads and team are ignored: a sweep
  // runs one chain per worker thread (or process), each solve on 1 thread (run_sweep).
  TransitionOptions options;
  // The model variant (docs/model.md Section 6) and its solver's options; the variants are
  // solved cold at every point (warm starts are the single-front solver's).
  RelocationModel relocation = RelocationModel::Front;
  RelocationTiming timing = RelocationTiming::Sequential;
  TypeResolvedOptions type_resolved;
  OptimalTimingOptions optimal_timing;
  bool is_variant() const {
    return relocation != RelocationModel::Front || timing != RelocationTiming::Sequential;
  }
};
// The point of one configuration (its parameters, trade path and initial state) with `options`.
SweepPoint sweep_point(const RunConfig& config, const TransitionOptions& options);

enum class SweepStatus {
  Valid,    // converged, saddle ok, V0/V1/V2 hold: trustworthy
  Invalid,  // converged, but a saddle or validity check fails (flagged, still reported)
  Failed,   // did not converge (time limit, Newton failure) or threw
  Skipped   // not attempted: too many consecutive failures earlier in the chain
};
const char* to_string(SweepStatus status);
// A point of a model variant, solved cold (docs/model.md Section 6).
PathAnswer solve_variant_answer(const SweepPoint& point);
// Numeric code for CSV files: 1 valid, 0 invalid, -1 failed, -2 skipped.
int status_code(SweepStatus status);

struct SweepOutcome {
  SweepStatus status = SweepStatus::Skipped;
  TransitionResult result;  // single front: path dropped unless keep_paths
  PathAnswer answer;        // the long-run answer under any model (what sweep files tabulate)
  std::string error;        // exception text or solver message when Failed
  double seconds = 0.0;
  bool solved() const { return status == SweepStatus::Valid || status == SweepStatus::Invalid; }
};

struct SweepSettings {
  int threads = 0;                   // 0: std::thread::hardware_concurrency()
  int max_consecutive_failures = 2;  // then the rest of the chain is Skipped (0: never skip)
  bool keep_paths = false;           // keep result.path (memory) — off for big sweeps
  bool cold_retry = true;            // a point whose warm-started solve fails is tried once cold
  // Warm starts begin on the cold start's coarse mesh (TransitionOptions::
  // warm_start_on_coarse_mesh): a chain's meshes, its time per point and its memory stay flat.
  bool coarse_warm_meshes = true;
  std::string label = "sweep";  // shown on the progress bar
  bool progress = true;         // progress bar on stderr
};

// chains[i][j] → outcome[i][j]. warm_starts (optional, one per chain, may hold nullptr): a solved
// neighbour for the first point of each chain (read only; must outlive the call).
std::vector<std::vector<SweepOutcome>> run_sweep(
    const std::vector<std::vector<SweepPoint>>& chains, const SweepSettings& settings,
    const std::vector<const TransitionResult*>& warm_starts = {});

// A line of points through an anchor (one axis of a grid, the other coordinates fixed).
struct AnchoredLine {
  std::vector<SweepPoint> points;  // in axis order
  std::size_t anchor = 0;          // index in points of the point solved first
};

// "Solve an anchor, then warm-started chains up and down": stage 1 solves the anchors, as the
// chains anchor_chains lists (line indices; along such a chain each anchor is warm-started from
// the previous one; the first cold), keeping their paths and skipping nothing. Stage 2 solves,
// for every line, one chain up (anchor+1, ..., last) and one down (anchor−1, ..., 0), each
// warm-started from the line's anchor (cold where the anchor failed). Every line's anchor must be
// in exactly one anchor chain. Progress bars "<label> anchors", then "<label>".
// Returns outcomes[line][i] for lines[line].points[i].
std::vector<std::vector<SweepOutcome>> run_anchored_lines(
    const std::vector<AnchoredLine>& lines,
    const std::vector<std::vector<std::size_t>>& anchor_chains, const SweepSettings& settings);

// One line cut into `pieces` consecutive lines of about equal length (pieces is clamped to
// [1, points]), so that run_anchored_lines can share it over that many threads: the piece that
// holds the line's anchor keeps it, every other piece is anchored at its middle (solved cold when
// its anchor chain is its own). Two pieces of the 30-point λR line anchored at index 7: [0, 15)
// at 7 and [15, 30) at 22, four chains of 7. The pieces' outcomes in order are the line's.
std::vector<AnchoredLine> split_anchored_line(const AnchoredLine& line, std::size_t pieces);

// A grid of groups × outer × inner points laid out for run_anchored_lines: one line along the inner
// axis per (group, outer) pair, line index group · outer_count + outer, anchored at inner index
// `anchor`; one anchor chain per group, through the outer axis in order.
struct AnchoredGrid {
  std::vector<AnchoredLine> lines;
  std::vector<std::vector<std::size_t>> anchor_chains;
};
AnchoredGrid anchored_grid(std::size_t group_count, std::size_t outer_count,
                           std::size_t inner_count, std::size_t anchor,
                           const std::function<SweepPoint(std::size_t group, std::size_t outer,
                                                          std::size_t inner)>& point);

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
