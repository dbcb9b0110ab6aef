// Economics that the experiments use, against independent computations: the relocation gain of
// one type (docs/model.md 3.11) integrated over types against the closed-form profit flows (M6),
// its present value along a path against the closed form for an exponentially closing gap, the
// paper's (13)-(14) against the true gain where they apply, revenue weights (paper (10)) against
// market clearing and the closed-form productivity (2.5), the welfare index and its path integral
// (2.6) against the price index by quadrature and a closed form, and the static V1/V2 bound
// against the partition point (18) and a brute-force search over types. Markets and cut-offs come
// from reference_model.hpp (quadrature and root-finding), never from models/market.cpp.
#include <algorithm>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/dynamics.hpp"
#include "models/productivity_welfare.hpp"
#include "models/relocation_gain.hpp"
#include "models/revenue_weights.hpp"
#include "models/static_equilibria.hpp"
#include "models/validity.hpp"
#include "models/welfare_path.hpp"
#include "reference_model.hpp"

using namespace footloose;
using reference::MaxRelError;

namespace {

// An instant with markets cleared by the reference solver and cut-offs by root-finding (M1).
PathPoint reference_instant(const Parameters& p, const reference::State& s) {
  const reference::Economy e(p);
  const reference::Levels levels = reference::solve_markets(e, s);
  PathPoint x;
  x.K = s.K, x.K_star = s.K_star, x.aR = s.aR, x.phi = s.phi;
  x.B = levels.B, x.B_star = levels.B_star;
  x.aD = reference::cutoff(e, x.B);
  x.aX = reference::cutoff(e, s.phi * x.B_star);
  x.aD_star = reference::cutoff(e, x.B_star);
  x.aX_star = reference::cutoff(e, s.phi * x.B);
  return x;
}

// ∫_0^1 fn(a) dG(a), dG = ρ a^{ρ−1} da, by adaptive Gauss-Kronrod between consecutive breakpoints
// (fn may have kinks or steps there). On the first piece [0, a0], fn(a) ~ a^{1−σ} makes the
// integrand ~ a^{θ−1}: with a = a0 u^{1/θ} it is smooth in u, and no node comes near a = 0.
template <class Fn>
double integrate_types(const Parameters& p, Fn&& fn, std::vector<double> breaks) {
  using Quadrature = boost::math::quadrature::gauss_kronrod<double, 61>;
  breaks.push_back(0.0), breaks.push_back(1.0);
  std::sort(breaks.begin(), breaks.end());
  const double theta = p.theta();
  double sum = 0.0;
  for (std::size_t i = 1; i < breaks.size(); ++i) {
    const double L = std::clamp(breaks[i - 1], 0.0, 1.0), U = std::clamp(breaks[i], 0.0, 1.0);
    if (!(U > L)) continue;
    const auto density = [&](double a) { return fn(a) * p.rho * std::pow(a, p.rho - 1.0); };
    if (L > 0.0) {
      sum += Quadrature::integrate(density, L, U, 12, 1e-14);
    } else {
      sum += Quadrature::integrate(
          [&](double u) {
            const double a = U * std::pow(u, 1.0 / theta);
            return density(a) * U / theta * std::pow(u, 1.0 / theta - 1.0);
          },
          0.0, 1.0, 12, 1e-14);
    }
  }
  return sum;
}

// Random parameters with θ = (σ−1)(β−1) ≥ 0.3 and an interior autarky cut-off.
Parameters random_parameters(reference::Sampler& rs) {
  Parameters p;
  p.sigma = rs.uniform(2.0, 6.0);
  const double beta = rs.uniform(1.3, 3.0);
  p.rho = beta * (p.sigma - 1.0);
  p.sE = rs.uniform(0.51, 0.9);
  p.F = rs.uniform(0.5, 3.0);
  p.delta = rs.uniform(0.02, 0.2);
  p.r = rs.uniform(0.0, 0.1);
  p.FI = p.F * rs.uniform(0.05, 0.95) / (beta - 1.0);
  return p;
}

std::vector<double> cutoffs(const PathPoint& x) {
  return {x.aR, x.aD, x.aX, x.aD_star, x.aX_star};
}

reference::State random_state(reference::Sampler& rs) {
  return {rs.uniform(0.3, 1.2), rs.uniform(0.2, 0.8), rs.uniform(0.02, 0.7), rs.uniform(0.05, 0.8)};
}

// A path on [0, T] with N intervals where B − B* = ε B* e^{−λt} (B* and φ fixed).
std::vector<PathPoint> closing_gap_path(double B_star, double eps, double lambda, double phi,
                                        double T, int N) {
  std::vector<PathPoint> path(N + 1);
  for (int k = 0; k <= N; ++k) {
    PathPoint& x = path[k];
    x.t = T * k / N;
    x.phi = phi;
    x.B_star = B_star;
    x.B = B_star * (1.0 + eps * std::exp(-lambda * x.t));
  }
  return path;
}

}  // namespace

