// Type-resolved relocation (EXTENSION.md Section A) against independent computations:
// (M5g) with a single front against (M5) (models/market.cpp) and with a general moved set
// against tanh-sinh quadrature and root-finding (tests/reference_model.hpp); (G2) against
// quadrature of (G1); the water-filling step against a brute-force search for χ; the reduction
// to (M7) (A6) against the single-front collocation solver as M grows and the time step
// shrinks; the steady state (M4g), Kw = 1/(βfI); the φ1 = 0.6 figures of A9 (prototype,
// 3 digits); the φ1 = φ0 limit; failures reported, never silent.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <random>

#include "models/market.hpp"
#include "models/moved_market.hpp"
#include "models/static_equilibria.hpp"
#include "models/transition.hpp"
#include "models/type_grid.hpp"
#include "models/type_resolved.hpp"
#include "models/water_filling.hpp"
#include "reference_model.hpp"
#include "tests/path_test_helpers.hpp"

using namespace footloose;
using footloose::testing::jump;

namespace {

// (M5g) by brute force: R(x) = Σ m_i ∫_{cell ∩ [0,x]} a^{1−σ} dG by quadrature, cut-offs by
// root-finding, each market by root-finding on B·size(B) = E.
struct QuadratureMarkets {
  reference::Economy e;
  std::vector<double> edges, shares;
  double K, Ks, phi;
  double R(double x) const {
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < edges.size() && edges[i] < x; ++i) {
      sum += shares[i] * reference::revenue_integral(e, edges[i], std::min(edges[i + 1], x));
    }
    return sum;
  }
  double full(double x) const { return reference::revenue_integral(e, 0.0, x); }
  double north(double B) const {
    const double aD = reference::cutoff(e, B), aXs = reference::cutoff(e, phi * B);
    return B * (K * full(aD) + Ks * R(aD) + phi * Ks * (full(aXs) - R(aXs)));
  }
  double south(double Bs) const {
    const double aX = reference::cutoff(e, phi * Bs), aDs = reference::cutoff(e, Bs);
    return Bs * (phi * K * full(aX) + phi * Ks * R(aX) + Ks * (full(aDs) - R(aDs)));
  }
};

