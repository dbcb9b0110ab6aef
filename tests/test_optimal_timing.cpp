// Variant (B), optimal (Nash) timing of relocation (EXTENSION.md B) against independent checks:
// the linearisation against (M7)'s (GeneralModel::jacobian_at_phi) plus r+δ twice and B3's
// printed eigenvalues; the analytic Jacobian against differences of the right-hand side; the
// start against B3's expansion with D0 from the temporary equilibrium; the γE → ∞ figures of B4
// (an independent prototype) against the sequential solver; a re-integration of the ODEs by
// Boost.Odeint; the error estimate against a tighter solve, the horizon and the tolerance.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "models/optimal_timing.hpp"
#include "models/optimal_timing_system.hpp"
#include "models/static_equilibria.hpp"
#include "solvers/collocation.hpp"
#include "solvers/linearization.hpp"
#include "tests/path_test_helpers.hpp"

using namespace footloose;
using footloose::testing::jump;

namespace {

const OptimalTimingResult& nash_path(double gamma_E) {
  static std::map<double, OptimalTimingResult> cache;
  auto it = cache.find(gamma_E);
  if (it == cache.end()) {
    Parameters p;
    p.gamma_E = gamma_E;
    it = cache.emplace(gamma_E, solve_optimal_timing(p, jump(p), {}, OptimalTimingOptions{})).first;
  }
  return it->second;
}

const TransitionResult& sequential_path(double gamma_E) {
  static std::map<double, TransitionResult> cache;
  auto it = cache.find(gamma_E);
  if (it == cache.end()) {
    Parameters p;
    p.gamma_E = gamma_E;
    it = cache.emplace(gamma_E, solve_transition(p, jump(p), {}, TransitionOptions{})).first;
  }
  return it->second;
}

// Real parts of the eigenvalues, ascending.
std::vector<double> eigenvalues(const Eigen::MatrixXd& J) {
  const Eigen::EigenSolver<Eigen::MatrixXd> es(J);
  std::vector<double> v;
  for (int k = 0; k < J.rows(); ++k) v.push_back(es.eigenvalues()(k).real());
  std::sort(v.begin(), v.end());
  return v;
}

// u = aR^ρ of the sequential path at the given times, from its collocation cubic.
std::vector<double> sequential_moved_share(const Parameters& p, const TransitionResult& r,
                                           const std::vector<double>& times) {
  TransitionOptions o;
  o.start_time = 0.0;  // collocation starts at t = 0
  const auto pb = make_path_problem(p, jump(p), {}, o, r.aR_inf);
  const std::vector<double> y =
      solvers::evaluate_collocation_solution(pb->bvp, r.bvp.solution, times);
  std::vector<double> u;
  for (size_t k = 0; k < times.size(); ++k) {
    u.push_back(std::pow(y[k * kStateSize + kRelocationState], p.rho / (p.rho + p.sigma - 1.0)));
  }
  return u;
}

}  // namespace

TEST_CASE("Nash linearisation: (M7)'s six eigenvalues plus r+delta twice (B3)", "[timing]") {
  Parameters p;
  // B3's point: aR = 0.444 (docs/model.md's), the long run with K, K* frozen (γE → ∞); the
  // spectrum is taken with the baseline γE = 1.
  const TransitionResult& seq = sequential_path(1e6);
  REQUIRE(seq.converged);
  const double aR = seq.aR_inf;
  const OptimalTimingSystem system(p, jump(p));
  const TimingState y = system.steady_state(aR, p.phi1);
  // 8×8 by central differences of the eight ODEs (not the analytic Jacobian)
  const solvers::VectorField f = [&](const double* x, double* dx) {
    system.rhs_at_phi(p.phi1, x, dx);
  };
  const std::vector<double> y8(y.begin(), y.end());
  const std::vector<double> typical = {1, 1, y[kTimingMovedShare], 1, 1, 1, 1, 1};
  const std::vector<double> nash = eigenvalues(solvers::jacobian_central(f, y8, typical, 1e-5));
  // (M7)'s 6×6, analytic, plus r + δ twice
  const GeneralModel model(p, jump(p));
  const State y6 = model.steady_state(aR, p.phi1);
  double J6[kStateSize * kStateSize];
  model.jacobian_at_phi(p.phi1, y6.data(), J6);
  std::vector<double> expected =
      eigenvalues(Eigen::Map<Eigen::Matrix<double, 6, 6, Eigen::RowMajor>>(J6));
  expected.push_back(p.discount());
  expected.push_back(p.discount());
  std::sort(expected.begin(), expected.end());
  REQUIRE(nash.size() == 8);
  for (int k = 0; k < 8; ++k) {
    INFO("eigenvalue " << k << ": " << nash[k] << " vs " << expected[k]);
    CHECK(nash[k] == Approx(expected[k]).margin(1e-6));
  }
  // B3's printed values (three decimals)
  const double printed[8] = {-1.790, -0.270, 0.0, 0.1, 0.1, 0.1, 0.370, 1.890};
  for (int k = 0; k < 8; ++k) CHECK(nash[k] == Approx(printed[k]).margin(1.5e-3));
  // The solver's saddle check agrees: 2 stable, 1 centre, 5 unstable.
  const OptimalTimingResult& r = nash_path(1.0);
  REQUIRE(r.converged);
  CHECK(r.saddle.ok);
  CHECK(r.saddle.unstable == 5);
}

