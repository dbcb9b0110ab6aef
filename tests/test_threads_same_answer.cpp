// Threads inside one solve (TransitionOptions::threads / team, CollocationOptions::team, the
// point evaluators of BoundaryValueProblem::at_points) give the serial code's answer bit for bit:
// transition paths (cold, warm, a sweep step, stiff, a small shock), the path problem's point
// evaluator against its rhs and Jacobian, a generic BVP with and without a team, and an rhs that
// throws at a point of the helper thread's half.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "bratu_problem.hpp"
#include "models/relocation_gain_scan.hpp"
#include "models/transition.hpp"
#include "path_test_helpers.hpp"
#include "solvers/collocation.hpp"
#include "solvers/worker_team.hpp"

using namespace footloose;

namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

void check_same_mesh_solution(const solvers::MeshSolution& a, const solvers::MeshSolution& b) {
  CHECK(same_bits(a.nodes, b.nodes));
  CHECK(same_bits(a.states, b.states));
  CHECK(same_bits(a.midpoints, b.midpoints));
  CHECK(same_bits(a.left_free, b.left_free));
  CHECK(same_bits(a.params, b.params));
  CHECK(same_bits(a.time_stretch, b.time_stretch));
}

void check_same_summary(const solvers::BvpSummary& a, const solvers::BvpSummary& b) {
  CHECK(a.termination == b.termination);
  CHECK(a.newton_iterations == b.newton_iterations);
  CHECK(a.chord_iterations == b.chord_iterations);
  CHECK(a.mesh_passes == b.mesh_passes);
  CHECK(a.intervals == b.intervals);
  CHECK(same_bits(a.residual_max, b.residual_max));
  CHECK(a.error.available == b.error.available);
  CHECK(same_bits(a.error.scaled_max, b.error.scaled_max));
  CHECK(same_bits(a.error.state_abs, b.error.state_abs));
  CHECK(same_bits(a.error.left_free_abs, b.error.left_free_abs));
  CHECK(same_bits(a.error.params_abs, b.error.params_abs));
  check_same_mesh_solution(a.solution, b.solution);
}

// The path's outputs, long run, error estimate, saddle check, V0-V2 and kept mesh levels.
void check_same_result(const TransitionResult& a, const TransitionResult& b) {
  REQUIRE(a.converged);
  CHECK(b.converged);
  check_same_summary(a.bvp, b.bvp);
  REQUIRE(a.path.size() == b.path.size());
  for (size_t k = 0; k < a.path.size(); ++k) {
    CAPTURE(k);
    CHECK(std::memcmp(&a.path[k], &b.path[k], sizeof(PathPoint)) == 0);
  }
  CHECK(same_bits(a.sn_inf, b.sn_inf));
  CHECK(same_bits(a.aR_inf, b.aR_inf));
  CHECK(same_bits(a.lambda_R, b.lambda_R));
  CHECK(std::memcmp(&a.initial_state, &b.initial_state, sizeof(State)) == 0);  // W0, S0, P0
  CHECK(std::memcmp(&a.terminal_state, &b.terminal_state, sizeof(State)) == 0);
  CHECK(std::memcmp(&a.long_run, &b.long_run, sizeof(State)) == 0);
  const PathErrorEstimate &ea = a.error_estimate, &eb = b.error_estimate;
  CHECK(ea.available == eb.available);
  for (auto field : {&PathErrorEstimate::sn_inf, &PathErrorEstimate::aR_inf,
                     &PathErrorEstimate::lambda_R, &PathErrorEstimate::W0, &PathErrorEstimate::S0,
                     &PathErrorEstimate::P0, &PathErrorEstimate::path})
    CHECK(same_bits(ea.*field, eb.*field));
  CHECK(a.used_continuation == b.used_continuation);
  CHECK(a.continuation.attempts == b.continuation.attempts);
  CHECK(a.saddle.ok == b.saddle.ok);
  CHECK(same_bits(a.saddle.eigenvalues, b.saddle.eigenvalues));
  for (auto check : {&ValidityReport::v0, &ValidityReport::v1, &ValidityReport::v2}) {
    const ValidityCheck &va = a.validity.*check, &vb = b.validity.*check;
    CHECK(va.ok == vb.ok);
    CHECK(va.evaluated == vb.evaluated);
    CHECK(same_bits(va.margin, vb.margin));
    CHECK(same_bits(va.time, vb.time));
    CHECK(same_bits(va.type, vb.type));
  }
  REQUIRE((a.mesh_levels == nullptr) == (b.mesh_levels == nullptr));
  if (a.mesh_levels) {
    CHECK(same_bits(a.mesh_levels->times, b.mesh_levels->times));
    const auto &la = a.mesh_levels->levels, &lb = b.mesh_levels->levels;
    REQUIRE(la.size() == lb.size());
    for (size_t k = 0; k < la.size(); ++k) {
      CHECK(same_bits(la[k].B, lb[k].B));
      CHECK(same_bits(la[k].B_star, lb[k].B_star));
      CHECK(la[k].root_iterations == lb[k].root_iterations);
    }
  }
}