// Brute-force χ of the exact water-filling step: the root of the increasing
// χ − k Σ_{v_i > χ} w_i(1 − m_i) by bisection (a jump of the sum is where the partial cell sits).
double brute_force_chi(const std::vector<double>& w, const std::vector<double>& v,
                       const std::vector<double>& m, double k) {
  const auto gap = [&](double chi) {
    double mass = 0.0;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (v[i] > chi && m[i] < 1.0) mass += w[i] * (1.0 - m[i]);
    return chi - k * mass;
  };
  double lo = 0.0, hi = 1.0;
  if (gap(lo) >= 0.0) return 0.0;
  while (gap(hi) < 0.0) hi *= 2.0;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (gap(mid) < 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// The single-front (M7) path by collocation, and u(t) = aR(t)^ρ on it.
const TransitionResult& single_front(double gamma_R) {
  static std::map<double, TransitionResult> cache;
  auto it = cache.find(gamma_R);
  if (it == cache.end()) {
    Parameters p;
    p.gamma_R = gamma_R;
    it = cache.emplace(gamma_R, solve_transition(p, jump(p), {}, TransitionOptions{})).first;
  }
  return it->second;
}

struct ReductionError {
  double path = 0;      // max |U − u|/u∞ on t ∈ [1e-3, 10]
  double end = 0;       // |U∞/u∞ − 1|
  double lambda_R = 0;  // |λR − λR(M7)|
};

// Type-resolved solve at φ1 = 0.4 (V2-valid) against the single front: U interpolated
// linearly at the collocation output times.
ReductionError reduction_error(double gamma_R, int cells, double max_step, double growth) {
  Parameters p;
  p.gamma_R = gamma_R;
  const TransitionResult& ref = single_front(gamma_R);
  REQUIRE(ref.converged);
  TypeResolvedOptions o;
  o.type_cells = cells;
  o.max_step = max_step;
  o.growth = growth;
  o.output_points = 1000000;  // every mesh node
  o.horizon = 30.0;           // relocation settles by t ≈ 10, entry is within 1e-7 of its end
  o.initial_guess = TypeResolvedGuess::NoMoves;  // not started from the answer compared with
  // The plain safeguard: fastest at φ1 = 0.4 (266 against 966 sweeps at M = 100, γR = 1); the
  // defaults for small shocks are exercised by the small-shock and φ1 = 0.6 cases.
  o.keep_rejected_step = false;
  o.backtracking_steps = 0;
  o.min_mixing = 0.05;
  const TypeResolvedResult r = solve_type_resolved(p, jump(p), {}, o);
  INFO(r.brief_report());
  REQUIRE(r.trustworthy());
  const double u_inf = std::pow(ref.aR_inf, p.rho);
  ReductionError err;
  for (const PathPoint& q : ref.path) {
    if (q.t < 1e-3 || q.t > 10.0) continue;
    const auto hi = std::lower_bound(r.path.begin(), r.path.end(), q.t,
                                     [](const TypeResolvedPoint& a, double t) { return a.t < t; });
    REQUIRE(hi != r.path.begin());
    REQUIRE(hi != r.path.end());
    const auto lo = hi - 1;
    const double U = lo->U + (hi->U - lo->U) * (q.t - lo->t) / (hi->t - lo->t);
    err.path = std::max(err.path, std::fabs(U - std::pow(q.aR, p.rho)) / u_inf);
  }
  // Every moved set on the path is one interval [0, a] (V2 holds at φ1 = 0.4).
  for (const TypeResolvedPoint& pt : r.path) {
    REQUIRE(pt.moved_set.size() <= 1);
    if (!pt.moved_set.empty()) CHECK(pt.moved_set[0].lower == 0.0);
  }
  err.end = std::fabs(r.U_inf / u_inf - 1.0);
  err.lambda_R = std::fabs(r.lambda_R - ref.lambda_R);
  return err;
}

double rate(double coarse, double fine) {
  return std::log2(coarse / fine);
}

}  // namespace

TEST_CASE("(M5g) with a single front on a cell edge equals (M5)", "[type_resolved]") {
  Parameters p;
  const Pareto pareto(p);
  const TypeGrid grid(pareto, 100);
  struct Case {
    double K, Ks, aR, phi;
  };
  // Baseline long run, a DD state (aR > aX), aR > aD*, a large aR, and another φ.
  const Case cases[] = {{0.7497, 0.5003, 0.44, 0.4}, {0.75, 0.5, 0.62, 0.4}, {0.6, 0.65, 0.90, 0.6},
                        {0.9, 0.3, 0.99, 0.2},       {0.75, 0.5, 0.10, 0.8}, {0.75, 0.5, 0.0, 0.4}};
  for (const Case& c : cases) {
    const std::vector<double> shares = grid.front_shares(c.aR);
    const MovedMoment moved(grid, shares);
    const DemandLevels g = solve_moved_demand_levels(p, c.K, c.Ks, c.phi, moved);
    const DemandLevels m5 = solve_demand_levels(p, {c.K, c.Ks, c.aR, c.phi});
    INFO("aR = " << c.aR << ", phi = " << c.phi);
    CHECK(g.B == Approx(m5.B).epsilon(1e-12));
    CHECK(g.B_star == Approx(m5.B_star).epsilon(1e-12));
    for (double x : {0.05, 0.3, c.aR, 0.77, 1.0}) {
      CHECK(moved(x) == Approx(pareto.revenue_moment(0.0, std::min(x, c.aR))).epsilon(1e-13));
    }
  }
}

TEST_CASE("(M5g) with a general moved set equals quadrature and root-finding", "[type_resolved]") {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 4; ++trial) {
    Parameters p;
    p.sigma = 3.0 + 2.0 * u(rng);
    p.rho = (p.sigma - 1.0) * (1.3 + u(rng));
    p.sE = 0.55 + 0.3 * u(rng);
    const Pareto pareto(p);
    const TypeGrid grid(pareto, 25);
    std::vector<double> shares(25);
    for (double& m : shares) m = u(rng) < 0.3 ? 1.0 : (u(rng) < 0.5 ? 0.0 : u(rng));
    QuadratureMarkets q{reference::Economy(p), grid.edges(), shares,
                        0.5 + u(rng),          0.3 + u(rng), 0.7 * u(rng)};
    const MovedMoment moved(grid, shares);
    for (double x : {0.13, 0.5, 0.731, 1.0}) CHECK(moved(x) == Approx(q.R(x)).epsilon(1e-11));
    const DemandLevels g = solve_moved_demand_levels(p, q.K, q.Ks, q.phi, moved);
    const double B = reference::root_increasing([&](double b) { return q.north(b) - p.sE; }, 1.0);
    const double Bs =
        reference::root_increasing([&](double b) { return q.south(b) - (1.0 - p.sE); }, 1.0);
    INFO("trial " << trial);
    CHECK(g.B == Approx(B).epsilon(1e-10));
    CHECK(g.B_star == Approx(Bs).epsilon(1e-10));

    // (G2) cell gains against quadrature of (G1): Σ profit differences over the cell / w_i.
    std::vector<double> gain;
    const double Bt = 1.07 * g.B, Bst = 0.96 * g.B_star;
    grid.cell_gains(Bt, Bst, q.phi, gain);
    for (int i : {0, 5, 12, 17, 24}) {
      const double L = grid.lower(i), U = grid.upper(i);
      const double flows =
          reference::profit(q.e, L, U, Bt) + reference::profit(q.e, L, U, q.phi * Bst) -
          reference::profit(q.e, L, U, Bst) - reference::profit(q.e, L, U, q.phi * Bt);
      const double w = reference::integral(q.e, L, U, 0.0);
      CHECK(gain[static_cast<std::size_t>(i)] == Approx(flows / w).epsilon(1e-9).margin(1e-14));
    }
  }
}

