// footloose-matrix-bench: a micro-benchmark of the collocation Newton matrix's direct solve
// (solvers/collocation_matrix.hpp) at a given size (default: the baseline path problem, n = 6
// states, m = 3 left free, p = 1 parameter, N = 311 intervals). Random blocks with a fixed seed:
// factorize(), factorize_right_rows(), solve() and solve() with the right rows replaced, each
// timed over several rounds (median and min per call, in this thread's CPU time). Then factorize()
// and the solves on the calling thread alone and with a WorkerTeam (--threads, default 2), in
// wall-clock time, rounds alternating between the two; the answers with the team must be the same
// bits (exit 1 otherwise). The printed digests of the solutions tell whether two builds give
// bit-identical answers.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "solvers/collocation_matrix.hpp"
#include "solvers/worker_team.hpp"

using footloose::solvers::CollocationMatrix;
using footloose::solvers::WorkerTeam;

namespace {

struct Figure {
  double median_us = 0.0, min_us = 0.0;
};

// This thread's CPU time (µs): less disturbed than the wall clock on a shared machine.
double thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return 1e6 * static_cast<double>(t.tv_sec) + 1e-3 * static_cast<double>(t.tv_nsec);
}

// Runs `call` `per_round` times per round over `rounds` rounds: per-call median and min.
template <class Call>
Figure time_calls(int rounds, int per_round, const Call& call) {
  std::vector<double> per_call;
  for (int r = 0; r < rounds; ++r) {
    const double start = thread_cpu_us();
    for (int k = 0; k < per_round; ++k) call();
    per_call.push_back((thread_cpu_us() - start) / per_round);
  }
  std::sort(per_call.begin(), per_call.end());
  return {per_call[per_call.size() / 2], per_call.front()};
}

