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
#include <thread>
#include <vector>

#include "solvers/worker_team.hpp"

using footloose::solvers::WorkerTeam;

TEST_CASE("WorkerTeam covers every index once, in pieces on distinct threads", "[worker_team]") {
  for (int threads : {1, 2, 3}) {
    WorkerTeam team(threads);
    REQUIRE(team.threads() == threads);
    for (int n : {0, 1, 2, 5, 624, 1001}) {
      std::vector<int> hits(n, 0);
      std::vector<std::thread::id> owner(n);
      team.run(n, [&](int begin, int end) {
        for (int k = begin; k < end; ++k) {
          ++hits[k];
          owner[k] = std::this_thread::get_id();
        }
      });
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
      const std::set<std::thread::id> ids(owner.begin(), owner.end());
      // n ≥ threads: one piece per thread, the caller's first
      if (n >= threads && n >= 2) {
        CHECK(static_cast<int>(ids.size()) == threads);
        CHECK(owner[0] == std::this_thread::get_id());
      }
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

TEST_CASE("WorkerTeam rethrows a piece's exception after all pieces finished", "[worker_team]") {
  WorkerTeam team(2);
  const int n = 100;
  for (int bad : {3, 97}) {  // in the caller's piece, in the helper's
    std::vector<int> hits(n, 0);
    CHECK_THROWS_WITH(team.run(n,
                               [&](int begin, int end) {
                                 for (int k = begin; k < end; ++k) {
                                   if (k == bad) throw std::runtime_error("bad index");
                                   ++hits[k];
                                 }
                               }),
                      "bad index");
    // the other piece ran to its end
    const int other_begin = bad < n / 2 ? n / 2 : 0, other_end = bad < n / 2 ? n : n / 2;
    for (int k = other_begin; k < other_end; ++k) REQUIRE(hits[k] == 1);
    // and the team is usable afterwards
    int sum = 0;
    std::atomic<int> total{0};
    team.run(n, [&](int begin, int end) { total += end - begin; });
    sum = total;
    CHECK(sum == n);
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
  WorkerTeam team(2, 0.0);  // no spinning: every run wakes a sleeping helper
  for (int repeat = 0; repeat < 20; ++repeat) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::vector<std::thread::id> owner(10);
    team.run(10, [&](int begin, int end) {
      for (int k = begin; k < end; ++k) owner[k] = std::this_thread::get_id();
    });
    REQUIRE(owner[9] != std::this_thread::get_id());
  }
}