// The solve on 1 thread, on 2 (threads = 2) and with a team passed in: the same bits.
void check_thread_counts_agree(const Parameters& p, const TradePath& path,
                               const TransitionResult* warm = nullptr,
                               const TransitionOptions& serial = TransitionOptions{}) {
  const InitialStateSpec autarky;
  const TransitionResult one = solve_transition(p, path, autarky, serial, warm);
  TransitionOptions two = serial;
  two.threads = 2;
  check_same_result(one, solve_transition(p, path, autarky, two, warm));
  TransitionOptions shared = serial;
  shared.team = std::make_shared<solvers::WorkerTeam>(2);
  check_same_result(one, solve_transition(p, path, autarky, shared, warm));
  check_same_result(one, solve_transition(p, path, autarky, shared, warm));  // the team again
}

}  // namespace

TEST_CASE("Transition paths are the same bits on 1 and 2 threads", "[transition][threads]") {
  SECTION("the baseline, cold") {
    check_thread_counts_agree(Parameters{}, TradePath{});
  }
  SECTION("the baseline warm-started from sE = 0.601") {
    const TransitionResult from = footloose::testing::baseline_neighbour();
    REQUIRE(from.converged);
    check_thread_counts_agree(Parameters{}, TradePath{}, &from);
  }
  SECTION("a sweep step (secant prediction from sE = 0.602, 0.601)") {
    Parameters origin_params, neighbour_params;
    origin_params.sE = 0.602;
    neighbour_params.sE = 0.601;
    const TransitionOptions o;
    const TransitionResult origin =
        solve_transition(origin_params, TradePath{}, InitialStateSpec{}, o);
    REQUIRE(origin.converged);
    const TransitionResult neighbour =
        solve_transition(neighbour_params, TradePath{}, InitialStateSpec{}, o, &origin);
    REQUIRE(neighbour.converged);
    REQUIRE(neighbour.warm_start_origin != nullptr);  // the next step has a secant
    check_thread_counts_agree(Parameters{}, TradePath{}, &neighbour);
  }
  SECTION("a stiff case, gamma_R/gamma_E = 1e4") {
    Parameters p;
    p.gamma_R = 1e4 * p.gamma_E;
    check_thread_counts_agree(p, TradePath{});
  }
  SECTION("a small shock, phi1 = 0.05") {
    Parameters p;
    p.phi1 = 0.05;
    check_thread_counts_agree(p, footloose::testing::jump(p));
  }
  SECTION("output points without kept levels (interval midpoints, below 300 intervals)") {
    TransitionOptions o;
    o.tolerance = 1e-6;
    const TransitionResult one = solve_transition(Parameters{}, TradePath{}, {}, o);
    REQUIRE(one.converged);
    REQUIRE(one.bvp.intervals < 300);  // the outputs add the midpoints (the root-finds' runs)
    check_thread_counts_agree(Parameters{}, TradePath{}, nullptr, o);
  }
  SECTION("multiple shooting (every output point by a root-find)") {
    TransitionOptions o;
    o.method = PathMethod::Shooting;
    const TransitionResult one = solve_transition(Parameters{}, TradePath{}, {}, o);
    REQUIRE(one.converged);
    REQUIRE(one.bvp.method == solvers::BvpMethod::MultipleShooting);
    check_thread_counts_agree(Parameters{}, TradePath{}, nullptr, o);
  }
}