TEST_CASE("Water-filling step equals a brute-force search for chi", "[type_resolved]") {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<int> order;
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + trial % 40;
    std::vector<double> w(n), v(n), m(n);
    for (int i = 0; i < n; ++i) {
      w[i] = std::pow(u(rng), 3);
      v[i] = u(rng) - 0.3;
      m[i] = u(rng) < 0.3 ? 1.0 : (u(rng) < 0.3 ? 0.0 : u(rng));
    }
    const double k = std::exp(6.0 * u(rng) - 3.0);
    std::vector<double> m_new = m;
    const WaterFillingStep step = water_filling_step(w, v, k, m_new, order);
    const double chi = brute_force_chi(w, v, m, k);
    INFO("trial " << trial);
    CHECK(step.chi == Approx(chi).epsilon(1e-9).margin(1e-12));
    double moved = 0.0;
    for (int i = 0; i < n; ++i) {
      moved += w[i] * (m_new[i] - m[i]);
      if (v[i] > chi * (1 + 1e-9) + 1e-12 && m[i] < 1.0) CHECK(m_new[i] == 1.0);
      if (v[i] < chi * (1 - 1e-9) - 1e-12) CHECK(m_new[i] == m[i]);
      CHECK(m_new[i] >= m[i]);
      CHECK(m_new[i] <= 1.0);
    }
    CHECK(moved == Approx(step.moved_mass).epsilon(1e-12).margin(1e-15));
    CHECK(k * moved == Approx(step.chi).epsilon(1e-9).margin(1e-12));  // χ = γR FI ΣwΔm/h

    // The ramp: χ = k Σ w min(1 − m, (v − χ)⁺/ε) by bisection; width → 0 gives the exact step.
    const double width = 0.05 * u(rng);
    std::vector<double> m_ramp = m;
    const WaterFillingStep ramp = water_filling_step(w, v, k, m_ramp, order, width);
    const auto ramp_gap = [&](double c) {
      double mass = 0.0;
      for (int i = 0; i < n; ++i)
        mass += w[i] * std::min(1.0 - m[i], std::max(0.0, v[i] - c) / width);
      return c - k * mass;
    };
    double lo = 0.0, hi = 2.0;
    for (int it = 0; it < 200; ++it) (ramp_gap(0.5 * (lo + hi)) < 0.0 ? lo : hi) = 0.5 * (lo + hi);
    CHECK(ramp.chi == Approx(0.5 * (lo + hi)).epsilon(1e-9).margin(1e-12));
    std::vector<double> m_thin = m;
    const WaterFillingStep thin = water_filling_step(w, v, k, m_thin, order, 1e-12);
    CHECK(thin.chi == Approx(chi).epsilon(1e-6).margin(1e-10));
  }
}

