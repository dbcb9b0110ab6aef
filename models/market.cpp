#include "models/market.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "solvers/scalar_root.hpp"

namespace footloose {

namespace {

// The powers of (M5) that do not depend on the demand level. With t ≡ (B/f)^{β−1}, every
// cut-off power is κ(zB)^θ = min(1, z^{β−1} t) (θ/(σ−1) = β−1), so one exp per evaluation.
struct MarketConstants {
  double aR_theta;   // aR^θ
  double phi_power;  // φ^{β−1}
  double beta_minus_one;
  MarketConstants(const Pareto& pareto, const MarketState& s)
      : aR_theta(std::pow(s.aR, pareto.theta)),
        phi_power(s.phi_power > 0.0 ? s.phi_power
                                    : std::pow(s.phi, pareto.rho / (pareto.sigma - 1.0) - 1.0)),
        beta_minus_one(pareto.rho / (pareto.sigma - 1.0) - 1.0) {}
};

// A market size over c, with its derivatives: with respect to log B (slope) and to the
// predetermined K, K*, A = aR^θ (for the implicit-function derivatives of B).
struct SizeAndSlope {
  double size = 0.0, slope = 0.0, d_K = 0.0, d_K_star = 0.0, d_A = 0.0;
  double level = 0.0;  // the (B/f)^{β−1} it was evaluated at
  // coefficient × min(1, level), level ∝ B^{β−1}; returns min(1, level)
  double add_capped(double coefficient, double level, double beta_minus_one) {
    if (level < 1.0) {
      size += coefficient * level;
      slope += coefficient * beta_minus_one * level;
      return level;
    }
    size += coefficient;
    return 1.0;
  }
};

// (M5) North: K aD^θ + K* min(aR,aD)^θ + φK*(max(aR,aX*)^θ − aR^θ), over c.
SizeAndSlope north_size(const MarketConstants& m, const MarketState& s, double t) {
  SizeAndSlope out;
  const double A = m.aR_theta, b1 = m.beta_minus_one;
  out.d_K = out.add_capped(s.K, t, b1);  // K aD^θ
  if (std::min(t, 1.0) < A) {            // K* aD^θ when aD < aR
    out.d_K_star = out.add_capped(s.K_star, t, b1);
  } else {  // K* aR^θ
    out.size += s.K_star * A;
    out.d_K_star = A;
    out.d_A = s.K_star;
  }
  const double x = m.phi_power * t;  // (φB/f)^{β−1}
  if (std::min(x, 1.0) > A) {        // φK*(aX*^θ − aR^θ)
    const double xc = out.add_capped(s.phi * s.K_star, x, b1);
    out.size -= s.phi * s.K_star * A;
    out.d_K_star += s.phi * (xc - A);
    out.d_A -= s.phi * s.K_star;
  }
  return out;
}

// (M5) South: φK aX^θ + φK* min(aR,aX)^θ + K*(max(aR,aD*)^θ − aR^θ), over c.
SizeAndSlope south_size(const MarketConstants& m, const MarketState& s, double t_star) {
  SizeAndSlope out;
  const double A = m.aR_theta, b1 = m.beta_minus_one;
  const double x = m.phi_power * t_star;                 // (φB*/f)^{β−1}
  out.d_K = s.phi * out.add_capped(s.phi * s.K, x, b1);  // φK aX^θ
  if (std::min(x, 1.0) < A) {                            // φK* aX^θ when aX < aR
    out.d_K_star = s.phi * out.add_capped(s.phi * s.K_star, x, b1);
  } else {  // φK* aR^θ
    out.size += s.phi * s.K_star * A;
    out.d_K_star = s.phi * A;
    out.d_A = s.phi * s.K_star;
  }
  if (std::min(t_star, 1.0) > A) {  // K*(aD*^θ − aR^θ)
    const double dc = out.add_capped(s.K_star, t_star, b1);
    out.size -= s.K_star * A;
    out.d_K_star += dc - A;
    out.d_A -= s.K_star;
  }
  return out;
}

// (M5) as G(log B; K, K*, A) = log B + log size − log(sE/c) = 0: ∂log B/∂x =
// −(∂size/∂x)/(size·∂G/∂log B), from the market sizes at the levels.
DemandLevelDerivatives level_derivatives(const SizeAndSlope& north, const SizeAndSlope& south,
                                         double A) {
  const auto partials = [](const SizeAndSlope& v, double& dK, double& dKs, double& dA) {
    const double scale = -1.0 / (v.size + v.slope);
    dK = v.d_K * scale;
    dKs = v.d_K_star * scale;
    dA = v.d_A * scale;
  };
  DemandLevelDerivatives d;
  partials(north, d.dlogB_dK, d.dlogB_dK_star, d.dlogB_dA);
  partials(south, d.dlogBs_dK, d.dlogBs_dK_star, d.dlogBs_dA);
  d.A = A;
  return d;
}

double level_power(const Pareto& pareto, double B) {  // t = (B/f)^{β−1}
  return B > 0.0 ? std::pow(B / pareto.f, pareto.rho / (pareto.sigma - 1.0) - 1.0) : 0.0;
}

// Solves B·c·size(B) = share for B: Newton in u = log B on g(u) = u + log(c·size) − log share,
// which increases with slope ≥ 1 (every size term is non-decreasing in B).
// guess: a B to start from (≤ 0: none).
// last: the market size at the last evaluation (or nullptr).
template <class Size>
solvers::ScalarRootResult solve_market(const Pareto& pareto, const MarketConstants& m, double share,
                                       double guess, Size&& size_at, SizeAndSlope* last = nullptr) {
  const double log_f = std::log(pareto.f), log_target = std::log(share / pareto.c);
  const auto g = [&](double u) {
    const double level = std::exp(m.beta_minus_one * (u - log_f));
    const SizeAndSlope v = size_at(level);
    if (last) {
      *last = v;
      last->level = level;
    }
    if (!(v.size > 0.0)) return std::make_pair(-std::numeric_limits<double>::infinity(), 0.0);
    return std::make_pair(u + std::log(v.size) - log_target, 1.0 + v.slope / v.size);
  };
  solvers::ScalarRootOptions opt;
  opt.x_tolerance = 1e-15;
  opt.max_iterations = 100;
  return solvers::newton_increasing(g, guess > 0.0 ? std::log(guess) : log_f, 1.0, opt);
}

}  // namespace

double north_market_size(const Pareto& pareto, const MarketState& s, double B) {
  return pareto.c * north_size(MarketConstants(pareto, s), s, level_power(pareto, B)).size;
}

double south_market_size(const Pareto& pareto, const MarketState& s, double B_star) {
  return pareto.c * south_size(MarketConstants(pareto, s), s, level_power(pareto, B_star)).size;
}

DemandLevels solve_demand_levels(const Parameters& p, const MarketState& s) {
  return solve_demand_levels(p, s, DemandLevels{});
}

DemandLevels solve_demand_levels(const Parameters& p, const MarketState& s,
                                 const DemandLevels& guess) {
  DemandLevelDerivatives unused;
  return solve_demand_levels(p, s, guess, unused);
}

DemandLevels solve_demand_levels(const Parameters& p, const MarketState& s,
                                 const DemandLevels& guess, DemandLevelDerivatives& derivatives) {
  if (!(s.K >= 0.0 && s.K_star >= 0.0 && s.K + s.K_star > 0.0) || !(s.aR >= 0.0 && s.aR <= 1.0)) {
    throw std::runtime_error(
        "temporary equilibrium (M5): need K, K* >= 0 with K + K* > 0 and 0 <= aR <= 1; got K = " +
        std::to_string(s.K) + ", K* = " + std::to_string(s.K_star) +
        ", aR = " + std::to_string(s.aR));
  }
  const Pareto pareto(p);
  const MarketConstants m(pareto, s);
  SizeAndSlope north, south;
  const auto rn = solve_market(
      pareto, m, p.sE, guess.B, [&](double t) { return north_size(m, s, t); }, &north);
  const auto rs = solve_market(
      pareto, m, 1.0 - p.sE, guess.B_star, [&](double t) { return south_size(m, s, t); }, &south);
  if (!rn.converged || !rs.converged) {
    throw std::runtime_error(
        "temporary equilibrium (M5): root-finder did not converge (no variety "
        "sold in a market?)");
  }
  derivatives = level_derivatives(north, south, m.aR_theta);
  derivatives.level = north.level;
  derivatives.level_star = south.level;
  return {std::exp(rn.root), std::exp(rs.root), rn.iterations + rs.iterations};
}

TemporaryEquilibrium solve_temporary_equilibrium(const Parameters& p, const MarketState& s) {
  return temporary_equilibrium(p, s, solve_demand_levels(p, s));
}

TemporaryEquilibrium temporary_equilibrium(const Parameters& p, const MarketState& s,
                                           const DemandLevels& levels) {
  const Pareto pareto(p);  // (M1) cut-offs at the levels
  TemporaryEquilibrium eq;
  eq.B = levels.B;
  eq.B_star = levels.B_star;
  eq.aD = pareto.cutoff(eq.B);
  eq.aX = pareto.cutoff(s.phi * eq.B_star);
  eq.aD_star = pareto.cutoff(eq.B_star);
  eq.aX_star = pareto.cutoff(s.phi * eq.B);
  eq.root_iterations = levels.root_iterations;
  return eq;
}

DemandLevelDerivatives demand_level_derivatives(const Parameters& p, const MarketState& s,
                                                const DemandLevels& eq) {
  const Pareto pareto(p);
  const MarketConstants m(pareto, s);
  return level_derivatives(north_size(m, s, level_power(pareto, eq.B)),
                           south_size(m, s, level_power(pareto, eq.B_star)), m.aR_theta);
}

}  // namespace footloose
