#include "src/sweep_runner.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <iterator>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "src/sweep.hpp"

namespace footloose {

namespace {

using ChainSource = std::function<std::optional<std::size_t>()>;

struct FinishedPoint {
  std::size_t point = 0;
  SweepRow row;
};

// Finished points, from the worker threads to the thread that hands them on.
class FinishedQueue {
 public:
  explicit FinishedQueue(int workers) : workers_left_(workers) {}

  void push(FinishedPoint finished) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(finished));
    ready_.notify_one();
  }
  void worker_done(std::exception_ptr failure = nullptr) {
    std::lock_guard<std::mutex> lock(mutex_);
    --workers_left_;
    if (failure && !failure_) failure_ = failure;
    ready_.notify_one();
  }
  // Moves the finished points into `out`, waiting up to `wait` for one. True once every worker has
  // ended and everything was taken. Rethrows a worker's exception.
  bool take(std::vector<FinishedPoint>& out, std::chrono::milliseconds wait) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait_for(lock, wait, [&] { return !queue_.empty() || workers_left_ == 0; });
    if (failure_) std::rethrow_exception(failure_);
    std::move(queue_.begin(), queue_.end(), std::back_inserter(out));
    queue_.clear();
    return workers_left_ == 0;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<FinishedPoint> queue_;
  int workers_left_;
  std::exception_ptr failure_;
};

// A process other than rank 0: the chains rank 0 granted, for its worker threads.
class ChainInbox {
 public:
  // The next chain; waits for one; nothing once closed.
  std::optional<std::size_t> take() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    ready_.wait(lock, [&] { return !chains_.empty() || closed_; });
    --waiting_;
    if (chains_.empty()) return std::nullopt;
    const std::size_t chain = chains_.front();
    chains_.pop_front();
    return chain;
  }
  void push(std::size_t chain) {
    std::lock_guard<std::mutex> lock(mutex_);
    chains_.push_back(chain);
    ready_.notify_one();
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  // A thread waits and no chain is at hand.
  bool wants_chain() {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_ > 0 && chains_.empty() && !closed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::size_t> chains_;
  int waiting_ = 0;
  bool closed_ = false;
};

// One worker thread: chains from `next_chain` one after another, a row per point into `queue`,
// until there is none or `stop` (Ctrl-C) or `quit` (an error elsewhere) is set.
void solve_chains(const SweepSpace& space, const std::vector<std::vector<std::size_t>>& chains,
                  const ChainSource& next_chain, double time_limit, const std::atomic<bool>& stop,
                  const std::atomic<bool>& quit, FinishedQueue& queue) {
  SweepSettings settings;
  settings.threads = 1;
  settings.progress = false;
  settings.keep_paths = true;  // the warm start of the next point
  settings.max_consecutive_failures = 0;
  try {
    for (auto c = next_chain(); c && !stop && !quit; c = next_chain()) {
      std::optional<TransitionResult> warm;
      for (const std::size_t point : chains[*c]) {
        if (stop || quit) break;
        const RunConfig config = space.config(point);
        TransitionOptions options = transition_options(config);
        options.threads = 1;  // one chain per worker thread and process: 1 thread per solve
        if (time_limit > 0) options.time_limit = time_limit;
        SweepOutcome outcome = std::move(
            run_sweep({{sweep_point(config, options)}}, settings, {warm ? &*warm : nullptr})[0][0]);
        SweepRow row = space.value_texts(point);
        for (auto& cell : sweep_result_cells(outcome)) row.push_back(std::move(cell));
        queue.push({point, std::move(row)});
        if (outcome.solved() && outcome.result.converged) warm = std::move(outcome.result);
      }
    }
    queue.worker_done();
  } catch (...) {
    queue.worker_done(std::current_exception());
  }
}

// Worker threads, joined however the scope is left; on an exception `abandon` is called first (it
// must make the workers stop).
class Workers {
 public:
  explicit Workers(std::function<void()> abandon) : abandon_(std::move(abandon)) {}
  ~Workers() {
    if (std::uncaught_exceptions() > 0) abandon_();
    for (auto& thread : threads_) thread.join();
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  template <class Function>
  void start(int count, Function function) {
    for (int i = 0; i < count; ++i) threads_.emplace_back(function);
  }

 private:
  std::function<void()> abandon_;
  std::vector<std::thread> threads_;
};

// A finished point between processes: "<point>\x1f<cell>\x1f<cell>..." (cells hold no \x1f).
constexpr char kSeparator = '\x1f';

std::string encode(const FinishedPoint& finished) {
  std::string text = std::to_string(finished.point);
  for (const auto& cell : finished.row) text += kSeparator + cell;
  return text;
}

FinishedPoint decode(const std::string& text) {
  FinishedPoint finished;
  std::size_t start = text.find(kSeparator);
  finished.point = std::stoull(text.substr(0, start));
  while (start != std::string::npos) {
    const std::size_t end = text.find(kSeparator, start + 1);
    finished.row.push_back(
        text.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1));
    start = end;
  }
  return finished;
}

// Rank 0: its own threads take chains directly; the other processes' requests are answered, their
// rows received, until all are done.
void run_root(SweepCluster& cluster, const SweepSpace& space,
              const std::vector<std::vector<std::size_t>>& chains, const SweepRunSettings& settings,
              const std::function<void(std::size_t, SweepRow)>& on_row,
              const std::atomic<bool>& stop, int threads) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> quit{false};
  const ChainSource take = [&]() -> std::optional<std::size_t> {
    if (stop || quit) return std::nullopt;
    const std::size_t chain = next++;
    if (chain >= chains.size()) return std::nullopt;
    return chain;
  };
  FinishedQueue queue(threads);
  Workers workers([&] { quit = true; });
  workers.start(threads,
                [&] { solve_chains(space, chains, take, settings.time_limit, stop, quit, queue); });
  int ranks_done = 1;
  bool local_done = false;
  std::vector<FinishedPoint> finished;
  while (!local_done || ranks_done < cluster.size()) {
    if (!local_done)
      local_done = queue.take(finished, std::chrono::milliseconds(20));
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    while (auto message = cluster.receive()) {
      const char kind = message->text.empty() ? '?' : message->text[0];
      if (kind == 'C') {
        const auto chain = take();
        cluster.send(message->from, chain ? "N" + std::to_string(*chain) : "E");
      } else if (kind == 'R') {
        finished.push_back(decode(message->text.substr(1)));
      } else if (kind == 'D') {
        ++ranks_done;
      } else {
        throw std::runtime_error("sweep: unexpected message from rank " +
                                 std::to_string(message->from));
      }
    }
    for (auto& point : finished) on_row(point.point, std::move(point.row));
    finished.clear();
  }
}

