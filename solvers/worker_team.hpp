// Threads that share loops with the calling thread, for the per-point and per-interval loops of
// one solve (the collocation residual, Newton matrices, back-substitutions). Generic numerics.
//
//   WorkerTeam team(2);                          // the caller + 1 helper thread
//   team.run(n, [&](int begin, int end) { for (int k = begin; k < end; ++k) work(k); });
//
// run(n, body) cuts [0, n) into min(n, 4·threads()) contiguous chunks and calls body(begin, end)
// once per chunk, and returns when all are done. Each thread owns a contiguous run of chunks
// (the caller the first; the same points land on the same core run after run, with their
// data in its cache) and takes them in order; a thread done with its own takes the others'
// not yet begun (each run of chunks has an atomic counter). Which thread runs a chunk never
// changes what it computes: a loop whose iterations are independent gives the same bits on any
// number of threads. A helper that is slow to start (asleep, or its core busy with another
// process) only takes fewer chunks: the caller never waits for a chunk nobody has begun.
//
// Between runs a helper spins for `spin_microseconds` (a solve calls run() every few tens of
// microseconds: a wake-up from sleep costs more), yielding its core after the first 10 µs,
// then sleeps until the next run.
// An exception thrown by body ends its chunk; the other chunks still run, and run() rethrows
// the exception of the lowest chunk that threw: the one a serial loop would have met first.
// run() is safe to call from several threads at once and from inside a body: a call that finds
// the team busy runs its whole loop on the calling thread. threads() ≤ 1 or n < 2: no helper
// is involved.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace footloose::solvers {

class WorkerTeam {
 public:
  // threads: the calling thread included (≥ 1; 1 = no helper thread is started).
  explicit WorkerTeam(int threads, double spin_microseconds = 200.0);
  ~WorkerTeam();  // stops and joins the helpers
  WorkerTeam(const WorkerTeam&) = delete;
  WorkerTeam& operator=(const WorkerTeam&) = delete;

  int threads() const { return static_cast<int>(helpers_.size()) + 1; }

  // body(int begin, int end) on the pieces of [0, n); see the top of this file.
  template <class Body>
  void run(int n, Body&& body) {
    using B = std::remove_reference_t<Body>;
    run_erased(
        n, [](void* context, int begin, int end) { (*static_cast<B*>(context))(begin, end); },
        const_cast<void*>(static_cast<const void*>(&body)));
  }

 private:
  using Piece = void (*)(void* context, int begin, int end);
  void run_erased(int n, Piece piece, void* context);
  void take_chunks(int self);  // thread `self` (0: the caller) runs chunks until none is left
  void run_chunk(int j);
  void helper_loop(int self);

  const double spin_microseconds_;
  std::vector<std::thread> helpers_;
  std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
  // The current run, published by `generation_` while `open_`.
  Piece piece_ = nullptr;
  void* context_ = nullptr;
  int n_ = 0, chunks_ = 0;
  struct alignas(64) OwnChunks {  // a thread's chunks [first, end): the next one not yet taken
    std::atomic<int> next{0};
    int end = 0;
  };
  std::vector<OwnChunks> own_;  // per thread
  std::atomic<int> finished_chunks_{0};
  std::atomic<int> active_helpers_{0};  // helpers inside the current run (may read its fields)
  std::atomic<bool> open_{false};       // a run is in progress: helpers may join it
  std::atomic<std::uint64_t> generation_{0};
  std::mutex error_mutex_;  // the lowest chunk that threw, and its exception
  int failed_chunk_ = 0;
  std::exception_ptr error_;
  std::atomic<int> sleepers_{0};  // helpers waiting on wake_
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

// team->run(n, body) when there is a team, else body(0, n) on the calling thread (n > 0).
template <class Body>
void run_on(WorkerTeam* team, int n, Body&& body) {
  if (team)
    team->run(n, body);
  else if (n > 0)
    body(0, n);
}

}  // namespace footloose::solvers