TEST_CASE("relocation gain flow integrates over types to piN - piS of (M6)", "[relocation_gain]") {
  reference::Sampler rs(121);
  // The difference π̄N − π̄S can be small against either flow: the error is measured against π̄N.
  MaxRelError err{"int gain dG vs (M6) piN - piS (relative to piN)"};
  for (int i = 0; i < 60; ++i) {
    const Parameters p = random_parameters(rs);
    const PathPoint x = reference_instant(p, random_state(rs));
    const GeneralModel model(p, TradePath{TradePathKind::Jump, x.phi, x.phi, 0.0});
    const double north = model.north_profit_flow(x.B, x.B_star, x.phi);
    const double want = north - model.south_profit_flow(x.B, x.B_star, x.phi);
    const double got = integrate_types(
        p, [&](double a) { return relocation_gain_flow(p, x, a); }, cutoffs(x));
    err.add(north + (got - want), north);
  }
  CHECK(err.within(1e-10));
}

TEST_CASE(
    "paper (13)-(14) equal the true gain below both export cut-offs and above both, not in the "
    "band",
    "[relocation_gain]") {
  reference::Sampler rs(122);
  int band_checked = 0;
  for (int i = 0; i < 40; ++i) {
    const Parameters p = random_parameters(rs);
    const PathPoint x = reference_instant(p, random_state(rs));
    if (!(x.B > x.B_star) || x.aX_star >= std::min(x.aD, x.aD_star)) continue;
    const double lo = std::min(x.aX, x.aX_star), hi = std::max(x.aX, x.aX_star),
                 top = std::min(x.aD, x.aD_star);
    for (double a : {0.3 * lo, 0.9 * lo}) {  // exporter from both locations: (13)
      const double paper = paper_relocation_gain_flow(p, x, a).exporter;
      CHECK(paper == Approx(relocation_gain_flow(p, x, a)).epsilon(1e-12));
      CHECK(std::isnan(paper_relocation_gain_flow(p, x, a).domestic));
    }
    for (double a : {hi + 0.1 * (top - hi), hi + 0.9 * (top - hi)}) {  // domestic in both: (14)
      CHECK(paper_relocation_gain_flow(p, x, a).domestic ==
            Approx(relocation_gain_flow(p, x, a)).epsilon(1e-12));
    }
    // Between the export cut-offs (aX < a < aX*) the true gain is a^{1−σ}((1−φ)B − B*)/σ + f/σ
    // (docs/model.md 3.11), not the paper's: (14) there is larger.
    const double a = 0.5 * (lo + hi);
    const double band =
        (std::pow(a, 1.0 - p.sigma) * ((1.0 - x.phi) * x.B - x.B_star) + p.f()) / p.sigma;
    CHECK(relocation_gain_flow(p, x, a) == Approx(band).epsilon(1e-10));
    CHECK(paper_relocation_gain_flow(p, x, a).domestic > relocation_gain_flow(p, x, a));
    // The paper's two curves differ by 1/(1−φ) at aX.
    const PaperRelocationGain at = paper_relocation_gain_flow(p, x, x.aX);
    const PaperRelocationGain above = paper_relocation_gain_flow(p, x, x.aX * (1 + 1e-13));
    CHECK(above.domestic / at.exporter == Approx(1.0 / (1.0 - x.phi)).epsilon(1e-9));
    ++band_checked;
  }
  CHECK(band_checked >= 10);
}

