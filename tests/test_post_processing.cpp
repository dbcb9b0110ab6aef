// Post-processing of a solved path (issue 10): the outputs come from the (M5) levels the solver
// kept, and V2 from scan_unmoved_gains instead of one quadrature per type. Each is checked
// against the direct computation: outputs solved from scratch at the same states, and the
// per-type trapezoidal present value (RelocationGainValues) on the same type grid.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "models/relocation_gain.hpp"
#include "models/relocation_gain_scan.hpp"
#include "models/transition.hpp"
#include "models/validity.hpp"
#include "path_test_helpers.hpp"

using namespace footloose;
using footloose::testing::jump;
using footloose::testing::with_method;

namespace {

State state_of(const PathPoint& x) {
  return {x.K, x.K_star, x.w, x.W, x.S, x.P};
}

// Every reported quantity of a against b: relative 1e-10 (the (M5) root tolerance is 1e-15 in
// log B; levels started from the solver's differ from cold ones in the last digits only).
void require_same_outputs(const PathPoint& a, const PathPoint& b) {
  const auto same = [](double x, double y, double scale) {
    return x == y || std::fabs(x - y) <= 1e-10 * std::max(std::fabs(y), scale);
  };
  const double ab[][2] = {{a.B, b.B},
                          {a.B_star, b.B_star},
                          {a.aD, b.aD},
                          {a.aX, b.aX},
                          {a.aD_star, b.aD_star},
                          {a.aX_star, b.aX_star},
                          {a.sn, b.sn},
                          {a.nw, b.nw},
                          {a.sk, b.sk},
                          {a.W_star, b.W_star},
                          {a.a_bar, b.a_bar},
                          {a.a_bar_star, b.a_bar_star},
                          {a.omega, b.omega},
                          {a.omega_star, b.omega_star},
                          {a.relocation_flow, b.relocation_flow}};
  for (const auto& x : ab) {
    INFO("t = " << a.t << ": " << x[0] << " vs " << x[1]);
    REQUIRE(same(x[0], x[1], 1e-300));
  }
  // Entry rates cross zero: absolute against their scale 1/γE.
  REQUIRE(same(a.entry_rate, b.entry_rate, 1.0));
  REQUIRE(same(a.entry_rate_star, b.entry_rate_star, 1.0));
}

// The old V2 (one quadrature per type, RelocationGainValues), the independent reference: at each
// point k < N − 1 with aR > 0 the marginal gain and the largest over the types above aR.
struct DirectGains {
  std::vector<double> marginal, largest, largest_type;
};
DirectGains direct_gains(const Parameters& p, const std::vector<PathPoint>& path,
                         const std::vector<double>& types, std::vector<std::vector<double>>& v) {
  const RelocationGainValues gains(p, path);
  v.clear();
  for (double a : types) v.push_back(gains.values(a, 0));
  DirectGains d;
  d.marginal.assign(path.size(), NAN);
  d.largest.assign(path.size(), -INFINITY);
  d.largest_type.assign(path.size(), 0.0);
  for (size_t k = 0; k + 1 < path.size(); ++k) {
    if (path[k].aR > 0.0) d.marginal[k] = gains.value_at(path[k].aR, k);
    for (size_t j = 0; j < types.size(); ++j) {
      if (types[j] > path[k].aR && v[j][k] > d.largest[k]) {
        d.largest[k] = v[j][k];
        d.largest_type[k] = types[j];
      }
    }
  }
  return d;
}

// scan_unmoved_gains against direct_gains on one path. Both round differently: the tolerance
// is relative to the size of the terms of (G1) summed over the path, (z max(B, B*) + f) / (r+δ).
void require_scan_matches_direct(const Parameters& p, const std::vector<PathPoint>& path,
                                 const std::vector<double>& types) {
  std::vector<std::vector<double>> v;
  const DirectGains d = direct_gains(p, path, types, v);
  const UnmovedGainScan s = scan_unmoved_gains(p, path, types);
  double level = 0.0;
  for (const auto& x : path) level = std::max({level, x.B, x.B_star});
  const auto tolerance = [&](double a) {
    return 1e-11 * (std::pow(a, 1.0 - p.sigma) * level + p.f()) / p.discount();
  };
  int compared = 0;
  for (size_t k = 0; k + 1 < path.size(); ++k) {
    INFO("k = " << k << ", t = " << path[k].t << ", aR = " << path[k].aR);
    if (path[k].aR > 0.0) {
      REQUIRE(std::fabs(s.marginal[k] - d.marginal[k]) <= tolerance(path[k].aR));
      REQUIRE(s.marginal_power[k] == Approx(std::pow(path[k].aR, 1.0 - p.sigma)));
    } else {
      REQUIRE(std::isnan(s.marginal[k]));
    }
    if (d.largest[k] == -INFINITY) {
      REQUIRE(s.largest[k] == -INFINITY);
      continue;
    }
    ++compared;
    const size_t first = std::upper_bound(types.begin(), types.end(), path[k].aR) - types.begin();
    const double tol = tolerance(types[first]);
    REQUIRE(std::fabs(s.largest[k] - d.largest[k]) <= tol);
    // The same type, or one whose direct value is the largest to rounding.
    const size_t j = std::find(types.begin(), types.end(), s.largest_type[k]) - types.begin();
    REQUIRE(j < types.size());
    REQUIRE(types[j] > path[k].aR);
    REQUIRE(std::fabs(v[j][k] - d.largest[k]) <= tol);
  }
  REQUIRE(compared > 0);
}

std::vector<double> type_grid(int n) {
  std::vector<double> types(n);
  for (int j = 0; j < n; ++j) types[j] = (j + 1.0) / n;
  return types;
}

// A path whose cut-offs sweep across the type grid, back and forth, with φ from 0 to 0.6 and
// B − B* changing sign: every case of (G1) and of the scan's runs occurs. Settles after t = 20.
std::vector<PathPoint> synthetic_path(const Parameters& p, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double w1 = 0.2 + 0.5 * u(rng), w2 = 0.2 + 0.5 * u(rng), w3 = 0.1 + 0.4 * u(rng);
  const double c1 = 0.35 + 0.3 * u(rng), c2 = 0.35 + 0.3 * u(rng);
  const int N = 160;
  std::vector<PathPoint> path(N);
  for (int k = 0; k < N; ++k) {
    PathPoint& x = path[k];
    x.t = 40.0 * std::pow(k / (N - 1.0), 2.0);
    const double s = std::min(x.t, 20.0);
    const double aD = c1 + 0.3 * std::sin(w1 * s + 1.0), aD_star = c2 + 0.3 * std::cos(w2 * s);
    x.B = p.f() * std::pow(aD, p.sigma - 1.0);  // κ(B) = aD
    x.B_star = p.f() * std::pow(aD_star, p.sigma - 1.0);
    x.phi = k == 0 ? 0.0 : 0.3 + 0.3 * std::sin(w3 * s);
    x.aR = k == 0 ? 0.0 : 0.45 * s / (1.0 + s) + 0.05 * std::sin(3.0 * s);
  }
  return path;
}

// A path that sits at B, B*, φ from t = 0 to 40 (aR rising): every type is settled, the
// gain is linear in z between the cut-offs and largest at a run's end.
std::vector<PathPoint> constant_path(double B, double B_star, double phi) {
  std::vector<PathPoint> path(120);
  for (size_t k = 0; k < path.size(); ++k) {
    PathPoint& x = path[k];
    x.t = 40.0 * k / (path.size() - 1.0);
    x.B = B;
    x.B_star = B_star;
    x.phi = phi;
    x.aR = 0.6 * x.t / (5.0 + x.t);
  }
  return path;
}

}  // namespace

