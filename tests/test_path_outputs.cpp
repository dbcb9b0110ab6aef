// GeneralModel::outputs (the cut-offs (M1), masses and moments (M2) from a few roots of the
// levels, aR's powers from w) against a straightforward evaluation of the definitions of
// docs/model.md written here with one pow per power, on random states and levels that put the
// cut-offs on both sides of the cap and of aR, and at the edges: aR = 0 and 1 (w = 0, w ≥ 1),
// K* = 0, φ = 0 (autarky), and φ off φ1 (a gradual trade path).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "models/dynamics.hpp"
#include "tests/random_parameters.hpp"

using namespace footloose;

namespace {

// The outputs at freeness phi, state y and demand levels B, B*, from the definitions, with the
// condition numbers of ā, ā* in the powers of the bounds (the sums of the moments' terms in
// absolute value over the moments: ā* = Q(aD*) − Q(aR) / … cancels where aD* ≈ aR).
struct Definitions {
  PathPoint o;
  double a_bar_condition = 1.0, a_bar_star_condition = 1.0;
};
Definitions outputs_from_definitions(const Parameters& p, double phi, const State& y, double B,
                                     double B_star) {
  const double sigma = p.sigma, rho = p.rho, theta = rho - (sigma - 1.0), c = rho / theta;
  const double f = sigma * (p.r + p.delta) * p.F;
  const auto cutoff = [&](double Z) {  // (M1)
    return Z <= 0.0 ? 0.0 : std::min(1.0, std::pow(Z / f, 1.0 / (sigma - 1.0)));
  };
  const auto G = [&](double a) { return std::pow(a, rho); };        // ∫_0^a dG
  const auto R = [&](double a) { return c * std::pow(a, theta); };  // ∫_0^a a^{1−σ} dG
  const auto Q = [&](double a) { return rho / (theta + 1.0) * std::pow(a, theta + 1.0); };
  Definitions d;
  PathPoint& o = d.o;
  o.phi = phi;
  o.K = y[kCapitalNorth];
  o.K_star = y[kCapitalSouth];
  o.w = y[kRelocationState];
  o.W = y[kValueNorth];
  o.S = y[kValueSouth];
  o.P = y[kRelocationValue];
  o.aR = std::min(1.0, std::pow(std::max(o.w, 0.0), 1.0 / (rho + sigma - 1.0)));  // w = aR^{ρ+σ−1}
  o.W_star = o.S + c * std::pow(o.aR, theta) * o.P / sigma;
  o.B = B;
  o.B_star = B_star;
  o.aD = cutoff(B);
  o.aX = cutoff(phi * B_star);
  o.aD_star = cutoff(B_star);
  o.aX_star = cutoff(phi * B);
  o.sk = o.K / (o.K + o.K_star);
  // active: North-born up to max(aD, aX); South-born a < aR up to the same, a > aR up to
  // max(aD*, aX*)
  const double north_reach = std::max(o.aD, o.aX), south_reach = std::max(o.aD_star, o.aX_star);
  const double north_born = o.K * G(north_reach);
  const double south_born = o.K_star * (G(std::min(o.aR, north_reach)) +
                                        (south_reach > o.aR ? G(south_reach) - G(o.aR) : 0.0));
  o.nw = north_born + south_born;
  o.sn = north_born / o.nw;
  o.relocation_flow = o.aR > 0.0 ? std::pow(o.aR, 1.0 - sigma) * o.P / (sigma * p.gamma_R * p.FI)
                                 : (o.P > 0.0 ? INFINITY : 0.0);
  o.entry_rate = (o.W / p.FI - 1.0) / p.gamma_E;
  o.entry_rate_star = o.K_star > 0.0 ? (o.W_star / p.FI - 1.0) / p.gamma_E : NAN;
  // revenue-weighted mean of a: North producers are North-born (all a) and South-born a < aR
  double rev = 0.0, a_rev = 0.0, rev_terms = 0.0, a_rev_terms = 0.0;
  const auto sell = [&](double weight, double lower, double upper, double level, double cut) {
    const double top = std::min(upper, cut);
    if (top <= lower) return;
    rev += weight * level * (R(top) - R(lower));
    a_rev += weight * level * (Q(top) - Q(lower));
    rev_terms += weight * level * (R(top) + R(lower));
    a_rev_terms += weight * level * (Q(top) + Q(lower));
  };
  const auto condition = [&] { return rev > 0.0 ? rev_terms / rev + a_rev_terms / a_rev : 1.0; };
  sell(o.K, 0.0, 1.0, B, o.aD);
  sell(o.K * phi, 0.0, 1.0, B_star, o.aX);
  sell(o.K_star, 0.0, o.aR, B, o.aD);
  sell(o.K_star * phi, 0.0, o.aR, B_star, o.aX);
  o.a_bar = rev > 0.0 ? a_rev / rev : NAN;
  d.a_bar_condition = condition();
  rev = a_rev = rev_terms = a_rev_terms = 0.0;
  sell(o.K_star, o.aR, 1.0, B_star, o.aD_star);
  sell(o.K_star * phi, o.aR, 1.0, B, o.aX_star);
  o.a_bar_star = rev > 0.0 ? a_rev / rev : NAN;
  d.a_bar_star_condition = condition();
  o.omega = std::log(p.sE / B) / (sigma - 1.0);  // ω = ln(m̄)/(σ−1), m̄ = sE/B
  o.omega_star = std::log((1.0 - p.sE) / B_star) / (sigma - 1.0);
  return d;
}

// |a − b| relative to |b| (0 if both are the same NaN or infinity).
double relative_difference(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0.0 : INFINITY;
  if (a == b) return 0.0;
  return std::fabs(a - b) / std::fabs(b);
}

}  // namespace