TEST_CASE("Type-resolved relocation reduces to (M7) at phi1 = 0.4 as M grows", "[type_resolved]") {
  // EXTENSION.md A6/A9: the end point error is first order in 1/M (cell-average decision);
  // the path error is dominated by the time step.
  const ReductionError e50 = reduction_error(1.0, 50, 0.05, 1.05);
  const ReductionError e100 = reduction_error(1.0, 100, 0.05, 1.05);
  const ReductionError e200 = reduction_error(1.0, 200, 0.05, 1.05);
  const ReductionError e400 = reduction_error(1.0, 400, 0.05, 1.05);
  INFO("U_inf errors " << e50.end << ", " << e100.end << ", " << e200.end << ", " << e400.end
                       << "; rates " << rate(e50.end, e100.end) << ", " << rate(e100.end, e200.end)
                       << ", " << rate(e200.end, e400.end));
  CHECK(e100.end < e50.end);
  CHECK(e200.end < e100.end);
  CHECK(e400.end < e200.end);
  CHECK(rate(e50.end, e100.end) > 0.5);
  CHECK(rate(e100.end, e200.end) > 0.5);
  CHECK(e400.end < 2e-4);
  // Path within the A9 prototype's figures (3.0e-3 at M = 50 with a coarser step).
  CHECK(e50.path < 5e-3);
  CHECK(e200.path < 5e-3);
  CHECK(e200.lambda_R < 1e-4);
}

TEST_CASE("Type-resolved relocation reduces to (M7) as the time step shrinks (gamma_R = 1, 100)",
          "[type_resolved]") {
  // max_step and the geometric ratio − 1 halved together (the early steps are h ≈ (g−1)t).
  for (double gamma_R : {1.0, 100.0}) {
    const ReductionError c = reduction_error(gamma_R, 100, 0.1, 1.1);
    const ReductionError m = reduction_error(gamma_R, 100, 0.05, 1.05);
    const ReductionError f = reduction_error(gamma_R, 100, 0.025, 1.025);
    INFO("gamma_R = " << gamma_R << ": path errors " << c.path << ", " << m.path << ", " << f.path
                      << "; lambda_R errors " << c.lambda_R << ", " << m.lambda_R << ", "
                      << f.lambda_R);
    CHECK(rate(c.path, m.path) > 0.7);
    CHECK(rate(m.path, f.path) > 0.7);
    CHECK(f.path < 2e-3);
    CHECK(f.lambda_R < m.lambda_R);
    CHECK(f.lambda_R < 1e-3);
  }
}

TEST_CASE("Type-resolved small shocks converge and agree with the single front (gamma_R = 1)",
          "[type_resolved]") {
  // φ1 = 0.3 and 0.2 diverged from the no-move guess with the plain safeguard: Φ expands the
  // long-run level of B − B* by ~1e4 and has a kink there (no return moves). V2 holds, so the
  // (M7) front is the answer up to the cell size: aR∞ from U∞ = aR∞^ρ within a tenth of a cell.
  // (φ1 = 0.1 at γR = 1 is on the edge: it converged or not depending on the first guess's last
  // digits; docs/variant_type_resolved.md lists it among the limits.)
  for (double phi1 : {0.3, 0.2}) {
    Parameters p;
    p.phi1 = phi1;
    p.gamma_R = 1.0;
    const TransitionResult ref = solve_transition(p, jump(p), {}, TransitionOptions{});
    REQUIRE(ref.trustworthy());
    TypeResolvedOptions o;
    o.max_step = 0.1;  // the coarse mesh of the time-step test: the answer, not its accuracy
    o.growth = 1.1;
    o.horizon = 30.0;
    const TypeResolvedResult r = solve_type_resolved(p, jump(p), {}, o);
    INFO("phi1 = " << phi1 << ": " << r.brief_report() << "; " << r.initial_guess_note << "\n"
                   << r.fixed_point.full_report());
    REQUIRE(r.trustworthy());
    CHECK(r.initial_guess == TypeResolvedGuess::SingleFront);
    const double front_from_U = std::pow(r.U_inf, 1.0 / p.rho);
    CHECK(std::fabs(front_from_U - ref.aR_inf) < 0.1 / o.type_cells);
    REQUIRE(r.moved_set_inf.size() == 1);
    CHECK(r.moved_set_inf[0].lower == 0.0);
    CHECK(r.lambda_R == Approx(ref.lambda_R).margin(1e-3));
  }
}