TEST_CASE("Nash analytic Jacobian matches differences of the eight ODEs on the path", "[timing]") {
  Parameters p;
  const OptimalTimingResult& r = nash_path(1.0);
  REQUIRE(r.converged);
  const OptimalTimingSystem system(p, jump(p));
  for (double t : {1e-4, 0.05, 0.3, 2.0, 20.0}) {
    const TimingPathPoint x = optimal_timing_path_at(p, jump(p), {}, r, {t})[0];
    const std::vector<double> y = {x.front.K, x.front.K_star, x.u, x.front.W,
                                   x.front.S, x.front.P,      x.q, x.omega};
    double J[kTimingStateSize * kTimingStateSize];
    system.jacobian_at_phi(p.phi1, y.data(), J);
    const solvers::VectorField f = [&](const double* z, double* dz) {
      system.rhs_at_phi(p.phi1, z, dz);
    };
    const std::vector<double> typical = {1, 1, x.u, 1, 1, 1, 1, 1};
    const Eigen::MatrixXd fd = solvers::jacobian_central(f, y, typical, 1e-4);
    for (int i = 0; i < kTimingStateSize; ++i) {
      for (int j = 0; j < kTimingStateSize; ++j) {
        INFO("t = " << t << ", J[" << i << "][" << j << "]");
        CHECK(J[i * kTimingStateSize + j] ==
              Approx(fd(i, j)).epsilon(1e-5).margin(1e-6 * fd.row(i).cwiseAbs().maxCoeff()));
      }
    }
  }
}

TEST_CASE("Nash start: q0 finite, u ~ q0 t/(sigma gammaR FI), the t^(1-1/beta) term (B3)",
          "[timing]") {
  for (double sigma : {4.0, 5.0}) {  // β = 2 (baseline), 1.5
    Parameters p;
    p.sigma = sigma;
    const OptimalTimingResult r = solve_optimal_timing(p, jump(p), {}, {});
    INFO("sigma = " << sigma << ": " << r.brief_report() << "\n" << r.message);
    REQUIRE(r.converged);
    REQUIRE(r.q0 > 0.0);
    const double k = r.q0 / (p.sigma * p.gamma_R * p.FI);
    // D0 = (B − B*)(0) at the autarky capital stocks, aR = 0, φ1 (the temporary equilibrium).
    const AutarkyEquilibrium a = autarky(p);
    const TemporaryEquilibrium eq = solve_temporary_equilibrium(p, {a.K, a.K_star, 0.0, p.phi1});
    const double D0 = eq.B - eq.B_star;
    const double e = 1.0 - 1.0 / p.beta();
    const double coefficient = (1.0 - p.phi1) * D0 * std::pow(k, -1.0 / p.beta()) / e;
    const std::vector<double> times = {1e-12, 1e-10, 1e-8};
    const auto pts = optimal_timing_path_at(p, jump(p), {}, r, times);
    for (size_t i = 0; i < times.size(); ++i) {
      const double t = times[i];
      INFO("t = " << t << ": q = " << pts[i].q << ", u = " << pts[i].u);
      // relative corrections are O(t^{1−1/β}) and O(t^{1/β}) (≤ 2e-3 at t = 1e-8)
      CHECK(pts[i].u / t == Approx(k).epsilon(2e-2));
      CHECK((r.q0 - pts[i].q) / std::pow(t, e) == Approx(coefficient).epsilon(2e-2));
    }
    CHECK(pts[0].u / times[0] == Approx(k).epsilon(1e-3));
    CHECK((r.q0 - pts[0].q) / std::pow(times[0], e) == Approx(coefficient).epsilon(1e-3));
  }
}

