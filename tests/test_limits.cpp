// The limits of MODEL.md Section 3, each as a convergence over a sequence of values with the
// observed rate, against the static polar cases of static_equilibria (closed forms).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "models/static_equilibria.hpp"
#include "models/transition.hpp"

using namespace footloose;

namespace {

TradePath jump(const Parameters& p) { return {TradePathKind::Jump, p.phi0, p.phi1, 0.0}; }

// Observed order of convergence of errors e_k at parameters h_k: log(e_k/e_{k+1})/log(h_k/h_{k+1}).
double observed_rate(double h0, double e0, double h1, double e1) {
  return std::log(e0 / e1) / std::log(h0 / h1);
}

}  // namespace

TEST_CASE("gamma_R -> 0: long run tends to instant-selection relocation, lambda_R -> 1",
          "[transition][limits]") {
  Parameters p;
  const RelocationEquilibrium inst = instant_relocation(p, p.phi1, SelectionReading::Instant);
  const std::vector<double> gammas{0.3, 0.1, 0.03};
  std::vector<double> err_lambda, err_aR;
  TransitionResult previous;
  for (double g : gammas) {
    p.gamma_R = g;
    const TransitionResult r =
        solve_transition(p, jump(p), {}, {}, previous.converged ? &previous : nullptr);
    INFO(r.brief_report() << " " << r.message);
    REQUIRE(r.converged);
    err_lambda.push_back(1.0 - r.lambda_R);
    err_aR.push_back(inst.aR - r.aR_inf);
    previous = r;
  }
  for (size_t k = 0; k + 1 < gammas.size(); ++k) {
    const double rate = observed_rate(gammas[k], err_lambda[k], gammas[k + 1], err_lambda[k + 1]);
    const double rate_aR = observed_rate(gammas[k], err_aR[k], gammas[k + 1], err_aR[k + 1]);
    WARN("gamma_R " << gammas[k] << " -> " << gammas[k + 1] << ": 1 - lambda_R " << err_lambda[k]
                    << " -> " << err_lambda[k + 1] << " (rate " << rate << "); aR gap "
                    << err_aR[k] << " -> " << err_aR[k + 1] << " (rate " << rate_aR << ")");
    CHECK(rate == Approx(1.0).margin(0.15));
    CHECK(rate_aR == Approx(1.0).margin(0.15));
  }
  CHECK(err_aR.back() > 0.0);
  CHECK(err_aR.back() < 1e-3);
}

TEST_CASE("gamma_E -> infinity: capital stays at its initial level, like 1/gamma_E",
          "[transition][limits]") {
  Parameters p;
  const std::vector<double> gammas{10.0, 100.0, 1000.0};
  std::vector<double> drift;
  for (double g : gammas) {
    p.gamma_E = g;
    const TransitionResult r = solve_transition(p, jump(p), {}, {});  // horizons differ: cold
    INFO(r.brief_report() << " " << r.message);
    REQUIRE(r.converged);
    double d = 0.0;
    for (const auto& x : r.path) {
      d = std::max(d, std::fabs(x.K - r.path[0].K) + std::fabs(x.K_star - r.path[0].K_star));
    }
    drift.push_back(d);
  }
  for (size_t k = 0; k + 1 < gammas.size(); ++k) {
    const double rate = observed_rate(gammas[k], drift[k], gammas[k + 1], drift[k + 1]);
    WARN("gamma_E " << gammas[k] << " -> " << gammas[k + 1] << ": max |K(t)-K(0)|+|K*(t)-K*(0)| "
                    << drift[k] << " -> " << drift[k + 1] << " (rate " << -rate << " in 1/gamma_E)");
    CHECK(-rate == Approx(1.0).margin(0.1));
  }
}

TEST_CASE("gamma_E/gamma_R -> 0: long run tends to HFT (relocation share lambda_R -> 0)",
          "[transition][limits]") {
  // λR depends (almost) only on γR/γE; entry-dominated limits are reached with slow relocation
  // (large γR) rather than with a stiff, very fast entry (tiny γE).
  Parameters p;
  const double sn_hft = hft(p, p.phi1).sn;
  const std::vector<double> ratios{1e2, 1e3, 1e4};
  std::vector<double> gap;
  TransitionResult previous;
  for (double q : ratios) {
    p.gamma_R = q;
    const TransitionResult r =
        solve_transition(p, jump(p), {}, {}, previous.converged ? &previous : nullptr);
    INFO(r.brief_report() << " " << r.message);
    REQUIRE(r.converged);
    gap.push_back(sn_hft - r.sn_inf);
    previous = r;
  }
  for (size_t k = 0; k + 1 < ratios.size(); ++k) {
    const double rate = observed_rate(1.0 / ratios[k], gap[k], 1.0 / ratios[k + 1], gap[k + 1]);
    WARN("gamma_E/gamma_R " << 1.0 / ratios[k] << " -> " << 1.0 / ratios[k + 1] << ": sn_HFT - sn_inf "
                            << gap[k] << " -> " << gap[k + 1] << " (rate " << rate << ")");
    CHECK(gap[k + 1] < gap[k]);
    CHECK(rate > 0.1);
  }
  // The same ratio reached by a fast entry instead: γE = 0.01, γR = 1 against γE = 1, γR = 100.
  Parameters fast_entry;
  fast_entry.gamma_E = 0.01;
  const TransitionResult r = solve_transition(fast_entry, jump(fast_entry), {}, {});
  REQUIRE(r.converged);
  WARN("sn_inf at gamma_E = 0.01, gamma_R = 1: " << r.sn_inf << "; at gamma_E = 1, gamma_R = 100: "
                                                  << sn_hft - gap[0]);
  CHECK(std::fabs(r.sn_inf - (sn_hft - gap[0])) < 1e-4);
}

TEST_CASE("phi1 -> phi0 from a steady state: nothing moves, linearly in the shock",
          "[transition][limits]") {
  Parameters p;
  p.phi0 = 0.3;
  InitialStateSpec start;
  start.kind = InitialStateKind::Relocation;  // the instant-relocation steady state at φ0
  const std::vector<double> shocks{1e-2, 1e-3, 0.0};
  std::vector<double> moved;
  for (double e : shocks) {
    p.phi1 = p.phi0 + e;
    const TransitionResult r = solve_transition(p, jump(p), start, {});
    INFO(r.brief_report() << " " << r.message);
    REQUIRE(r.converged);
    double m = 0.0;
    for (const auto& x : r.path) {
      m = std::max({m, std::fabs(x.P), std::fabs(x.K - r.path[0].K), std::fabs(x.aR - r.path[0].aR)});
    }
    moved.push_back(m);
  }
  const double rate = observed_rate(shocks[0], moved[0], shocks[1], moved[1]);
  WARN("largest movement of P, K, aR: " << moved[0] << " (shock 1e-2), " << moved[1]
                                       << " (1e-3, rate " << rate << "), " << moved[2] << " (none)");
  CHECK(rate == Approx(1.0).margin(0.1));
  // no shock: only the Newton tolerance's worth of movement (scaled residual ≤ newton_tol)
  CHECK(moved[2] < 0.1 * TransitionOptions{}.newton_tolerance);
}