double wall_us() {
  return 1e-3 * static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

Figure median_min(std::vector<double> per_call) {
  std::sort(per_call.begin(), per_call.end());
  return {per_call[per_call.size() / 2], per_call.front()};
}

// Wall-clock time per call of `call(team)` with team = nullptr and with `team`, rounds of
// `per_round` calls alternating between the two: {alone, with the team}.
template <class Call>
std::pair<Figure, Figure> time_alone_and_team(int rounds, int per_round, WorkerTeam& team,
                                              const Call& call) {
  std::vector<double> alone, with_team;
  for (int r = 0; r < rounds; ++r)
    for (WorkerTeam* t : {static_cast<WorkerTeam*>(nullptr), &team}) {
      const double start = wall_us();
      for (int k = 0; k < per_round; ++k) call(t);
      (t ? with_team : alone).push_back((wall_us() - start) / per_round);
    }
  return {median_min(alone), median_min(with_team)};
}

// FNV-1a over the bits of the doubles: equal digests, bit-identical vectors (almost surely).
std::uint64_t digest(const std::vector<double>& v) {
  std::uint64_t h = 1469598103934665603ull;
  for (const double x : v) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    for (int byte = 0; byte < 8; ++byte) {
      h ^= (bits >> (8 * byte)) & 0xff;
      h *= 1099511628211ull;
    }
  }
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 6, m = 3, p = 1, N = 311, rounds = 15, per_round = 200, threads = 2;
  for (int a = 1; a + 1 < argc; a += 2) {
    const std::string key = argv[a];
    const int value = std::atoi(argv[a + 1]);
    if (key == "--n")
      n = value;
    else if (key == "--m")
      m = value;
    else if (key == "--p")
      p = value;
    else if (key == "--N")
      N = value;
    else if (key == "--rounds")
      rounds = value;
    else if (key == "--per-round")
      per_round = value;
    else if (key == "--threads")
      threads = value;
    else {
      std::fprintf(stderr,
                   "usage: %s [--n N] [--m M] [--p P] [--N INTERVALS] [--rounds R] "
                   "[--per-round K] [--threads T]\n",
                   argv[0]);
      return 2;
    }
  }
  std::mt19937 rng(20261201);
  std::uniform_real_distribution<double> entry(-1.0, 1.0);
  CollocationMatrix A(n, m, p, N);
  for (int k = 0; k < n * (m + n); ++k) A.left_block()[k] = entry(rng);
  for (int i = 0; i < N; ++i)
    for (int k = 0; k < 6 * n * n; ++k) A.interval_block(i)[k] = entry(rng);
  for (int k = 0; k < (m + p) * (n + p); ++k) A.right_block()[k] = entry(rng);
  std::vector<double> right(static_cast<std::size_t>(m + p) * (n + p));
  for (double& r : right) r = entry(rng);
  std::vector<double> b(A.size());
  for (double& v : b) v = entry(rng);

  if (!A.factorize()) {
    std::fprintf(stderr, "singular matrix\n");
    return 1;
  }
  CollocationMatrix::RightRowsReplaced replaced;
  if (!A.factorize_right_rows(right.data(), replaced)) {
    std::fprintf(stderr, "singular matrix with the right rows replaced\n");
    return 1;
  }
  std::vector<double> x = b, y = b;
  A.solve(x.data());
  A.solve(y.data(), replaced);
  std::printf("n %d m %d p %d N %d: %d unknowns\n", n, m, p, N, A.size());
  std::printf("digest solve %016llx, solve replaced %016llx\n",
              static_cast<unsigned long long>(digest(x)),
              static_cast<unsigned long long>(digest(y)));

  std::vector<double> work = b;
  const Figure solve = time_calls(rounds, per_round, [&] {
    std::copy(b.begin(), b.end(), work.begin());
    A.solve(work.data());
  });
  const Figure solve_replaced = time_calls(rounds, per_round, [&] {
    std::copy(b.begin(), b.end(), work.begin());
    A.solve(work.data(), replaced);
  });
  const Figure factorize_right =
      time_calls(rounds, per_round, [&] { A.factorize_right_rows(right.data(), replaced); });
  const Figure factorize = time_calls(rounds, std::max(1, per_round / 4), [&] { A.factorize(); });
  std::printf("%-22s %10s %10s\n", "per call (us)", "median", "min");
  std::printf("%-22s %10.2f %10.2f\n", "solve", solve.median_us, solve.min_us);
  std::printf("%-22s %10.2f %10.2f\n", "solve right replaced", solve_replaced.median_us,
              solve_replaced.min_us);
  std::printf("%-22s %10.2f %10.2f\n", "factorize_right_rows", factorize_right.median_us,
              factorize_right.min_us);
  std::printf("%-22s %10.2f %10.2f\n", "factorize", factorize.median_us, factorize.min_us);

  // With a team: the same bits, then the times alone and with it (wall clock, interleaved).
  if (threads < 1) threads = 1;
  WorkerTeam team(threads);
  if (!A.factorize(true, &team)) {
    std::fprintf(stderr, "singular matrix (with a team)\n");
    return 1;
  }
  std::vector<double> x_team = b, y_team = b;
  A.solve(x_team.data(), &team);
  A.solve(y_team.data(), replaced, &team);
  const bool same = digest(x_team) == digest(x) && digest(y_team) == digest(y);
  std::printf("with %d threads: digest solve %016llx, solve replaced %016llx (%s)\n", threads,
              static_cast<unsigned long long>(digest(x_team)),
              static_cast<unsigned long long>(digest(y_team)),
              same ? "the same bits" : "DIFFERENT BITS");
  const auto solve_team = time_alone_and_team(rounds, per_round, team, [&](WorkerTeam* t) {
    std::copy(b.begin(), b.end(), work.begin());
    A.solve(work.data(), t);
  });
  const auto solve_replaced_team = time_alone_and_team(rounds, per_round, team, [&](WorkerTeam* t) {
    std::copy(b.begin(), b.end(), work.begin());
    A.solve(work.data(), replaced, t);
  });
  const auto factorize_team = time_alone_and_team(rounds, std::max(1, per_round / 4), team,
                                                  [&](WorkerTeam* t) { A.factorize(true, t); });
  std::printf("%-22s %10s %10s %10s %10s\n", "wall per call (us)", "1 median", "1 min",
              (std::to_string(threads) + " median").c_str(),
              (std::to_string(threads) + " min").c_str());
  const auto row = [](const char* name, const std::pair<Figure, Figure>& f) {
    std::printf("%-22s %10.2f %10.2f %10.2f %10.2f\n", name, f.first.median_us, f.first.min_us,
                f.second.median_us, f.second.min_us);
  };
  row("solve", solve_team);
  row("solve right replaced", solve_replaced_team);
  row("factorize", factorize_team);
  return same ? 0 : 1;
}
