// Threads that share loops with the calling thread, for the per-point and per-interval loops of
// one solve (the collocation residual, Newton matrices, back-substitutions). Generic numerics.
//
//   WorkerTeam team(2);                          // the caller + 1 helper thread
//   team.run(n, [&](int begin, int end) { for (int k = begin; k < end; ++k) work(k); });
//
// run(n, body) cuts [0, n) into threads() contiguous pieces (piece j: [n·j/T, n·(j+1)/T)),
// gives the first to the calling thread and one to each helper, and returns when all are done.
// Which thread runs a piece never changes what it computes: a loop whose iterations are
// independent gives the same bits on any number of threads.
//
// Between runs a helper spins for `spin_microseconds` (a solve calls run() every few tens of
// microseconds: a wake-up from sleep costs more), then sleeps until the next run.
// An exception thrown by body is rethrown by run() (the calling thread's first, else the
// lowest piece's), after every piece has finished.
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
  void helper_loop(int index);

  const double spin_microseconds_;
  std::vector<std::thread> helpers_;
  std::vector<std::exception_ptr> errors_;  // one per helper, for the current run
  std::atomic_flag busy_ = ATOMIC_FLAG_INIT;
  // The current run, published by `generation_`.
  Piece piece_ = nullptr;
  void* context_ = nullptr;
  int n_ = 0;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> remaining_{0};  // helpers still running the current run's pieces
  std::atomic<int> sleepers_{0};   // helpers waiting on wake_
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace footloose::solvers