TEST_CASE("Type-resolved long run: (M4g), Kw = 1/(beta fI), B = B*", "[type_resolved]") {
  for (bool freeze : {false, true}) {
    Parameters p;
    p.phi1 = 0.6;
    TypeResolvedOptions o;
    o.freeze_capital = freeze;
    const TypeResolvedResult r = solve_type_resolved(p, jump(p), {}, o);
    INFO(r.brief_report());
    REQUIRE(r.trustworthy());
    const TypeResolvedPoint& end = r.path.back();
    CHECK(end.t == Approx(o.horizon));
    CHECK(end.B == Approx(end.B_star).epsilon(1e-6));
    CHECK((end.K + end.K_star) * p.beta() * p.fI() == Approx(1.0).epsilon(1e-6));
    // (M4g) from the reported shares, with the cell moments written out here.
    const std::vector<double>& m = r.moved_shares.back();
    const double c = p.c(), th = p.theta();
    const auto R = [&](double x) {
      double sum = 0.0;
      for (std::size_t i = 0; i < m.size(); ++i) {
        const double lo = r.cell_edges[i], hi = r.cell_edges[i + 1];
        if (x > lo) sum += m[i] * c * (std::pow(std::min(hi, x), th) - std::pow(lo, th));
      }
      return sum;
    };
    const double sk = end.sk, aD = end.aD, aX = end.aX;
    const double lhs = (1.0 - sk) * (R(aD) - end.phi * R(aX));
    const double rhs =
        c * ((p.sE - sk) * std::pow(aD, th) + (sk + p.sE - 1.0) * end.phi * std::pow(aX, th));
    CHECK(lhs == Approx(rhs).epsilon(1e-5));
    // HFT cut-offs (2.2) whatever the moved set.
    const HftEquilibrium h = hft(p, p.phi1);
    CHECK(aD == Approx(h.aD).epsilon(1e-6));
    CHECK(aX == Approx(h.aX).epsilon(1e-6));
    CHECK(r.U_inf == Approx(end.U));
    CHECK(r.validity.complementarity_ok);
    CHECK(r.validity.v0_prime_ok);
  }
}

TEST_CASE("Type-resolved at phi1 = 0.6: the second interval of EXTENSION.md A9",
          "[type_resolved]") {
  // A9 (prototype, γE → ∞, h_max = 0.25): [0, 0.55] ∪ [0.72, 0.75] and U∞ = 0.0614 at M = 100;
  // [0, 0.545] ∪ [0.715, 0.745] and U∞ = 0.0606 at M = 200; 18% below the flagged single front.
  // (A9 quotes 0.0709 for that front, but also aR∞ = 0.649, and 0.649^6 = 0.0748; the (M7)
  // solver at γE = 1e6 gives aR∞ = 0.6486: the reduction is checked against it.)
  Parameters p;
  p.phi1 = 0.6;
  Parameters stiff = p;
  stiff.gamma_E = 1e6;
  const TransitionResult front = solve_transition(stiff, jump(stiff), {}, TransitionOptions{});
  REQUIRE(front.converged);
  CHECK(front.aR_inf == Approx(0.649).margin(1e-3));
  const double u_front = std::pow(front.aR_inf, p.rho);
  TypeResolvedOptions o;
  o.freeze_capital = true;
  const struct {
    int cells;
    double U, lo, gap_lo, gap_hi;
  } expected[] = {{100, 0.0614, 0.55, 0.72, 0.75}, {200, 0.0606, 0.545, 0.715, 0.745}};
  for (const auto& x : expected) {
    o.type_cells = x.cells;
    const TypeResolvedResult r = solve_type_resolved(p, jump(p), {}, o);
    INFO(r.brief_report());
    REQUIRE(r.trustworthy());
    CHECK(r.U_inf == Approx(x.U).margin(5e-4));
    REQUIRE(r.moved_set_inf.size() == 2);
    const double cell = 1.0 / x.cells;
    CHECK(r.moved_set_inf[0].lower == 0.0);
    CHECK(r.moved_set_inf[0].upper == Approx(x.lo).margin(cell + 1e-9));
    CHECK(r.moved_set_inf[1].lower == Approx(x.gap_lo).margin(cell + 1e-9));
    CHECK(r.moved_set_inf[1].upper == Approx(x.gap_hi).margin(cell + 1e-9));
    CHECK(r.U_inf / u_front - 1.0 == Approx(-0.18).margin(0.01));
    CHECK(r.sk_inf == Approx(0.6));  // frozen capital: sk = K/(K + K*) at autarky
  }
}

