#include "models/market.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "solvers/scalar_root.hpp"

namespace footloose {

namespace {

// A market size over c, with its derivatives: with respect to log B (slope) and to the
// predetermined K, K*, A = aR^θ (for the implicit-function derivatives of B).
struct SizeAndSlope {
  double size = 0.0, slope = 0.0, d_K = 0.0, d_K_star = 0.0, d_A = 0.0;
  double level = 0.0;  // the (B/f)^{β−1} it was evaluated at
  // The branches taken, one bit per comparison with the cap 1 or with A: the smooth piece of the
  // size as a function of log B (each comparison flips once as B grows).
  unsigned branches = 0, branch_bit = 1;
  void record(bool taken) {
    if (taken) branches |= branch_bit;
    branch_bit <<= 1;
  }
  // coefficient × min(1, level), level ∝ B^{β−1}; returns min(1, level)
  double add_capped(double coefficient, double level, double beta_minus_one) {
    record(level < 1.0);
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
SizeAndSlope north_size(const MarketPowers& s, double b1, double t) {
  SizeAndSlope out;
  const double A = s.A;
  out.d_K = out.add_capped(s.K, t, b1);  // K aD^θ
  out.record(std::min(t, 1.0) < A);
  if (std::min(t, 1.0) < A) {  // K* aD^θ when aD < aR
    out.d_K_star = out.add_capped(s.K_star, t, b1);
  } else {  // K* aR^θ
    out.size += s.K_star * A;
    out.d_K_star = A;
    out.d_A = s.K_star;
  }
  const double x = s.phi_power * t;  // (φB/f)^{β−1}
  out.record(std::min(x, 1.0) > A);
  if (std::min(x, 1.0) > A) {  // φK*(aX*^θ − aR^θ)
    const double xc = out.add_capped(s.phi * s.K_star, x, b1);
    out.size -= s.phi * s.K_star * A;
    out.d_K_star += s.phi * (xc - A);
    out.d_A -= s.phi * s.K_star;
  }
  return out;
}

// (M5) South: φK aX^θ + φK* min(aR,aX)^θ + K*(max(aR,aD*)^θ − aR^θ), over c.
SizeAndSlope south_size(const MarketPowers& s, double b1, double t_star) {
  SizeAndSlope out;
  const double A = s.A;
  const double x = s.phi_power * t_star;                 // (φB*/f)^{β−1}
  out.d_K = s.phi * out.add_capped(s.phi * s.K, x, b1);  // φK aX^θ
  out.record(std::min(x, 1.0) < A);
  if (std::min(x, 1.0) < A) {  // φK* aX^θ when aX < aR
    out.d_K_star = s.phi * out.add_capped(s.phi * s.K_star, x, b1);
  } else {  // φK* aR^θ
    out.size += s.phi * s.K_star * A;
    out.d_K_star = s.phi * A;
    out.d_A = s.phi * s.K_star;
  }
  out.record(std::min(t_star, 1.0) > A);
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
  return B > 0.0 ? std::pow(B / pareto.f, pareto.beta_minus_one()) : 0.0;
}

// Solves B·c·size(B) = share for B: Newton in u = log B on g(u) = u + log(c·size) − log share,
// which increases with slope ≥ 1 (every size term is non-decreasing in B).
// guess: a B to start from (≤ 0: none). at_root: the market size at the root, with its level.
//
// Curvature bound for the quadratic acceptance of a Newton step (solvers::newton_increasing).
// On a smooth piece of the size (the branches fixed) every uncapped term is ∝ t = e^{(β−1)(u −
// log f)}, so size = a0 + a1·t and, with b = β−1 and q = size'/size (g' = 1 + q),
// q' = b·q − q², i.e. g'' = q(b − q). This logistic equation moves q monotonically towards b, so
// on a segment inside one piece q stays between its values at the ends and
// |g''| ≤ max(|q(b − q)| at both ends, b²/4 if b/2 lies between them); q ≤ b (a0 ≥ 0) gives
// b²/4, q > b (South, a0 < 0) is covered by the ends. The segment is in one piece when both ends
// take the same branches (each comparison flips once along u). The level at the step's end is
// ℓ·(1 + d + d²/2), d = b·step, |d| ≤ 1e-6: off ℓe^d by less than 2e-19 relative.
template <class Size>
solvers::ScalarRootResult solve_market(const DemandLevelConstants& constants, double log_target,
                                       double guess, Size&& size_at, SizeAndSlope& at_root) {
  const double b1 = constants.beta_minus_one, log_f = constants.log_f;
  constexpr double kMaxLevelStep = 1e-6;  // |d| for the series of the level at a step's end
  const auto level_after = [](double level, double d) {
    return level * (1.0 + d * (1.0 + 0.5 * d));
  };
  double last_u = NAN;      // the last evaluation: at last_u, sizes in at_root
  double bounded_u = NAN;   // the end of the last step given a curvature bound
  SizeAndSlope at_bounded;  // the sizes there
  const auto g = [&](double u) {
    const double level = std::exp(b1 * (u - log_f));
    at_root = size_at(level);
    at_root.level = level;
    last_u = u;
    if (!(at_root.size > 0.0)) return std::make_pair(-std::numeric_limits<double>::infinity(), 0.0);
    return std::make_pair(u + std::log(at_root.size) - log_target,
                          1.0 + at_root.slope / at_root.size);
  };
  const auto curvature_bound = [&](double u, double next) {
    const double d = b1 * (next - u);
    if (u != last_u || !(std::fabs(d) <= kMaxLevelStep))
      return std::numeric_limits<double>::infinity();
    const double end_level = level_after(at_root.level, d);
    SizeAndSlope end = size_at(end_level);
    if (end.branches != at_root.branches || !(end.size > 0.0)) {
      return std::numeric_limits<double>::infinity();
    }
    end.level = end_level;
    bounded_u = next;
    at_bounded = end;
    const double q0 = at_root.slope / at_root.size, q1 = end.slope / end.size;
    const auto curvature = [b1](double q) { return std::fabs(q * (b1 - q)); };
    const bool peak_between = std::min(q0, q1) <= 0.5 * b1 && 0.5 * b1 <= std::max(q0, q1);
    return std::max({curvature(q0), curvature(q1), peak_between ? 0.25 * b1 * b1 : 0.0});
  };
  solvers::ScalarRootOptions opt;
  opt.x_tolerance = 1e-15;
  opt.max_iterations = 100;
  const solvers::ScalarRootResult r = solvers::newton_increasing(
      g, guess > 0.0 ? std::log(guess) : log_f, 1.0, opt, curvature_bound);
  // A step accepted by its curvature bound: the sizes at its end. (A step within the root
  // tolerance leaves those of the last evaluation, within the tolerance of the root's.)
  if (r.converged && r.root != last_u && r.root == bounded_u) at_root = at_bounded;
  return r;
}

}  // namespace

DemandLevelConstants::DemandLevelConstants(const Parameters& p)
    : pareto(p),
      beta_minus_one(pareto.beta_minus_one()),
      log_f(std::log(pareto.f)),
      log_target_north(std::log(p.sE / pareto.c)),
      log_target_south(std::log((1.0 - p.sE) / pareto.c)) {}

MarketPowers market_powers(const Pareto& pareto, const MarketState& s) {
  return {s.K, s.K_star, std::pow(s.aR, pareto.theta), s.phi,
          s.phi_power > 0.0 ? s.phi_power : std::pow(s.phi, pareto.beta_minus_one())};
}

double north_market_size(const Pareto& pareto, const MarketState& s, double B) {
  return pareto.c *
         north_size(market_powers(pareto, s), pareto.beta_minus_one(), level_power(pareto, B)).size;
}

double south_market_size(const Pareto& pareto, const MarketState& s, double B_star) {
  return pareto.c *
         south_size(market_powers(pareto, s), pareto.beta_minus_one(), level_power(pareto, B_star))
             .size;
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
  if (!(s.aR >= 0.0 && s.aR <= 1.0)) {
    throw std::runtime_error("temporary equilibrium (M5): need 0 <= aR <= 1; got aR = " +
                             std::to_string(s.aR));
  }
  const DemandLevelConstants constants(p);
  return solve_demand_levels(constants, market_powers(constants.pareto, s), guess, derivatives);
}

DemandLevels solve_demand_levels(const DemandLevelConstants& constants, const MarketPowers& s,
                                 const DemandLevels& guess, DemandLevelDerivatives& derivatives) {
  if (!(s.K >= 0.0 && s.K_star >= 0.0 && s.K + s.K_star > 0.0) || !(s.A >= 0.0 && s.A <= 1.0)) {
    throw std::runtime_error(
        "temporary equilibrium (M5): need K, K* >= 0 with K + K* > 0 and 0 <= aR^theta <= 1; got "
        "K = " +
        std::to_string(s.K) + ", K* = " + std::to_string(s.K_star) +
        ", aR^theta = " + std::to_string(s.A));
  }
  const double b1 = constants.beta_minus_one;
  SizeAndSlope north, south;
  const auto rn = solve_market(
      constants, constants.log_target_north, guess.B,
      [&](double t) { return north_size(s, b1, t); }, north);
  const auto rs = solve_market(
      constants, constants.log_target_south, guess.B_star,
      [&](double t) { return south_size(s, b1, t); }, south);
  if (!rn.converged || !rs.converged) {
    throw std::runtime_error(
        "temporary equilibrium (M5): root-finder did not converge (no variety "
        "sold in a market?)");
  }
  derivatives = level_derivatives(north, south, s.A);
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
  const MarketPowers m = market_powers(pareto, s);
  const double b1 = pareto.beta_minus_one();
  return level_derivatives(north_size(m, b1, level_power(pareto, eq.B)),
                           south_size(m, b1, level_power(pareto, eq.B_star)), m.A);
}

}  // namespace footloose