TEST_CASE("Path outputs from the kept (M5) levels equal outputs solved from scratch",
          "[post_processing]") {
  const Parameters p;
  const GeneralModel model(p, jump(p));
  for (PathMethod method : {PathMethod::Collocation, PathMethod::Shooting}) {
    const TransitionResult r = solve_transition(p, jump(p), {}, with_method(method));
    REQUIRE(r.converged);
    REQUIRE(r.path.size() > 100);
    for (const PathPoint& x : r.path) {
      const State y = state_of(x);
      require_same_outputs(x, model.outputs(x.t, y.data()));
    }
  }
}

TEST_CASE("GeneralModel::outputs from levels equals outputs(t, y); levels from a neighbour agree",
          "[post_processing]") {
  Parameters p;
  p.phi1 = 0.3;
  const GeneralModel model(p, jump(p));
  const TransitionResult r = solve_transition(p, jump(p), {}, {});
  REQUIRE(r.converged);
  for (size_t k = 1; k < r.path.size(); k += 7) {
    const State y = state_of(r.path[k]), before = state_of(r.path[k - 1]);
    const PathPoint cold = model.outputs(r.path[k].t, y.data());
    const DemandLevels exact = model.demand_levels(r.path[k].t, y.data());
    const PathPoint from_levels = model.outputs(r.path[k].t, y.data(), exact);
    REQUIRE(from_levels.sn == cold.sn);  // the same levels: the same numbers
    REQUIRE(from_levels.omega_star == cold.omega_star);
    REQUIRE(from_levels.entry_rate_star == cold.entry_rate_star);
    const DemandLevels neighbour = model.demand_levels(r.path[k - 1].t, before.data());
    const DemandLevels started = model.demand_levels(r.path[k].t, y.data(), &neighbour);
    require_same_outputs(model.outputs(r.path[k].t, y.data(), started), cold);
  }
}

