// Solving the chains of a sweep (src/sweep_grid.hpp) on this process's threads and on the other
// processes of the job (src/sweep_cluster.hpp), handing every finished point's row to rank 0 as
// soon as it is solved (so that it can be written at once: src/sweep_output.hpp).
//
// Each chain is solved in order by one thread, every point warm-started from the last solved point
// of its chain; each point goes through run_sweep (src/sweep.hpp) as a one-point chain, for its
// cold retry and failure handling. Chains are handed out one at a time, in the order given (put
// the longest first): rank 0's threads take the next one directly; another process asks rank 0
// for one whenever one of its threads is free. Messages to rank 0: "C" (a chain, please),
// "R<row>" (a finished point), "D" (this process is done); from rank 0: "N<chain>" or "E" (none
// left).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <vector>

#include "src/sweep_cluster.hpp"
#include "src/sweep_grid.hpp"
#include "src/sweep_output.hpp"

namespace footloose {

struct SweepRunSettings {
  int threads = 1;          // on this process
  double time_limit = 0.0;  // seconds per point; 0: the solver's default
};

// Every process calls it with the same chains. On rank 0, on_row(point, row) is called on the
// calling thread for every point of the job as it finishes, and the call returns when every
// process is done; on the others it returns when this process is done. Once `stop` is set, no
// chain and no point is started (the points in progress finish and are reported).
void run_sweep_chains(SweepCluster& cluster, const SweepSpace& space,
                      const std::vector<std::vector<std::size_t>>& chains,
                      const SweepRunSettings& settings,
                      const std::function<void(std::size_t point, SweepRow row)>& on_row,
                      const std::atomic<bool>& stop);

}  // namespace footloose
