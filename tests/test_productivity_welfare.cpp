// Productivity (paper (10), docs/model.md 2.5) and welfare (2.6): the general revenue-weighted form
// against quadrature over the producing types, and the XX/DD closed forms against it.
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "models/market.hpp"
#include "models/productivity_welfare.hpp"
#include "models/static_equilibria.hpp"
#include "reference_model.hpp"

using namespace footloose;
using reference::MaxRelError;

namespace {
constexpr int kPoints = 200;
constexpr double kTol = 1e-10;

// Revenue-weighted mean of a by quadrature: groups of units (mass, types [L, U]) located in a
// nation, selling locally at level `local` and exporting at level φ·`foreign` where profitable.
struct Group {
  double mass, L, U;
};
double weighted_mean(const reference::Economy& e, std::initializer_list<Group> groups, double local,
                     double export_level) {
  double num = 0.0, den = 0.0;
  for (const Group& g : groups) {
    for (double level : {local, export_level}) {
      const double top = std::min(g.U, reference::cutoff(e, level));
      num += g.mass * level * reference::integral(e, g.L, top, 2.0 - e.sigma);
      den += g.mass * level * reference::integral(e, g.L, top, 1.0 - e.sigma);
    }
  }
  return den > 0.0 ? num / den : std::nan("");
}
}  // namespace

TEST_CASE("Productivity (10) and welfare: general form equals quadrature over producing types",
          "[productivity][welfare]") {
  reference::Sampler rs(31);
  MaxRelError prod{"productivity general: a_bar, a_bar* vs quadrature"};
  MaxRelError welfare{"welfare: exp((sigma-1) omega) = mbar by quadrature"};
  int empty_south = 0;
  for (int i = 0; i < kPoints; ++i) {
    const Parameters p = rs.parameters();
    const reference::Economy e(p);
    MarketState s;
    const double Kw = 1.0 / (p.beta() * p.fI());
    s.K = Kw * std::exp(rs.uniform(-3.0, 1.0));
    s.K_star = Kw * std::exp(rs.uniform(-3.0, 1.0));
    s.aR = i % 9 == 0 ? 0.0 : (i % 13 == 0 ? 1.0 : rs.uniform(0.0, 1.0));
    s.phi = rs.uniform(0.0, 0.99);
    const TemporaryEquilibrium eq = solve_temporary_equilibrium(p, s);
    const ProductivityWelfare w = productivity_welfare(p, s, eq);
    const double north =
        weighted_mean(e, {{s.K, 0, 1}, {s.K_star, 0, s.aR}}, eq.B, s.phi * eq.B_star);
    const double south = weighted_mean(e, {{s.K_star, s.aR, 1}}, eq.B_star, s.phi * eq.B);
    prod.add(w.a_bar, north);
    if (std::isnan(south)) {
      ++empty_south;
      CHECK(std::isnan(w.a_bar_star));
    } else {
      prod.add(w.a_bar_star, south);
    }
    const reference::State rstate{s.K, s.K_star, s.aR, s.phi};
    welfare.add(std::exp((p.sigma - 1.0) * w.omega), reference::north_mbar(e, rstate, eq.B));
    welfare.add(std::exp((p.sigma - 1.0) * w.omega_star),
                reference::south_mbar(e, rstate, eq.B_star));
  }
  CHECK(empty_south >= 5);
  CHECK(prod.within(kTol));
  CHECK(welfare.within(kTol));
}

TEST_CASE("Productivity closed forms (XX, DD) equal the general form at static equilibria",
          "[productivity]") {
  reference::Sampler rs(32);
  MaxRelError err{"productivity closed forms XX/DD vs general form"};
  int n_xx = 0, n_dd = 0;
  for (int i = 0; i <= kPoints; ++i) {
    const Parameters p = i == 0 ? Parameters{} : rs.parameters();
    const double phiS = phi_sustain_instant(p);
    const double phi = i == 0 ? 0.4 : phiS * rs.uniform(0.02, 0.99);
    const HftEquilibrium h = hft(p, phi);
    const AutarkyEquilibrium a = autarky(p);
    // HFT (aR = 0), instant relocation from autarky capital, and a random point of the curve (M4).
    const double sn = p.sE + rs.uniform(0.0, 1.0) * (h.sn - p.sE);
    const CurvePoint c = corrected_curve_at_sn(p, phi, sn);
    const RelocationEquilibrium r = instant_relocation(p, phi, SelectionReading::Instant);
    struct Case {
      double K, K_star, aR;
      RelocationPhase phase;
    };
    for (const Case& k :
         {Case{h.K, h.K_star, 0.0, RelocationPhase::XX}, Case{a.K, a.K_star, r.aR, r.phase},
          Case{sn * h.Kw, (1 - sn) * h.Kw, c.aR, c.phase}}) {
      MarketState s;
      s.K = k.K, s.K_star = k.K_star, s.aR = k.aR, s.phi = phi;
      const ProductivityWelfare w = productivity_welfare(p, s, solve_temporary_equilibrium(p, s));
      const ProductivityPair cf =
          productivity_closed_form(p, k.phase, phi, k.K, k.K_star, h.aD, h.aX, k.aR);
      err.add(cf.a_bar, w.a_bar);
      err.add(cf.a_bar_star, w.a_bar_star);
      (k.phase == RelocationPhase::XX ? n_xx : n_dd)++;
    }
  }
  INFO("XX " << n_xx << ", DD " << n_dd);
  CHECK(n_dd >= 50);
  CHECK(err.within(kTol));
}

TEST_CASE("Welfare on the corrected curve does not depend on sn (contrary to the paper's (26))",
          "[welfare][curve]") {
  reference::Sampler rs(33);
  MaxRelError err{"curve: omega* at sn equals omega* at HFT (relative to mbar*)"};
  for (int i = 0; i <= kPoints; ++i) {
    const Parameters p = i == 0 ? Parameters{} : rs.parameters();
    const double phi = i == 0 ? 0.4 : phi_sustain_instant(p) * rs.uniform(0.02, 0.99);
    const HftEquilibrium h = hft(p, phi);
    const auto omega_star = [&](double sn) {
      const CurvePoint c = corrected_curve_at_sn(p, phi, sn);
      MarketState s;
      s.K = sn * h.Kw, s.K_star = (1 - sn) * h.Kw, s.aR = c.aR, s.phi = phi;
      return productivity_welfare(p, s, solve_temporary_equilibrium(p, s)).omega_star;
    };
    const double at_hft = omega_star(h.sn);
    for (double t : {0.0, 0.3, 0.7}) {
      const double sn = p.sE + t * (h.sn - p.sE);
      err.add(std::exp((p.sigma - 1.0) * (omega_star(sn) - at_hft)), 1.0);
      if (i == 0) {
        const double paper = std::log(paper_general_sn(p, phi, sn).mstar_ratio) / (p.sigma - 1.0);
        std::cout << "[welfare] baseline phi = 0.4, sn = " << sn
                  << ": omega* - omega*_HFT = " << omega_star(sn) - at_hft
                  << " (paper (26) implies " << paper << ")\n";
      }
    }
  }
  CHECK(err.within(kTol));
}