TEST_CASE("present value of the gain along a closing gap: closed form, second order in the step",
          "[relocation_gain]") {
  Parameters
      p;  // baseline: f = 0.8; with B* = 0.5, φ = 0.4 the type a = 0.3 exports from both places
  p.r = 0.03;
  const double B_star = 0.5, eps = 0.05, lambda = 0.7, phi = 0.4, T = 30.0, a = 0.3;
  const double d = p.discount();
  const double C = std::pow(a, 1.0 - p.sigma) * (1.0 - phi) * B_star * eps / p.sigma;
  // v(a, t) = ∫_t^T e^{−d(s−t)} C e^{−λs} ds
  const auto exact = [&](double t) {
    return C * std::exp(-lambda * t) * (1.0 - std::exp(-(d + lambda) * (T - t))) / (d + lambda);
  };
  double previous_error = 0.0;
  for (int N : {1500, 3000, 6000}) {
    const auto path = closing_gap_path(B_star, eps, lambda, phi, T, N);
    const std::vector<double> v = relocation_gain_value(p, path, a);
    const double error = std::fabs(v[0] / exact(0.0) - 1.0);
    CHECK(error < 1e-4);
    CHECK(v[N / 2] == Approx(exact(path[N / 2].t)).epsilon(1e-4));
    CHECK(v[N] == 0.0);
    if (previous_error > 0.0) CHECK(previous_error / error == Approx(4.0).epsilon(0.05));
    previous_error = error;
    // Values from index `from` on are the same; before it, zero.
    const std::vector<double> tail = relocation_gain_value(p, path, a, N / 3);
    CHECK(tail[N / 3 - 1] == 0.0);
    CHECK(tail[N / 2] == Approx(v[N / 2]).epsilon(1e-14));
  }
}

TEST_CASE("revenue weights: total revenue is world expenditure, weighted means are (10)",
          "[revenue_weights]") {
  reference::Sampler rs(123);
  MaxRelError total{"int (north + south) a^(1-sigma) dG vs 1"},
      mean{"revenue-weighted a vs (10) closed form"};
  for (int i = 0; i < 60; ++i) {
    const Parameters p = random_parameters(rs);
    const reference::State s = random_state(rs);
    const PathPoint x = reference_instant(p, s);
    const auto integral = [&](auto&& fn) { return integrate_types(p, fn, cutoffs(x)); };
    const double north = integral(
        [&](double a) { return revenue_weights(x, a).north * std::pow(a, 1.0 - p.sigma); });
    const double south = integral(
        [&](double a) { return revenue_weights(x, a).south * std::pow(a, 1.0 - p.sigma); });
    total.add(north + south, 1.0);  // (M5): sales in the North sE, in the South 1 − sE
    const TemporaryEquilibrium eq{x.B, x.B_star, x.aD, x.aX, x.aD_star, x.aX_star, 0};
    const ProductivityWelfare closed =
        productivity_welfare(p, MarketState{s.K, s.K_star, s.aR, s.phi}, eq);
    mean.add(integral([&](double a) {
               return revenue_weights(x, a).north * std::pow(a, 2.0 - p.sigma);
             }) / north,
             closed.a_bar);
    if (south > 0.0)
      mean.add(integral([&](double a) {
                 return revenue_weights(x, a).south * std::pow(a, 2.0 - p.sigma);
               }) / south,
               closed.a_bar_star);
  }
  CHECK(total.within(1e-9));
  CHECK(mean.within(1e-9));
}

TEST_CASE("welfare index is ln of the price-index term by quadrature over sellers", "[welfare]") {
  reference::Sampler rs(124);
  MaxRelError err{"welfare_index vs ln(mbar)/(sigma-1) by quadrature"};
  for (int i = 0; i < 40; ++i) {
    const Parameters p = random_parameters(rs);
    const reference::State s = random_state(rs);
    const reference::Economy e(p);
    const PathPoint x = reference_instant(p, s);
    // m̄ = Σ over the varieties sold in a market of a^{1−σ} dG (weight φ on imports): the CES price
    // index term, computed without the demand level.
    err.add(welfare_index(p, p.sE, x.B),
            std::log(reference::north_mbar(e, s, x.B)) / (p.sigma - 1.0));
    err.add(welfare_index(p, 1.0 - p.sE, x.B_star),
            std::log(reference::south_mbar(e, s, x.B_star)) / (p.sigma - 1.0));
  }
  CHECK(err.within(1e-9));
}