// Another process: chains asked from rank 0 while a thread is free; rows sent as they finish.
void run_other(SweepCluster& cluster, const SweepSpace& space,
               const std::vector<std::vector<std::size_t>>& chains,
               const SweepRunSettings& settings, const std::atomic<bool>& stop, int threads) {
  ChainInbox inbox;
  std::atomic<bool> quit{false};
  FinishedQueue queue(threads);
  Workers workers([&] {
    quit = true;
    inbox.close();
  });
  const ChainSource take = [&] { return inbox.take(); };
  workers.start(threads,
                [&] { solve_chains(space, chains, take, settings.time_limit, stop, quit, queue); });
  bool asked = false;
  std::vector<FinishedPoint> finished;
  for (bool done = false; !done;) {
    done = queue.take(finished, std::chrono::milliseconds(20));
    for (const auto& point : finished) cluster.send(0, "R" + encode(point));
    finished.clear();
    while (auto message = cluster.receive()) {
      asked = false;
      if (!message->text.empty() && message->text[0] == 'N')
        inbox.push(std::stoull(message->text.substr(1)));
      else
        inbox.close();
    }
    if (stop) inbox.close();
    if (!asked && inbox.wants_chain()) {
      cluster.send(0, "C");
      asked = true;
    }
  }
  cluster.send(0, "D");
}

}  // namespace

void run_sweep_chains(SweepCluster& cluster, const SweepSpace& space,
                      const std::vector<std::vector<std::size_t>>& chains,
                      const SweepRunSettings& settings,
                      const std::function<void(std::size_t point, SweepRow row)>& on_row,
                      const std::atomic<bool>& stop) {
  const int threads = std::max(0, std::min<int>(settings.threads, int(chains.size())));
  if (cluster.is_root())
    run_root(cluster, space, chains, settings, on_row, stop, threads);
  else
    run_other(cluster, space, chains, settings, stop, threads);
}

}  // namespace footloose
