// solvers/worker_team.hpp: the pieces cover [0, n) exactly once, on the threads promised; results
// do not depend on the number of threads; exceptions come back; concurrent and nested callers
// fall back to running the loop alone; helpers wake from sleep.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "solvers/worker_team.hpp"

using footloose::solvers::WorkerTeam;

TEST_CASE("WorkerTeam covers every index once, in contiguous chunks, on its threads",
          "[worker_team]") {
  for (int threads : {1, 2, 3}) {
    WorkerTeam team(threads);
    REQUIRE(team.threads() == threads);
    for (int n : {0, 1, 2, 5, 624, 1001}) {
      std::vector<int> hits(n, 0);
      std::vector<std::thread::id> owner(n);
      std::atomic<int> calls{0};
      team.run(n, [&](int begin, int end) {
        ++calls;
        for (int k = begin; k < end; ++k) {
          ++hits[k];
          owner[k] = std::this_thread::get_id();
        }
      });
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
      // one call per chunk: min(n, 4·threads) of them with helpers, one without
      const int chunks = threads > 1 && n >= 2 ? std::min(n, 4 * threads) : (n > 0 ? 1 : 0);
      CHECK(calls == chunks);
      const std::set<std::thread::id> ids(owner.begin(), owner.end());
      CHECK(static_cast<int>(ids.size()) <= threads);
    }
  }
}

TEST_CASE("WorkerTeam results are the same bits on 1 and 2 threads", "[worker_team]") {
  const int n = 2000;
  const auto fill = [n](WorkerTeam& team) {
    std::vector<double> out(n);
    team.run(n, [&](int begin, int end) {
      for (int k = begin; k < end; ++k) out[k] = std::pow(1.0 + k * 1e-3, 0.37) + std::log1p(k);
    });
    return out;
  };
  WorkerTeam one(1), two(2);
  const std::vector<double> a = fill(one);
  for (int repeat = 0; repeat < 50; ++repeat) REQUIRE(fill(two) == a);
}

TEST_CASE("WorkerTeam rethrows the lowest failing chunk's exception after all chunks ran",
          "[worker_team]") {
  WorkerTeam team(2);
  const int n = 100;  // 8 chunks of 12 or 13
  for (int first_bad : {3, 60, 97}) {
    std::vector<int> hits(n, 0);
    const auto body = [&](int begin, int end) {
      for (int k = begin; k < end; ++k) {
        if (k == first_bad || k == 98) throw std::runtime_error("bad index " + std::to_string(k));
        ++hits[k];
      }
    };
    CHECK_THROWS_WITH(team.run(n, body), "bad index " + std::to_string(first_bad));
    // every chunk without a bad index ran to its end
    for (int j = 0; j < 8; ++j) {
      const int begin = n * j / 8, end = n * (j + 1) / 8;
      if ((first_bad >= begin && first_bad < end) || (98 >= begin && 98 < end)) continue;
      for (int k = begin; k < end; ++k) REQUIRE(hits[k] == 1);
    }
    std::atomic<int> total{0};  // and the team is usable afterwards
    team.run(n, [&](int begin, int end) { total += end - begin; });
    CHECK(total == n);
  }
}

TEST_CASE("WorkerTeam: concurrent and nested callers run their loop alone", "[worker_team]") {
  WorkerTeam team(2);
  const int n = 5000;
  std::vector<double> a(n), b(n);
  const auto loop = [&](std::vector<double>& out, double scale) {
    for (int repeat = 0; repeat < 200; ++repeat) {
      team.run(n, [&](int begin, int end) {
        for (int k = begin; k < end; ++k) out[k] = scale * k + repeat;
      });
    }
  };
  std::thread other([&] { loop(b, 3.0); });
  loop(a, 2.0);
  other.join();
  for (int k = 0; k < n; ++k) {
    REQUIRE(a[k] == 2.0 * k + 199);
    REQUIRE(b[k] == 3.0 * k + 199);
  }
  // nested: the inner run finds the team busy and covers its loop on the calling thread
  std::vector<int> inner_hits(64 * 10, 0);
  team.run(10, [&](int begin, int end) {
    for (int i = begin; i < end; ++i)
      team.run(64, [&](int b0, int b1) {
        for (int k = b0; k < b1; ++k) ++inner_hits[i * 64 + k];
      });
  });
  CHECK(std::all_of(inner_hits.begin(), inner_hits.end(), [](int h) { return h == 1; }));
}

TEST_CASE("WorkerTeam helpers wake from sleep", "[worker_team]") {
  WorkerTeam team(2, 0.0);  // no spinning: every run has to wake a sleeping helper
  const auto caller = std::this_thread::get_id();
  for (int repeat = 0; repeat < 20; ++repeat) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    // The caller holds its first chunk until a helper has taken one (or 5 s have passed).
    std::atomic<bool> helper_ran{false};
    team.run(10, [&](int, int) {
      if (std::this_thread::get_id() != caller) {
        helper_ran = true;
        return;
      }
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (!helper_ran && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
    });
    REQUIRE(helper_ran);
  }
}
