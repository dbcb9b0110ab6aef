#include "solvers/worker_team.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FOOTLOOSE_SPIN_PAUSE() _mm_pause()
#else
#define FOOTLOOSE_SPIN_PAUSE() std::this_thread::yield()
#endif

namespace footloose::solvers {

namespace {

// [begin, end) of piece j of T over [0, n)
int piece_begin(int n, int j, int T) {
  return static_cast<int>(static_cast<long long>(n) * j / T);
}

}  // namespace

WorkerTeam::WorkerTeam(int threads, double spin_microseconds)
    : spin_microseconds_(std::max(0.0, spin_microseconds)) {
  if (threads < 1) throw std::invalid_argument("WorkerTeam: threads must be >= 1");
  errors_.resize(threads - 1);
  helpers_.reserve(threads - 1);
  for (int i = 0; i < threads - 1; ++i) helpers_.emplace_back([this, i] { helper_loop(i); });
}

WorkerTeam::~WorkerTeam() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  wake_.notify_all();
  for (auto& helper : helpers_) helper.join();
}

void WorkerTeam::run_erased(int n, Piece piece, void* context) {
  const int T = threads();
  if (T <= 1 || n < 2 || busy_.test_and_set(std::memory_order_acquire)) {
    if (n > 0) piece(context, 0, n);  // alone, or the team is busy: the whole loop here
    return;
  }
  piece_ = piece;
  context_ = context;
  n_ = n;
  std::fill(errors_.begin(), errors_.end(), nullptr);
  remaining_.store(T - 1);
  generation_.fetch_add(1);  // publishes the run (sequentially consistent, see helper_loop)
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lock(mutex_); }
    wake_.notify_all();
  }
  std::exception_ptr mine;
  try {
    piece(context, 0, piece_begin(n, 1, T));
  } catch (...) {
    mine = std::current_exception();
  }
  while (remaining_.load(std::memory_order_acquire) > 0) FOOTLOOSE_SPIN_PAUSE();
  std::exception_ptr first = mine;
  for (const auto& e : errors_)
    if (!first && e) first = e;
  busy_.clear(std::memory_order_release);
  if (first) std::rethrow_exception(first);
}

void WorkerTeam::helper_loop(int index) {
  using Clock = std::chrono::steady_clock;
  std::uint64_t seen = 0;
  const auto spin = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::micro>(spin_microseconds_));
  for (;;) {
    // Wait for a new generation: spin, then sleep.
    const auto spin_until = Clock::now() + spin;
    int polls = 0;
    while (generation_.load(std::memory_order_acquire) == seen && !stop_.load()) {
      FOOTLOOSE_SPIN_PAUSE();
      if (++polls % 64 == 0 && Clock::now() > spin_until) {
        // No lost wake-up: the caller bumps generation_ before reading sleepers_, this thread
        // counts itself in sleepers_ before reading generation_ again under the mutex
        // (both sequentially consistent).
        sleepers_.fetch_add(1);
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load() != seen || stop_.load(); });
        sleepers_.fetch_sub(1);
        break;
      }
    }
    if (stop_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    const int T = threads(), j = index + 1;
    try {
      const int begin = piece_begin(n_, j, T), end = piece_begin(n_, j + 1, T);
      if (begin < end) piece_(context_, begin, end);
    } catch (...) {
      errors_[index] = std::current_exception();
    }
    remaining_.fetch_sub(1, std::memory_order_release);
  }
}

}  // namespace footloose::solvers
