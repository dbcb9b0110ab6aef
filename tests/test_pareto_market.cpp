// (M1)-(M3) closed forms of pareto.hpp against quadrature and root-finding, and the temporary
// equilibrium (M5) against a brute-force bisection, corners included.
#include <catch2/catch.hpp>
#include <cmath>

#include "models/market.hpp"
#include "models/pareto.hpp"
#include "reference_model.hpp"

using footloose::MarketState;
using footloose::Parameters;
using footloose::Pareto;
using reference::MaxRelError;

namespace {
constexpr int kPoints = 200;
constexpr double kTol = 1e-10;

// Brute force for one market: bisection on log B of the increasing gap B·m̄(B) − E.
template <class Mbar>
double bisect_level(Mbar&& mbar, double E, double guess) {
  double lo = guess, hi = guess;
  while (lo * mbar(lo) > E) lo *= 0.5;
  while (hi * mbar(hi) < E) hi *= 2.0;
  for (int i = 0; i < 400 && hi > lo * (1.0 + 4e-16); ++i) {
    const double mid = std::sqrt(lo * hi);
    (mid * mbar(mid) < E ? lo : hi) = mid;
  }
  return std::sqrt(lo * hi);
}
}  // namespace

TEST_CASE("(M1) cut-off equals the root of a^(1-sigma) Z = f, capped at 1", "[pareto]") {
  reference::Sampler rs(11);
  MaxRelError err{"(M1) cut-off vs root-finding"};
  int capped = 0;
  for (int i = 0; i < kPoints; ++i) {
    const Parameters p = rs.parameters();
    const reference::Economy e(p);
    const double Z = p.f() * std::exp(rs.uniform(-8.0, 1.0));
    const double want = reference::cutoff(e, Z);
    capped += want == 1.0;
    err.add(Pareto(p).cutoff(Z), want);
  }
  CHECK(capped > 10);
  CHECK(err.within(kTol));
}

TEST_CASE("(M2) Pareto moments equal quadrature with density rho a^(rho-1)", "[pareto]") {
  reference::Sampler rs(12);
  MaxRelError rev{"(M2) revenue moment vs quadrature"};
  MaxRelError mass{"(M2) mass vs quadrature"};
  MaxRelError prod{"(M2) productivity moment vs quadrature"};
  for (int i = 0; i < kPoints; ++i) {
    const Parameters p = rs.parameters();
    const reference::Economy e(p);
    const Pareto pareto(p);
    const double U = rs.uniform(0.05, 1.0);
    const double L = i % 4 == 0 ? 0.0 : U * rs.uniform(0.0, 0.9);
    rev.add(pareto.revenue_moment(L, U), reference::integral(e, L, U, 1.0 - p.sigma));
    mass.add(pareto.mass(L, U), reference::integral(e, L, U, 0.0));
    prod.add(pareto.productivity_moment(L, U), reference::integral(e, L, U, 2.0 - p.sigma));
  }
  CHECK(rev.within(kTol));
  CHECK(mass.within(kTol));
  CHECK(prod.within(kTol));
}

TEST_CASE("(M3) profit integral J equals sigma times the quadrature of operating profit",
          "[pareto]") {
  reference::Sampler rs(13);
  MaxRelError err{"(M3) J(L,U;Z) vs quadrature"};
  MaxRelError closed{"(M3) J(0,1;Z) = f kappa^rho/(beta-1) vs quadrature"};
  MaxRelError full{
      "(M3) full_profit_integral(Z) vs quadrature of J(0,1;Z), capped cut-offs included"};
  int empty = 0;
  for (int i = 0; i < kPoints; ++i) {
    const Parameters p = rs.parameters();
    const reference::Economy e(p);
    const Pareto pareto(p);
    const double Z = p.f() * std::exp(rs.uniform(-6.0, 0.7));
    const double U = rs.uniform(0.1, 1.0);
    const double L = i % 3 == 0 ? 0.0 : U * rs.uniform(0.0, 0.9);
    full.add(pareto.full_profit_integral(Z), p.sigma * reference::profit(e, 0.0, 1.0, Z));
    const double want = p.sigma * reference::profit(e, L, U, Z);
    if (want == 0.0) {  // the whole interval lies above the cut-off
      ++empty;
      CHECK(pareto.profit_integral(L, U, Z) == 0.0);
      continue;
    }
    err.add(pareto.profit_integral(L, U, Z), want);
    if (Z < p.f()) {  // interior cut-off
      closed.add(p.f() * std::pow(pareto.cutoff(Z), p.rho) / (p.beta() - 1.0),
                 p.sigma * reference::profit(e, 0.0, 1.0, Z));
    }
  }
  CHECK(empty > 5);
  CHECK(err.within(kTol));
  CHECK(closed.within(kTol));
  CHECK(full.within(kTol));
}

TEST_CASE("(M5) temporary equilibrium matches a brute-force bisection, corners included",
          "[market]") {
  reference::Sampler rs(14);
  MaxRelError levels{"(M5) B, B* vs bisection"};
  MaxRelError cuts{"(M5) aD, aX, aD*, aX* vs bisection"};
  int capped = 0, above_export = 0, above_domestic = 0, no_south = 0;
  for (int i = 0; i < kPoints; ++i) {
    const Parameters p = rs.parameters();
    const reference::Economy e(p);
    MarketState s;
    const double Kw = 1.0 / (p.beta() * p.fI());
    s.K = Kw * std::exp(rs.uniform(-4.0, 1.0));
    s.K_star = i % 25 == 0 ? 0.0 : Kw * std::exp(rs.uniform(-4.0, 1.0));
    s.aR = i % 7 == 0 ? 0.0 : (i % 11 == 0 ? 1.0 : rs.uniform(0.0, 1.0));
    s.phi = rs.uniform(0.0, 0.99);
    const auto eq = footloose::solve_temporary_equilibrium(p, s);
    const reference::State rstate{s.K, s.K_star, s.aR, s.phi};
    const double guess = p.f();
    const double B =
        bisect_level([&](double x) { return reference::north_mbar(e, rstate, x); }, p.sE, guess);
    const double Bs = bisect_level([&](double x) { return reference::south_mbar(e, rstate, x); },
                                   1.0 - p.sE, guess);
    levels.add(eq.B, B);
    levels.add(eq.B_star, Bs);
    const double aD = reference::cutoff(e, B), aX = reference::cutoff(e, s.phi * Bs);
    const double aDs = reference::cutoff(e, Bs), aXs = reference::cutoff(e, s.phi * B);
    cuts.add(eq.aD, aD);
    cuts.add(eq.aX, aX);
    cuts.add(eq.aD_star, aDs);
    cuts.add(eq.aX_star, aXs);
    capped += aD == 1.0 || aDs == 1.0;
    above_export += s.aR > aX || s.aR > aXs;
    above_domestic += s.aR > aD;
    no_south += s.K_star == 0.0;
  }
  INFO("corners: capped " << capped << ", aR > export cut-off " << above_export << ", aR > aD "
                          << above_domestic << ", K* = 0 " << no_south);
  CHECK(capped >= 10);
  CHECK(above_export >= 20);
  CHECK(above_domestic >= 10);
  CHECK(no_south >= 5);
  CHECK(levels.within(kTol));
  CHECK(cuts.within(kTol));
}