TEST_CASE("The V2 scan is the same bits with and without a team", "[validity][threads]") {
  Parameters stiff;
  stiff.gamma_R = 1e4 * stiff.gamma_E;
  solvers::WorkerTeam team(2);
  for (const Parameters& p : {Parameters{}, stiff}) {
    const TransitionResult r = solve_transition(p, TradePath{}, {}, TransitionOptions{});
    REQUIRE(r.converged);
    std::vector<double> types(200);
    for (int j = 0; j < 200; ++j) types[j] = (j + 1.0) / 200;
    const UnmovedGainScan serial = scan_unmoved_gains(p, r.path, types);
    const UnmovedGainScan split = scan_unmoved_gains(p, r.path, types, &team);
    CHECK(same_bits(serial.marginal, split.marginal));
    CHECK(same_bits(serial.marginal_power, split.marginal_power));
    CHECK(same_bits(serial.largest, split.largest));
    CHECK(same_bits(serial.largest_type, split.largest_type));
  }
}

TEST_CASE("TransitionOptions::threads below 1 is refused", "[transition][threads]") {
  TransitionOptions o;
  o.threads = 0;
  CHECK_THROWS_AS(solve_transition(Parameters{}, TradePath{}, InitialStateSpec{}, o),
                  ParameterError);
}

namespace {

// The baseline answer, and fresh path problems at its aR∞ (each with its own levels cache).
struct BaselineAnswer {
  Parameters p;
  TradePath path;
  InitialStateSpec autarky;
  TransitionOptions o;
  TransitionResult answer = solve_transition(p, path, autarky, o);
  auto problem() const { return make_path_problem(p, path, autarky, o, answer.aR_inf); }
};

}  // namespace

TEST_CASE("The path problem's point evaluator is its rhs and Jacobian, bit for bit",
          "[transition][threads]") {
  const BaselineAnswer baseline;
  REQUIRE(baseline.answer.converged);
  const solvers::MeshSolution& sol = baseline.answer.bvp.solution;
  // Two problems with the same levels cache history: one evaluated through the rhs in point
  // order, the other through the evaluator on two threads.
  const auto serial = baseline.problem();
  const auto points = baseline.problem();
  const std::vector<double> all_times = solvers::collocation_point_times(sol);
  const std::vector<double> times(all_times.begin() + 1, all_times.end());  // t'(0) = 0: skipped
  const int n = kStateSize, count = static_cast<int>(times.size());
  // The states of the answer at its points (node i at 2i, midpoint i at 2i+1), point 0 dropped.
  std::vector<double> states(count * n);
  for (int k = 1; k <= count; ++k) {
    const double* y = k % 2 == 0 ? &sol.states[(k / 2) * n] : &sol.midpoints[(k / 2) * n];
    std::copy_n(y, n, &states[(k - 1) * n]);
  }
  std::unique_ptr<solvers::PointEvaluator> evaluator = points->bvp.at_points(times);
  REQUIRE(evaluator);
  solvers::WorkerTeam team(2);
  // Iterates: the answer, a moved one (root-finds from the kept levels), the moved one again
  // (kept levels), one with w < 0 at some points (the reflection).
  for (int iterate = 0; iterate < 4; ++iterate) {
    CAPTURE(iterate);
    std::vector<double> y = states;
    for (int k = 0; k < count; ++k) {
      if (iterate >= 1) y[k * n + kCapitalNorth] *= 1.0 + 1e-4;
      if (iterate == 3 && k % 7 == 0) y[k * n + kRelocationState] = -1e-3;
    }
    std::vector<double> f_serial(count * n), f_points(count * n);
    std::vector<double> J_serial(count * n * n), J_points(count * n * n);
    for (int k = 0; k < count; ++k) serial->bvp.rhs(times[k], &y[k * n], &f_serial[k * n]);
    for (int k = 0; k < count; ++k) serial->bvp.jacobian(times[k], &y[k * n], &J_serial[k * n * n]);
    REQUIRE(evaluator->begin_loop());
    team.run(count, [&](int begin, int end) {
      for (int k = begin; k < end; ++k) evaluator->rhs(k, &y[k * n], &f_points[k * n]);
    });
    evaluator->end_loop(-1);
    REQUIRE(evaluator->begin_loop());
    team.run(count, [&](int begin, int end) {
      for (int k = begin; k < end; ++k) evaluator->jacobian(k, &y[k * n], &J_points[k * n * n]);
    });
    evaluator->end_loop(-1);
    CHECK(same_bits(f_serial, f_points));
    CHECK(same_bits(J_serial, J_points));
  }
}