TEST_CASE("Nash vs sequential timing with K, K* nearly frozen (gammaE = 1e6, B4 items 1-4)",
          "[timing]") {
  Parameters p;
  p.gamma_E = 1e6;
  const OptimalTimingResult& nash = nash_path(p.gamma_E);
  const TransitionResult& seq = sequential_path(p.gamma_E);
  INFO(nash.brief_report() << "\n" << nash.message);
  REQUIRE(nash.converged);
  REQUIRE(seq.converged);
  CHECK(nash.trustworthy());
  // 1. The sequential front is ahead: u_seq/u_Nash at t = 0.01, 0.1, 1 (prototype figures).
  const std::vector<double> times = {0.01, 0.1, 1.0};
  const std::vector<double> u_seq = sequential_moved_share(p, seq, times);
  const auto pts = optimal_timing_path_at(p, jump(p), {}, nash, times);
  const double printed_ratio[3] = {2.44, 1.39, 1.03};
  for (int i = 0; i < 3; ++i) {
    INFO("t = " << times[i]);
    CHECK(u_seq[i] / pts[i].u == Approx(printed_ratio[i]).epsilon(0.01));
  }
  // Half-relocation times 0.214 (sequential, from its cubic) and 0.291 (Nash).
  const double u_half = 0.5 * std::pow(seq.aR_inf, p.rho);
  double lo = 0.0, hi = 2.0;
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    (sequential_moved_share(p, seq, {mid})[0] < u_half ? lo : hi) = mid;
  }
  CHECK(lo == Approx(0.214).epsilon(0.01));
  CHECK(nash.half_relocation_time == Approx(0.291).epsilon(0.01));
  // 2. Initial congestion cost q0/σ = 0.0277, q0 = 0.1108.
  CHECK(nash.q0 == Approx(0.1108).epsilon(0.01));
  // 2. The Nash cost is below the sequential one, aR^{1−σ}P/σ, until some t in (0.1, 0.2).
  TransitionOptions so;
  so.start_time = 0.0;
  const auto pb = make_path_problem(p, jump(p), {}, so, seq.aR_inf);
  const std::vector<double> y =
      solvers::evaluate_collocation_solution(pb->bvp, seq.bvp.solution, {0.1, 0.2});
  const auto nash_cost = optimal_timing_path_at(p, jump(p), {}, nash, {0.1, 0.2});
  for (int i = 0; i < 2; ++i) {
    const double aR = std::pow(y[i * kStateSize + kRelocationState], 1.0 / (p.rho + p.sigma - 1.0));
    const double chi_seq =
        std::pow(aR, 1.0 - p.sigma) * y[i * kStateSize + kRelocationValue] / p.sigma;
    INFO("t = " << (i == 0 ? 0.1 : 0.2) << ": chi seq " << chi_seq << ", Nash "
                << nash_cost[i].chi);
    CHECK((i == 0 ? nash_cost[i].chi < chi_seq : nash_cost[i].chi > chi_seq));
  }
  // 3. Same long-run aR (same B = B* condition with K, K* frozen).
  CHECK(nash.aR_inf == Approx(seq.aR_inf).epsilon(1e-7));
  // 4. Option value Ω(0) = 6.9e-5 FI; surplus Σ/χ = 0.52 at t = 0.1; NV2 holds.
  CHECK(nash.omega0 == Approx(6.9e-5 * p.FI).epsilon(0.01));
  CHECK(pts[1].surplus / pts[1].chi == Approx(0.52).epsilon(0.01));
  CHECK(nash.validity.nv2.ok);
  CHECK(nash.validity.demand_order.ok);
}

