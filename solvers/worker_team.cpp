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

constexpr int kChunksPerThread = 4;

// The first index of chunk j of `chunks` over [0, n)
int chunk_begin(int n, int j, int chunks) {
  return static_cast<int>(static_cast<long long>(n) * j / chunks);
}

}  // namespace

WorkerTeam::WorkerTeam(int threads, double spin_microseconds)
    : spin_microseconds_(std::max(0.0, spin_microseconds)) {
  if (threads < 1) throw std::invalid_argument("WorkerTeam: threads must be >= 1");
  own_ = std::vector<OwnChunks>(threads);
  helpers_.reserve(threads - 1);
  for (int i = 1; i < threads; ++i) helpers_.emplace_back([this, i] { helper_loop(i); });
}

WorkerTeam::~WorkerTeam() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true);
  }
  wake_.notify_all();
  for (auto& helper : helpers_) helper.join();
}

void WorkerTeam::take_chunks(int self) {
  const int T = threads();
  for (int r = 0; r < T; ++r) {  // its own chunks first, then the others' not yet begun
    OwnChunks& chunks = own_[(self + r) % T];
    for (;;) {
      const int j = chunks.next.fetch_add(1, std::memory_order_relaxed);
      if (j >= chunks.end) break;
      run_chunk(j);
    }
  }
}

void WorkerTeam::run_chunk(int j) {
  try {
    piece_(context_, chunk_begin(n_, j, chunks_), chunk_begin(n_, j + 1, chunks_));
  } catch (...) {
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (!error_ || j < failed_chunk_) {
      failed_chunk_ = j;
      error_ = std::current_exception();
    }
  }
  finished_chunks_.fetch_add(1, std::memory_order_release);
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
  chunks_ = std::min(n, kChunksPerThread * T);
  for (int t = 0; t < T; ++t) {
    own_[t].next.store(chunk_begin(chunks_, t, T), std::memory_order_relaxed);
    own_[t].end = chunk_begin(chunks_, t + 1, T);
  }
  finished_chunks_.store(0, std::memory_order_relaxed);
  error_ = nullptr;
  open_.store(true);
  generation_.fetch_add(1);  // publishes the run (sequentially consistent, see helper_loop)
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lock(mutex_); }
    wake_.notify_all();
  }
  take_chunks(0);
  // Chunks a helper has begun: wait for them (spinning, then yielding the core, which the
  // helper may be waiting for).
  for (int polls = 0; finished_chunks_.load(std::memory_order_acquire) < chunks_; ++polls) {
    if (polls < 4096)
      FOOTLOOSE_SPIN_PAUSE();
    else
      std::this_thread::yield();
  }
  // Close the run; a helper that announced itself before the close may still be reading its
  // fields (it finds no chunk left): wait for it. One that announces itself later sees the
  // close and leaves without reading them (both sides sequentially consistent: Dekker).
  open_.store(false);
  while (active_helpers_.load() > 0) std::this_thread::yield();
  std::exception_ptr error = std::move(error_);
  error_ = nullptr;
  busy_.clear(std::memory_order_release);
  if (error) std::rethrow_exception(error);
}

void WorkerTeam::helper_loop(int self) {
  using Clock = std::chrono::steady_clock;
  std::uint64_t seen = 0;
  const auto micros = [](double us) {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double, std::micro>(us));
  };
  const auto spin = micros(spin_microseconds_), pause_only = micros(10.0);
  for (;;) {
    // Wait for a new generation: spin (pausing, then yielding the core), then sleep.
    const auto start = Clock::now();
    bool yielding = false;
    for (int polls = 1; generation_.load(std::memory_order_acquire) == seen && !stop_.load();
         ++polls) {
      if (yielding)
        std::this_thread::yield();
      else
        FOOTLOOSE_SPIN_PAUSE();
      if (polls % 64 != 0) continue;
      const auto waited = Clock::now() - start;
      yielding = waited > pause_only;
      if (waited > spin) {
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
    seen = generation_.load();
    active_helpers_.fetch_add(1);
    if (open_.load() && generation_.load() == seen) take_chunks(self);  // else: run over, or newer
    active_helpers_.fetch_sub(1);
  }
}

}  // namespace footloose::solvers