TEST_CASE("A point loop that failed leaves the levels cache as the serial loop does",
          "[transition][threads]") {
  const BaselineAnswer baseline;
  REQUIRE(baseline.answer.converged);
  const solvers::MeshSolution& sol = baseline.answer.bvp.solution;
  const std::vector<double> all_times = solvers::collocation_point_times(sol);
  const std::vector<double> times(all_times.begin() + 1, all_times.end());
  const int n = kStateSize, count = static_cast<int>(times.size());
  std::vector<double> states(count * n);
  for (int k = 1; k <= count; ++k) {
    const double* y = k % 2 == 0 ? &sol.states[(k / 2) * n] : &sol.midpoints[(k / 2) * n];
    std::copy_n(y, n, &states[(k - 1) * n]);
  }
  const auto moved = [&](double factor) {
    std::vector<double> y = states;
    for (int k = 0; k < count; ++k) y[k * n + kCapitalNorth] *= factor;
    return y;
  };
  solvers::WorkerTeam team(2);
  const int failed = count / 2 + 7;  // in the helper's half
  // Fresh caches (the failed loop's pending entries above the failure are erased), then warm
  // ones (the entries it changed above the failure are put back).
  for (const bool warm : {false, true}) {
    CAPTURE(warm);
    const auto serial = baseline.problem();
    const auto points = baseline.problem();
    std::unique_ptr<solvers::PointEvaluator> evaluator = points->bvp.at_points(times);
    REQUIRE(evaluator);
    std::vector<double> f(n);
    if (warm) {
      for (int k = 0; k < count; ++k) serial->bvp.rhs(times[k], &states[k * n], f.data());
      for (int k = 0; k < count; ++k) points->bvp.rhs(times[k], &states[k * n], f.data());
    }
    // The serial loop stops after the failed point; the split one ran every point.
    const std::vector<double> y1 = moved(1.0 + 1e-3);
    for (int k = 0; k <= failed; ++k) serial->bvp.rhs(times[k], &y1[k * n], f.data());
    REQUIRE(evaluator->begin_loop());
    team.run(count, [&](int begin, int end) {
      std::vector<double> g(n);
      for (int k = begin; k < end; ++k) evaluator->rhs(k, &y1[k * n], g.data());
    });
    evaluator->end_loop(failed);
    // The next iterate: its root-finds start from what each cache kept.
    const std::vector<double> y2 = moved(1.0 + 2e-3);
    std::vector<double> f_serial(count * n), f_points(count * n);
    for (int k = 0; k < count; ++k) serial->bvp.rhs(times[k], &y2[k * n], &f_serial[k * n]);
    REQUIRE(evaluator->begin_loop());
    team.run(count, [&](int begin, int end) {
      for (int k = begin; k < end; ++k) evaluator->rhs(k, &y2[k * n], &f_points[k * n]);
    });
    evaluator->end_loop(-1);
    CHECK(same_bits(f_serial, f_points));
  }
}

namespace {

// Bratu's problem whose rhs counts its calls per time and throws at the throw_at-th call at
// time t_throw; its point evaluator keeps the same counts (each point its own counter, saved
// at begin_loop and put back above a failed point at end_loop).
struct CountingBratu {
  solvers::BoundaryValueProblem pb = footloose::testing::bratu(1.0);
  std::map<double, int> calls;  // per time
  double t_throw = NAN;
  int throw_at = 0;
  std::thread::id thread_at_throw_time;  // of the last evaluator call at t_throw
  // The solving thread: in each loop of the evaluator it holds its first point until t_throw's
  // point has been evaluated (at most 2 s), so that the helper, not the caller taking the
  // helper's chunks, evaluates it (WorkerTeam hands chunks nobody has begun to whoever is free).
  std::thread::id caller;
  std::atomic<bool> throw_point_reached{false};

  static void bratu_rhs(const double* y, double* f) {
    f[0] = y[1];
    f[1] = -1.0 * std::exp(y[0]);
  }
  void count(double t, int& calls_at_t) {
    if (++calls_at_t == throw_at && t == t_throw) throw std::runtime_error("rhs failed");
  }