TEST_CASE("Nash path re-integrated by Boost.Odeint between two dates", "[timing]") {
  Parameters p;
  const OptimalTimingResult& r = nash_path(1.0);
  REQUIRE(r.converged);
  const OptimalTimingSystem system(p, jump(p));
  const auto at = [&](double t) {
    const TimingPathPoint x = optimal_timing_path_at(p, jump(p), {}, r, {t})[0];
    return std::vector<double>{x.front.K, x.front.K_star, x.u, x.front.W,
                               x.front.S, x.front.P,      x.q, x.omega};
  };
  // From t = 0.01 (past the singular start) to t = 1: unstable modes grow by at most e^{1.9}.
  std::vector<double> y = at(0.01);
  const std::vector<double> target = at(1.0);
  namespace ode = boost::numeric::odeint;
  ode::integrate_adaptive(
      ode::make_controlled(1e-12, 1e-12, ode::runge_kutta_dopri5<std::vector<double>>()),
      [&](const std::vector<double>& x, std::vector<double>& dx, double t) {
        dx.resize(x.size());
        system.rhs(t, x.data(), dx.data());
      },
      y, 0.01, 1.0, 1e-4);
  const double scale[kTimingStateSize] = {1, 1, target[kTimingMovedShare], 1, 1, 1, 1, 1};
  for (int i = 0; i < kTimingStateSize; ++i) {
    INFO("component " << i);
    CHECK(std::fabs(y[i] - target[i]) / scale[i] < 1e-7);
  }
}

TEST_CASE("Nash error estimate bounds the error, horizon and tolerance do not move sn_inf",
          "[timing]") {
  Parameters p;
  const OptimalTimingResult& r = nash_path(1.0);
  REQUIRE(r.converged);
  REQUIRE(r.error_estimate.available);
  OptimalTimingOptions tight;
  tight.tolerance = 1e-11;
  const OptimalTimingResult t = solve_optimal_timing(p, jump(p), {}, tight);
  REQUIRE(t.converged);
  const PathErrorEstimate& e = r.error_estimate;
  const double floor = 1e-14;  // rounding of the answers themselves
  CHECK(std::fabs(r.q0 - t.q0) <= 2.0 * r.q0_error + floor);
  CHECK(std::fabs(r.aR_inf - t.aR_inf) <= 2.0 * e.aR_inf + floor);
  CHECK(std::fabs(r.sn_inf - t.sn_inf) <= 2.0 * e.sn_inf + floor);
  CHECK(std::fabs(r.lambda_R - t.lambda_R) <= 2.0 * e.lambda_R + floor);
  const TimingPathPoint a = optimal_timing_path_at(p, jump(p), {}, r, {0.0})[0];
  const TimingPathPoint b = optimal_timing_path_at(p, jump(p), {}, t, {0.0})[0];
  CHECK(std::fabs(a.front.W - b.front.W) <= 2.0 * e.W0 + floor);
  CHECK(std::fabs(a.front.S - b.front.S) <= 2.0 * e.S0 + floor);
  CHECK(std::fabs(a.front.P - b.front.P) <= 2.0 * e.P0 + floor);
  // Halved tolerance and doubled horizon: sn∞ within the stated accuracy (the tolerance).
  OptimalTimingOptions half;
  half.tolerance = 0.5e-9;
  const OptimalTimingResult h = solve_optimal_timing(p, jump(p), {}, half);
  REQUIRE(h.converged);
  CHECK(std::fabs(h.sn_inf - r.sn_inf) <= 1e-9);
  OptimalTimingOptions longer;
  longer.horizon = 120.0;
  const OptimalTimingResult l = solve_optimal_timing(p, jump(p), {}, longer);
  REQUIRE(l.converged);
  CHECK(std::fabs(l.sn_inf - r.sn_inf) <= 1e-9);
  CHECK(std::fabs(l.q0 - r.q0) <= 1e-9);
}

TEST_CASE("Nash solver refuses a start with relocation and bad options", "[timing]") {
  Parameters p;
  InitialStateSpec relocated;
  relocated.kind = InitialStateKind::Relocation;
  CHECK_THROWS_AS(solve_optimal_timing(p, jump(p), relocated, {}), ParameterError);
  InitialStateSpec explicit_start;
  explicit_start.kind = InitialStateKind::Explicit;
  explicit_start.K = 0.75;
  explicit_start.K_star = 0.5;
  explicit_start.aR = 0.1;
  try {
    solve_optimal_timing(p, jump(p), explicit_start, {});
    FAIL("no exception");
  } catch (const ParameterError& e) {
    CHECK(e.field() == "aR0");
  }
  OptimalTimingOptions bad;
  bad.tolerance = 0.0;
  CHECK_THROWS_AS(solve_optimal_timing(p, jump(p), {}, bad), ParameterError);
  OptimalTimingOptions negative_time;
  negative_time.time_limit = -1.0;
  CHECK_THROWS_AS(solve_optimal_timing(p, jump(p), {}, negative_time), ParameterError);
  p.gamma_R = 0.0;
  CHECK_THROWS_AS(solve_optimal_timing(p, jump(p), {}, {}), ParameterError);
}