TEST_CASE("welfare gap integral: closed form for an exponential approach, second order in the step",
          "[welfare]") {
  const double omega_inf = -0.09, A = 0.02, lambda = 0.4, T = 40.0;
  for (double r : {0.0, 0.05}) {
    // ∫_0^T (A e^{−λt} − A e^{−λT}) e^{−rt} dt: the integrand is measured against ω(T).
    const double tail = r > 0 ? (1.0 - std::exp(-r * T)) / r : T;
    const double exact =
        A * ((1.0 - std::exp(-(r + lambda) * T)) / (r + lambda) - std::exp(-lambda * T) * tail);
    double previous_error = 0.0;
    for (int N : {200, 400, 800}) {
      std::vector<PathPoint> path(N + 1);
      for (int k = 0; k <= N; ++k) {
        path[k].t = T * k / N;
        path[k].omega = omega_inf + A * std::exp(-lambda * path[k].t);
        path[k].omega_star = omega_inf - A * std::exp(-lambda * path[k].t);
      }
      const double got = welfare_gap_integral(path, &PathPoint::omega, r);
      const double error = std::fabs(got / exact - 1.0);
      CHECK(error < 1e-3);
      CHECK(welfare_gap_integral(path, &PathPoint::omega_star, r) == Approx(-got).epsilon(1e-14));
      if (previous_error > 0.0) CHECK(previous_error / error == Approx(4.0).epsilon(0.05));
      previous_error = error;
    }
  }
  CHECK(std::isnan(welfare_gap_integral(std::vector<PathPoint>(1), &PathPoint::omega, 0.0)));
}

TEST_CASE(
    "static V1 is phi <= phi_P (18), and static V2 agrees with a search over types near B = B*",
    "[validity]") {
  int v2_true = 0, v2_false = 0, v1_false = 0;
  for (const auto& [sigma, rho] : {std::pair{4.0, 6.0}, std::pair{3.0, 5.0}, std::pair{6.0, 7.5}}) {
    for (double sE : {0.55, 0.6, 0.7, 0.8}) {
      Parameters p;
      p.sigma = sigma, p.rho = rho, p.sE = sE;
      for (int i = 1; i < 40; ++i) {
        const double phi = 0.025 * i;
        RelocationEquilibrium e;
        try {
          e = instant_relocation(p, phi, SelectionReading::Instant);
        } catch (const std::exception&) {
          continue;  // beyond the domain of the static equilibrium
        }
        if (e.sustained) continue;
        const StaticValidity s = static_validity(p, phi, e);
        const double phi_P = (1.0 - sE) / sE;  // paper (18), written out
        if (std::fabs(phi - phi_P) > 1e-6) CHECK(s.v1 == (phi <= phi_P));
        if (!s.v1) {
          ++v1_false;
          continue;
        }
        if (std::fabs(s.v2_margin) < 1e-5 * e.aX) continue;  // too close to call for a finite ε
        // Brute force: B = B*(1 + ε), each location with its own cut-offs; does the marginal type
        // aR gain most among a > aR?
        const reference::Economy ref(p);
        PathPoint x;
        x.phi = phi, x.B_star = e.B, x.B = e.B * (1.0 + 1e-8);
        x.aD = reference::cutoff(ref, x.B), x.aX = reference::cutoff(ref, phi * x.B_star);
        x.aD_star = reference::cutoff(ref, x.B_star), x.aX_star = reference::cutoff(ref, phi * x.B);
        std::vector<double> types;
        for (int j = 1; j <= 2000; ++j) types.push_back(e.aR + (x.aD - e.aR) * j / 2000.0);
        for (double c : {x.aX, x.aX_star, x.aD_star})
          types.insert(types.end(), {c * (1 - 1e-12), c * (1 + 1e-12)});
        double best = -INFINITY;
        for (double a : types)
          if (a > e.aR && a <= x.aD) best = std::max(best, relocation_gain_flow(p, x, a));
        const bool marginal_gains_most = relocation_gain_flow(p, x, e.aR) >= best;
        CHECK(s.v2 == marginal_gains_most);
        (s.v2 ? v2_true : v2_false)++;
      }
    }
  }
  CHECK(v2_true > 10);
  CHECK(v2_false > 5);
  CHECK(v1_false > 10);
}