TEST_CASE("Path outputs from few powers equal the definitions", "[dynamics][outputs]") {
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double worst = 0.0;
  int capped = 0, uncapped_export = 0, aR_zero = 0, aR_one = 0, south_empty = 0, autarky = 0;
  for (int k = 0; k < 3000; ++k) {
    const Parameters p = footloose::testing::random_parameters(rng);
    // φ1 = 0 (autarky) now and then; a linear path from φ0 puts t < 1 off φ1
    const double phi1 = k % 10 == 0 ? 0.0 : 0.02 + 0.9 * u(rng);
    const double phi0 = k % 7 == 0 ? 0.0 : 0.9 * u(rng);
    const bool gradual = k % 3 == 0;
    const GeneralModel model(
        p, {gradual ? TradePathKind::Linear : TradePathKind::Jump, phi0, phi1, 1.0});
    const double t = 2.0 * u(rng);
    State y{};
    y[kCapitalNorth] = (0.05 + 2.0 * u(rng)) / p.fI();
    y[kCapitalSouth] = k % 11 == 0 ? 0.0 : (0.05 + 2.0 * u(rng)) / p.fI();
    switch (k % 5) {
      case 0:
        y[kRelocationState] = 0.0;  // aR = 0
        break;
      case 1:
        y[kRelocationState] = 1.0 + (k % 2) * u(rng);  // aR = 1 (capped)
        break;
      default:
        y[kRelocationState] = model.state_from_threshold(std::pow(u(rng), 0.5));
    }
    y[kValueNorth] = p.FI * (0.8 + 0.4 * u(rng));
    y[kValueSouth] = p.FI * (0.8 + 0.4 * u(rng));
    y[kRelocationValue] = p.FI * 0.1 * (u(rng) - 0.5);
    // levels from 0.05 f to 5 f (log-uniform): cut-offs below and at the cap
    DemandLevels levels;
    levels.B = p.f() * std::pow(10.0, -1.3 + 2.0 * u(rng));
    levels.B_star = p.f() * std::pow(10.0, -1.3 + 2.0 * u(rng));
    const PathPoint o = model.outputs(t, y.data(), levels);
    const Definitions definitions =
        outputs_from_definitions(p, model.trade_path()(t), y, levels.B, levels.B_star);
    const PathPoint& d = definitions.o;
    capped += d.aD == 1.0 || d.aD_star == 1.0;
    uncapped_export += d.aX > 0.0 && d.aX < 1.0;
    aR_zero += d.aR == 0.0;
    aR_one += d.aR == 1.0;
    south_empty += d.K_star == 0.0;
    autarky += d.phi == 0.0;
    const double fields[][2] = {
        {o.phi, d.phi},
        {o.K, d.K},
        {o.K_star, d.K_star},
        {o.w, d.w},
        {o.aR, d.aR},
        {o.W, d.W},
        {o.S, d.S},
        {o.P, d.P},
        {o.W_star, d.W_star},
        {o.sk, d.sk},
        {o.sn, d.sn},
        {o.nw, d.nw},
        {o.B, d.B},
        {o.B_star, d.B_star},
        {o.aD, d.aD},
        {o.aX, d.aX},
        {o.aD_star, d.aD_star},
        {o.aX_star, d.aX_star},
        {o.relocation_flow, d.relocation_flow},
        {o.entry_rate, d.entry_rate},
        {o.entry_rate_star, d.entry_rate_star},
        {o.omega, d.omega},
        {o.omega_star, d.omega_star},
    };
    for (const auto& field : fields) {
      const double e = relative_difference(field[0], field[1]);
      INFO("point " << k << " field " << (&field - fields) << ": " << field[0] << " vs "
                    << field[1]);
      CHECK(e <= 1e-14);
      worst = std::max(worst, e);
    }
    // ā, ā*: to 1e-14 times their condition in the bounds' powers
    const double e_bar = relative_difference(o.a_bar, d.a_bar) / definitions.a_bar_condition;
    const double e_bar_star =
        relative_difference(o.a_bar_star, d.a_bar_star) / definitions.a_bar_star_condition;
    INFO("point " << k << ": a_bar " << o.a_bar << " vs " << d.a_bar << ", a_bar_star "
                  << o.a_bar_star << " vs " << d.a_bar_star);
    CHECK(e_bar <= 1e-14);
    CHECK(e_bar_star <= 1e-14);
    worst = std::max({worst, e_bar, e_bar_star});
  }
  INFO("worst relative difference (ā, ā*: over their condition) " << worst);
  CHECK(worst <= 1e-14);
  // the edge cases were visited
  CHECK(capped > 100);
  CHECK(uncapped_export > 100);
  CHECK(aR_zero > 100);
  CHECK(aR_one > 100);
  CHECK(south_empty > 100);
  CHECK(autarky > 100);
}