TEST_CASE("Type-resolved with phi1 = phi0: nothing moves", "[type_resolved]") {
  Parameters p;
  p.phi0 = p.phi1 = 0.4;
  InitialStateSpec hft_start;
  hft_start.kind = InitialStateKind::Hft;
  const TypeResolvedResult r = solve_type_resolved(p, jump(p), hft_start, TypeResolvedOptions{});
  INFO(r.brief_report());
  REQUIRE(r.trustworthy());
  CHECK(r.U_inf == 0.0);
  CHECK(r.sn_inf == Approx(hft(p, 0.4).sn).epsilon(1e-9));
  CHECK(r.lambda_R == Approx(0.0).margin(1e-7));
  for (const TypeResolvedPoint& pt : r.path) CHECK(pt.B == Approx(pt.B_star).epsilon(1e-9));

  // From the instant-relocation steady state at φ0 (front inside a cell: (M5g) is off by
  // O(1/M), so the economy stays within a cell of its start).
  InitialStateSpec reloc;
  reloc.kind = InitialStateKind::Relocation;
  TypeResolvedOptions o;
  o.tolerance = 1e-9;  // almost nothing moves: Φ is flat to ~1e-10
  const TypeResolvedResult q = solve_type_resolved(p, jump(p), reloc, o);
  INFO(q.brief_report());
  REQUIRE(q.converged);
  CHECK(q.U_inf == Approx(q.path.front().U).epsilon(0.03));
  CHECK(q.sn_inf == Approx(p.sE).margin(2e-3));
}

TEST_CASE("Type-resolved: bad options throw, failures are reported", "[type_resolved]") {
  Parameters p;
  TypeResolvedOptions o;
  o.type_cells = 1;
  CHECK_THROWS_AS(solve_type_resolved(p, jump(p), {}, o), ParameterError);
  o = {};
  o.mixing = 0.0;
  CHECK_THROWS_AS(solve_type_resolved(p, jump(p), {}, o), ParameterError);
  o = {};
  o.max_step = 1e-12;
  CHECK_THROWS_AS(solve_type_resolved(p, jump(p), {}, o), ParameterError);
  Parameters q;
  q.gamma_R = 0.0;
  CHECK_THROWS_AS(solve_type_resolved(q, jump(q), {}, TypeResolvedOptions{}), ParameterError);
  q = {};
  q.gamma_E = 0.0;
  CHECK_THROWS_AS(solve_type_resolved(q, jump(q), {}, TypeResolvedOptions{}), ParameterError);
  o = {};
  o.freeze_capital = true;  // γE is not used then
  o.max_sweeps = 1;
  const TypeResolvedResult r = solve_type_resolved(q, jump(q), {}, o);
  CHECK_FALSE(r.converged);
  CHECK(r.fixed_point.termination == solvers::FixedPointTermination::NotConverged);
  CHECK_FALSE(r.trustworthy());
  CHECK_FALSE(r.warnings.empty());
}