  class Evaluator : public solvers::PointEvaluator {
   public:
    Evaluator(CountingBratu& problem, std::vector<double> times)
        : problem_(problem),
          times_(std::move(times)),
          counts_(times_.size()),
          saved_(times_.size()) {}
    bool begin_loop() override {
      for (size_t k = 0; k < times_.size(); ++k) {
        counts_[k] = &problem_.calls[times_[k]];
        saved_[k] = *counts_[k];
      }
      problem_.throw_point_reached = false;
      return true;
    }
    void rhs(int point, const double* y, double* f) override {
      if (point == 0 && std::this_thread::get_id() == problem_.caller) {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (!problem_.throw_point_reached && std::chrono::steady_clock::now() < give_up)
          std::this_thread::yield();
      }
      if (times_[point] == problem_.t_throw) {
        problem_.thread_at_throw_time = std::this_thread::get_id();
        problem_.throw_point_reached = true;
      }
      problem_.count(times_[point], *counts_[point]);
      bratu_rhs(y, f);
    }
    void jacobian(int, const double*, double*) override { FAIL("bratu has no jacobian"); }
    void end_loop(int failed_point) override {
      if (failed_point < 0) return;
      for (size_t k = failed_point + 1; k < times_.size(); ++k) *counts_[k] = saved_[k];
    }

   private:
    CountingBratu& problem_;
    std::vector<double> times_;
    std::vector<int*> counts_;
    std::vector<int> saved_;
  };

  CountingBratu() {
    pb.rhs = [this](double t, const double* y, double* f) {
      count(t, calls[t]);
      bratu_rhs(y, f);
    };
  }
  void with_evaluator() {
    pb.at_points = [this](const std::vector<double>& times) {
      return std::unique_ptr<solvers::PointEvaluator>(new Evaluator(*this, times));
    };
  }
};

// The times with calls (an evaluator's loop that failed leaves zero counts above the failure).
std::map<double, int> called(const std::map<double, int>& calls) {
  std::map<double, int> out;
  for (const auto& [t, count] : calls)
    if (count > 0) out[t] = count;
  return out;
}

solvers::MeshSolution bratu_guess(int intervals) {
  solvers::MeshSolution g;
  g.nodes = solvers::stretched_uniform_mesh(0.0, 1.0, 1.0, intervals);
  g.states.assign(g.nodes.size() * 2, 0.0);
  g.left_free = {0.0};
  return g;
}

}  // namespace

TEST_CASE("A generic BVP with point evaluators: the same bits with and without a team",
          "[collocation][threads]") {
  const solvers::MeshSolution guess = bratu_guess(10);
  // Point 14 (node 7): in the helper's chunks of the 21 points of the first mesh.
  const double t_throw = solvers::collocation_point_times(guess)[14];
  for (const int throw_at : {0, 6, 3}) {  // none; a trial step's residual; an FD Jacobian
    CAPTURE(throw_at);
    CountingBratu plain, pointwise;
    plain.t_throw = pointwise.t_throw = t_throw;
    plain.throw_at = pointwise.throw_at = throw_at;
    pointwise.with_evaluator();
    pointwise.caller = std::this_thread::get_id();
    solvers::CollocationOptions o;
    o.tolerance = 1e-10;
    const solvers::BvpSummary serial = solvers::solve_collocation(plain.pb, guess, o);
    solvers::WorkerTeam team(2);
    o.team = &team;
    const solvers::BvpSummary split = solvers::solve_collocation(pointwise.pb, guess, o);
    REQUIRE(serial.is_usable());
    check_same_summary(serial, split);
    CHECK(called(plain.calls) == called(pointwise.calls));  // the same rhs calls at every time
    CHECK(pointwise.thread_at_throw_time != std::thread::id{});
    CHECK(pointwise.thread_at_throw_time != std::this_thread::get_id());  // the helper's half
    if (throw_at > 0) CHECK(plain.calls[t_throw] >= throw_at);            // it did throw
    // Without a team the evaluator is not used: the serial solve again.
    CountingBratu unused;
    unused.t_throw = t_throw;
    unused.throw_at = throw_at;
    unused.with_evaluator();
    o.team = nullptr;
    check_same_summary(serial, solvers::solve_collocation(unused.pb, guess, o));
    CHECK(unused.thread_at_throw_time == std::thread::id{});
  }
}