TEST_CASE("V2 scan equals the per-type quadrature on synthetic paths", "[post_processing]") {
  std::mt19937 rng(20261201);
  for (double sigma : {2.5, 4.0, 7.0}) {
    Parameters p;
    p.sigma = sigma;
    p.rho = 2.0 * (sigma - 1.0);
    for (int draw = 0; draw < 4; ++draw) {
      INFO("sigma = " << sigma << ", draw " << draw);
      require_scan_matches_direct(p, synthetic_path(p, rng), type_grid(200));
    }
  }
}

TEST_CASE("V2 scan equals the per-type quadrature on settled paths", "[post_processing]") {
  const Parameters p;  // σ = 4: cut-off a = (B/f)^{1/3}
  const double f = p.f();
  // B > B* > (1−φ)B: the gain rises from aX to aX* (V2 fails there); B* > B: negative gains;
  // B = B*: zero for the exporters.
  // 0.39063 ≈ 0.5802³/0.5: aX* = 0.5802 lies just above the grid type 0.58, which gains most.
  const double cases[][3] = {{0.4, 0.35, 0.5}, {0.39063, 0.35, 0.5}, {0.4, 0.3, 0.2},
                             {0.3, 0.4, 0.4},  {0.2, 0.2, 0.6},      {0.6, 0.1, 0.05},
                             {0.1, 0.09, 0.9}};
  for (const auto& c : cases) {
    INFO("B/f = " << c[0] << ", B*/f = " << c[1] << ", phi = " << c[2]);
    require_scan_matches_direct(p, constant_path(c[0] * f, c[1] * f, c[2]), type_grid(200));
    require_scan_matches_direct(p, constant_path(c[0] * f, c[1] * f, c[2]), type_grid(37));
  }
}

TEST_CASE("V2 scan equals the per-type quadrature on solved paths, dense type grid",
          "[post_processing]") {
  for (double phi1 : {0.4, 0.5, 0.6}) {
    Parameters p;
    p.phi1 = phi1;
    p.gamma_R = phi1 == 0.6 ? 0.1 : 1.0;
    const TransitionResult r = solve_transition(p, jump(p), {}, {});
    REQUIRE(r.converged);
    INFO("phi1 = " << phi1);
    require_scan_matches_direct(p, r.path, type_grid(200));
    require_scan_matches_direct(p, r.path, type_grid(1500));
  }
}

TEST_CASE("check_validity's V2 verdict and worst margin equal the per-type quadrature's",
          "[post_processing]") {
  // φ1 = 0.5: V2 holds by 3e-5; φ1 = 0.6: violated (docs/model.md 3.11).
  for (double phi1 : {0.5, 0.6}) {
    Parameters p;
    p.phi1 = phi1;
    p.gamma_R = 0.1;
    const TransitionResult r = solve_transition(p, jump(p), {}, {});
    REQUIRE(r.converged);
    const std::vector<double> types = type_grid(200);
    std::vector<std::vector<double>> v;
    const DirectGains d = direct_gains(p, r.path, types, v);
    // The V2 rule of models/validity.cpp on the direct gains.
    double scale = 0.0;
    for (size_t k = 0; k + 1 < r.path.size(); ++k)
      if (r.path[k].aR > 0.0)
        scale = std::max(scale, std::fabs(d.marginal[k]) * std::pow(r.path[k].aR, p.sigma - 1));
    double margin = INFINITY, time = 0.0, type = 0.0;
    for (size_t k = 0; k + 1 < r.path.size(); ++k) {
      const double aR = r.path[k].aR;
      if (!(aR > 0.0) || d.largest[k] == -INFINITY) continue;
      if (std::fabs(d.marginal[k]) * std::pow(aR, p.sigma - 1) < 1e-6 * scale + 1e-12 * p.FI)
        continue;
      const double slack = (d.marginal[k] - d.largest[k]) / std::fabs(d.marginal[k]);
      if (slack < margin) margin = slack, time = r.path[k].t, type = d.largest_type[k];
    }
    const ValidityCheck v2 = check_validity(p, r.path, true, 200).v2;
    INFO("phi1 = " << phi1 << ": direct margin " << margin << ", scan " << v2.margin);
    REQUIRE(v2.evaluated);
    REQUIRE(v2.ok == (margin >= -1e-6));
    REQUIRE(v2.ok == (phi1 == 0.5));
    REQUIRE(v2.margin == Approx(margin).epsilon(1e-6).margin(1e-9));
    REQUIRE(v2.time == time);
    REQUIRE(v2.type == type);
  }
}

TEST_CASE("scan_unmoved_gains rejects a type grid that is not increasing, or not within 0 < a <= 1",
          "[post_processing]") {
  const Parameters p;
  const std::vector<PathPoint> path(3);
  REQUIRE_THROWS_AS(scan_unmoved_gains(p, path, {0.5, 0.4}), std::invalid_argument);
  REQUIRE_THROWS_AS(scan_unmoved_gains(p, path, {0.0, 0.4}), std::invalid_argument);
  REQUIRE_THROWS_AS(scan_unmoved_gains(p, path, {0.5, 1.5}), std::invalid_argument);
}
