// Independent numerical reference for the static-equilibrium tests.
//
// Everything here is computed from the primitive definitions, never from a closed form of
// models/: Pareto integrals by tanh-sinh quadrature over a with density ρ a^{ρ−1} on [0, 1],
// cut-offs by TOMS 748 root-finding on "flow operating profit = flow beachhead cost",
// demand levels by root-finding on market clearing E = B·m̄(B), free entry (r+δ)FI = expected
// operating-profit flow by root-finding. Only Parameters' primitive fields are read.
#pragma once

#include <algorithm>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

#include "models/parameters.hpp"

namespace reference {

struct Economy {
  double sigma, rho, sE;
  double beachhead;  // (r+δ)F: flow cost of serving one market
  double creation;   // (r+δ)FI: flow cost of a unit of capital
  explicit Economy(const footloose::Parameters& p)
      : sigma(p.sigma),
        rho(p.rho),
        sE(p.sE),
        beachhead((p.r + p.delta) * p.F),
        creation((p.r + p.delta) * p.FI) {}
};

// Root of an increasing function on (0, ∞) (TOMS 748 after geometric bracket expansion).
template <class Fn>
double root_increasing(Fn&& fn, double guess) {
  double lo = guess, hi = guess;
  double flo = fn(lo), fhi = flo;
  for (int i = 0; flo > 0.0; ++i) {
    if (i > 400) throw std::runtime_error("reference: no lower bracket");
    hi = lo, fhi = flo, lo *= 0.5, flo = fn(lo);
  }
  for (int i = 0; fhi < 0.0; ++i) {
    if (i > 400) throw std::runtime_error("reference: no upper bracket");
    lo = hi, flo = fhi, hi *= 2.0, fhi = fn(hi);
  }
  if (flo == 0.0) return lo;
  if (fhi == 0.0) return hi;
  std::uintmax_t iterations = 300;
  const auto r = boost::math::tools::toms748_solve(
      fn, lo, hi, flo, fhi, boost::math::tools::eps_tolerance<double>(53), iterations);
  return 0.5 * (r.first + r.second);
}

// Root of a function on [lo, hi] given opposite signs at the ends.
template <class Fn>
double root_between(Fn&& fn, double lo, double hi) {
  std::uintmax_t iterations = 300;
  const auto r = boost::math::tools::toms748_solve(
      fn, lo, hi, boost::math::tools::eps_tolerance<double>(53), iterations);
  return 0.5 * (r.first + r.second);
}

// ∫_L^U a^k dG(a) with dG = ρ a^{ρ−1} da, by tanh-sinh quadrature.
inline double integral(const Economy& e, double L, double U, double k) {
  if (!(U > L)) return 0.0;
  static thread_local boost::math::quadrature::tanh_sinh<double> quad;
  const double ex = k + e.rho - 1.0, width = U - L;
  // Mapped onto t ∈ [0, 1], a = L + (U − L)t, so that narrow intervals keep distinct abscissae.
  return width * quad.integrate([&](double t) { return e.rho * std::pow(L + width * t, ex); }, 0.0,
                                1.0, 1e-14);
}
inline double revenue_integral(const Economy& e, double L, double U) {
  return integral(e, L, U, 1.0 - e.sigma);
}

// Largest type a ≤ 1 whose operating profit a^{1−σ}Z/σ covers the beachhead flow (0 if none).
inline double cutoff(const Economy& e, double Z) {
  if (!(Z > 0.0)) return 0.0;
  const auto gain = [&](double a) {
    return std::pow(a, 1.0 - e.sigma) * Z / e.sigma - e.beachhead;
  };
  if (gain(1.0) >= 0.0) return 1.0;
  double lo = 0.5;
  while (gain(lo) <= 0.0) lo *= 0.5;
  return root_between(gain, lo, 1.0);
}

// Σ over types [L, U] of max(0, operating profit − beachhead flow) in a market of level Z.
inline double profit(const Economy& e, double L, double U, double Z) {
  const double top = std::min(U, cutoff(e, Z));
  if (top <= L) return 0.0;
  return Z / e.sigma * revenue_integral(e, L, top) - e.beachhead * integral(e, L, top, 0.0);
}

// A temporary state: capital by birthplace and the relocated set [0, aR) of South-born types.
struct State {
  double K, K_star, aR, phi;
};

// m̄ of the North at level B: North-located sellers (North-born, South-born a < aR) sell there
// if a ≤ κ(B); South-located ones (South-born a > aR) export to it if a ≤ κ(φB), weight φ.
inline double north_mbar(const Economy& e, const State& s, double B) {
  const double local = cutoff(e, B), imports = cutoff(e, s.phi * B);
  return s.K * revenue_integral(e, 0.0, local) +
         s.K_star * revenue_integral(e, 0.0, std::min(s.aR, local)) +
         s.phi * s.K_star * revenue_integral(e, s.aR, imports);
}
inline double south_mbar(const Economy& e, const State& s, double B_star) {
  const double local = cutoff(e, B_star), imports = cutoff(e, s.phi * B_star);
  return s.phi * s.K * revenue_integral(e, 0.0, imports) +
         s.phi * s.K_star * revenue_integral(e, 0.0, std::min(s.aR, imports)) +
         s.K_star * revenue_integral(e, s.aR, local);
}

struct Levels {
  double B, B_star;
};
// Market clearing E = B·m̄(B) in each nation (B·m̄(B) is increasing in B).
inline Levels solve_markets(const Economy& e, const State& s) {
  const double guess = e.sigma * e.beachhead;
  const double B = root_increasing([&](double x) { return x * north_mbar(e, s, x) - e.sE; }, guess);
  const double Bs =
      root_increasing([&](double x) { return x * south_mbar(e, s, x) - (1.0 - e.sE); }, guess);
  return {B, Bs};
}

// Autarky of one nation with expenditure E: free entry (r+δ)FI = Σ_a profit, market clearing.
struct Autarky {
  double B, aD, K, n;
};
inline Autarky autarky(const Economy& e, double E) {
  Autarky a;
  a.B = root_increasing([&](double B) { return profit(e, 0.0, 1.0, B) - e.creation; },
                        e.sigma * e.beachhead);
  a.aD = cutoff(e, a.B);
  a.K = E / (a.B * revenue_integral(e, 0.0, a.aD));
  a.n = a.K * integral(e, 0.0, a.aD, 0.0);
  return a;
}

// Instant entry/exit, no relocation: both free-entry conditions (solved nested: North's gives B
// for each B*, then South's gives B*), then market clearing (linear in K, K*).
struct Hft {
  double B, B_star, aD, aX, aD_star, aX_star, K, K_star, nw, sn;
};
inline Hft hft(const Economy& e, double phi) {
  const double guess = e.sigma * e.beachhead;
  const auto north_B = [&](double Bs) {
    const double exports = profit(e, 0.0, 1.0, phi * Bs);
    if (exports >= e.creation) return 0.0;  // exports alone pay for entry: B → 0
    return root_increasing([&](double B) { return profit(e, 0.0, 1.0, B) + exports - e.creation; },
                           guess);
  };
  Hft h;
  h.B_star = root_increasing(
      [&](double Bs) {
        return profit(e, 0.0, 1.0, Bs) + profit(e, 0.0, 1.0, phi * north_B(Bs)) - e.creation;
      },
      guess);
  h.B = north_B(h.B_star);
  h.aD = cutoff(e, h.B), h.aX = cutoff(e, phi * h.B_star);
  h.aD_star = cutoff(e, h.B_star), h.aX_star = cutoff(e, phi * h.B);
  // sE = B[K R(aD) + φK* R(aX*)], 1 − sE = B*[φK R(aX) + K* R(aD*)]
  const double a11 = h.B * revenue_integral(e, 0, h.aD),
               a12 = h.B * phi * revenue_integral(e, 0, h.aX_star);
  const double a21 = h.B_star * phi * revenue_integral(e, 0, h.aX),
               a22 = h.B_star * revenue_integral(e, 0, h.aD_star);
  const double det = a11 * a22 - a12 * a21;
  h.K = (e.sE * a22 - a12 * (1.0 - e.sE)) / det;
  h.K_star = (a11 * (1.0 - e.sE) - a21 * e.sE) / det;
  const double nN = h.K * integral(e, 0, h.aD, 0.0), nS = h.K_star * integral(e, 0, h.aD_star, 0.0);
  h.nw = nN + nS;
  h.sn = nN / h.nw;
  return h;
}

// All capital created in the North (K* = 0): North free entry with market clearing in both
// nations (B, B* fall as K rises). Also returns the South's entry profit, which must be ≤ FI.
struct Agglomerated {
  double K, B, B_star, aD, aX, south_entry_profit;
};
inline Agglomerated hft_agglomerated(const Economy& e, double phi) {
  const auto levels = [&](double K) { return solve_markets(e, State{K, 0.0, 0.0, phi}); };
  Agglomerated g;
  g.K = root_increasing(
      [&](double K) {
        const Levels l = levels(K);
        return e.creation - profit(e, 0.0, 1.0, l.B) - profit(e, 0.0, 1.0, phi * l.B_star);
      },
      1.0 / e.creation);
  const Levels l = levels(g.K);
  g.B = l.B, g.B_star = l.B_star;
  g.aD = cutoff(e, g.B), g.aX = cutoff(e, phi * g.B_star);
  g.south_entry_profit = profit(e, 0.0, 1.0, g.B_star) + profit(e, 0.0, 1.0, phi * g.B);
  return g;
}

// Instant relocation from autarky capital: aR where the location condition B = B* holds
// (log(B/B*) falls as aR rises). sustained = true if B > B* even with every type moved.
struct Relocation {
  double aR, B, B_star, aD, aX;
  bool sustained;
};
template <class Markets>
Relocation relocation_from(Markets&& markets, double top) {
  const auto gap = [&](double aR) {
    const Levels l = markets(aR);
    return std::log(l.B / l.B_star);
  };
  Relocation r{};
  r.sustained = gap(top) > 0.0;
  r.aR = r.sustained ? top : root_between(gap, 0.0, top);
  const Levels l = markets(r.aR);
  r.B = l.B, r.B_star = l.B_star;
  return r;
}
// Instant selection: cut-offs obey their conditions, (M5)-type markets by quadrature.
inline Relocation relocation_instant(const Economy& e, double K, double K_star, double phi) {
  Relocation r = relocation_from(
      [&](double aR) {
        return solve_markets(e, State{K, K_star, aR, phi});
      },
      1.0);
  r.aD = cutoff(e, r.B), r.aX = cutoff(e, phi * r.B_star);
  return r;
}
// Frozen selection: the active set stays [0, aD0] (no domestic cut-off condition); only export
// decisions respond (a ≤ κ(φ·level)).
inline Relocation relocation_frozen(const Economy& e, double K, double K_star, double aD0,
                                    double phi) {
  const auto markets = [&](double aR) {
    const auto R = [&](double L, double U) { return revenue_integral(e, L, std::min(U, aD0)); };
    const auto mN = [&](double B) {
      return K * R(0, 1) + K_star * R(0, aR) + phi * K_star * R(aR, cutoff(e, phi * B));
    };
    const auto mS = [&](double Bs) {
      const double x = cutoff(e, phi * Bs);
      return phi * K * R(0, x) + phi * K_star * R(0, std::min(aR, x)) + K_star * R(aR, 1);
    };
    const double guess = e.sigma * e.beachhead;
    return Levels{root_increasing([&](double B) { return B * mN(B) - e.sE; }, guess),
                  root_increasing([&](double Bs) { return Bs * mS(Bs) - (1.0 - e.sE); }, guess)};
  };
  Relocation r = relocation_from(markets, aD0);
  r.aD = aD0, r.aX = cutoff(e, phi * r.B_star);
  return r;
}

// ---- test utilities ----

// Largest relative error over a check; prints one summary line and fails above the tolerance.
struct MaxRelError {
  std::string name;
  double worst = 0.0;
  long count = 0;
  void add(double got, double want) {
    const double err = std::fabs(got - want) / std::max(std::fabs(want), 1e-300);
    worst = std::max(worst, std::isfinite(err) ? err : std::numeric_limits<double>::infinity());
    ++count;
  }
  bool within(double tol) const {
    std::printf("[max-rel-err] %-58s %9.2e over %ld values\n", name.c_str(), worst, count);
    return worst < tol;
  }
};

// Random parameters in the domain of docs/model.md 1 with an interior autarky cut-off
// (fI(β−1)/f = u < 1): σ ∈ [1.5, 8], β ∈ [1.1, 4], sE ∈ (0.51, 0.9).
struct Sampler {
  std::mt19937_64 rng;
  explicit Sampler(std::uint64_t seed) : rng(seed) {}
  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  }
  footloose::Parameters parameters() {
    footloose::Parameters p;
    p.sigma = uniform(1.5, 8.0);
    const double beta = uniform(1.1, 4.0);
    p.rho = beta * (p.sigma - 1.0);
    p.sE = uniform(0.51, 0.9);
    p.F = uniform(0.5, 3.0);
    p.delta = uniform(0.02, 0.2);
    p.r = uniform(0.0, 0.1);
    p.FI = p.F * uniform(0.05, 0.95) / (beta - 1.0);
    return p;
  }
};

}  // namespace reference
