// Pareto technology: cut-off (M1), moments (M2), profit integral J (M3).
#pragma once

#include <algorithm>
#include <cmath>

#include "models/parameters.hpp"

namespace footloose {

// A type bound a with the powers the moments (M2) take of it: a^θ and a^ρ (a^{θ+1} = a^θ·a).
struct BoundPowers {
  double a = 0.0, theta = 0.0, rho = 0.0;
};

// x > 0 with the powers the cut-off (M1) takes of it, x^{1/(σ−1)} and x^{β−1} (for x = Z/f: κ(Z)
// and κ(Z)^θ below the cap). The powers of a product are the products of the powers, e.g.
// κ(φB) from those of φ and of B/f. x = 0 has all zero.
struct CutoffRoots {
  double x = 0.0, root = 0.0, power = 0.0;
  CutoffRoots operator*(const CutoffRoots& o) const {
    return {x * o.x, root * o.root, power * o.power};
  }
};

// The constants the Pareto integrals need, taken once from Parameters.
struct Pareto {
  double sigma, rho, theta, c, f;

  explicit Pareto(const Parameters& p)
      : sigma(p.sigma), rho(p.rho), theta(p.theta()), c(p.c()), f(p.f()) {}

  double beta_minus_one() const { return rho / (sigma - 1.0) - 1.0; }  // β − 1 = θ/(σ−1)

  // (M1) κ(Z) = min(1, (Z/f)^{1/(σ−1)}): the largest a that sells in a market of level Z.
  double cutoff(double demand_level) const {
    if (demand_level <= 0.0) return 0.0;
    return std::min(1.0, std::pow(demand_level / f, 1.0 / (sigma - 1.0)));
  }

  // x^{1/(σ−1)}, x^{β−1} of x ≥ 0, two pows (x = 0: all zero).
  CutoffRoots cutoff_roots(double x) const {
    if (!(x > 0.0)) return {};
    return {x, std::pow(x, 1.0 / (sigma - 1.0)), std::pow(x, beta_minus_one())};
  }
  // (M1) κ(Z) with its powers from the roots of Z/f, no pow: κ^θ = (Z/f)^{β−1} and
  // κ^ρ = κ^θ·κ^{σ−1} = κ^θ·Z/f below the cap, all 1 at it; Z ≤ 0: all 0.
  BoundPowers cutoff_powers(const CutoffRoots& level) const {
    if (!(level.x > 0.0)) return {};
    if (level.root >= 1.0) return {1.0, 1.0, 1.0};
    return {level.root, level.power, level.power * level.x};
  }
  // a with a^θ, a^ρ: two pows.
  BoundPowers bound_powers(double a) const { return {a, std::pow(a, theta), std::pow(a, rho)}; }

  // (M2) ∫_L^U a^{1−σ} dG = c (U^θ − L^θ)
  double revenue_moment(double lower, double upper) const {
    return upper <= lower
               ? 0.0
               : revenue_moment_of_powers(std::pow(lower, theta), std::pow(upper, theta));
  }
  // The same from L^θ, U^θ (L < U), for callers that reuse the powers.
  double revenue_moment_of_powers(double lower_theta, double upper_theta) const {
    return c * (upper_theta - lower_theta);  // (M2)
  }
  // (M2) ∫_L^U dG = U^ρ − L^ρ
  double mass(double lower, double upper) const {
    return upper <= lower ? 0.0 : mass_of_powers(std::pow(lower, rho), std::pow(upper, rho));
  }
  // The same from the bounds with their powers.
  double mass(const BoundPowers& lower, const BoundPowers& upper) const {
    return upper.a <= lower.a ? 0.0 : mass_of_powers(lower.rho, upper.rho);
  }
  // The same from L^ρ, U^ρ (L < U).
  double mass_of_powers(double lower_rho, double upper_rho) const {
    return upper_rho - lower_rho;  // (M2)
  }
  // (M2) ∫_L^U a^{2−σ} dG = ρ/(θ+1) (U^{θ+1} − L^{θ+1})
  double productivity_moment(double lower, double upper) const {
    return upper <= lower ? 0.0
                          : productivity_moment_of_powers(std::pow(lower, theta + 1.0),
                                                          std::pow(upper, theta + 1.0));
  }
  // The same from L^{θ+1}, U^{θ+1} (L < U), for callers that reuse the powers.
  double productivity_moment_of_powers(double lower_power, double upper_power) const {
    return rho / (theta + 1.0) * (upper_power - lower_power);  // (M2)
  }

  // (M3) J(L,U;Z) = ∫_L^{min(U,κ(Z))} (a^{1−σ}Z − f) dG: σ × operating profit summed over types.
  double profit_integral(double lower, double upper, double demand_level) const {
    const double m = std::min(upper, cutoff(demand_level));
    if (m <= lower) return 0.0;
    return demand_level * revenue_moment(lower, m) - f * mass(lower, m);
  }

  // (M3) over all types, J(0,1;Z) = Z c κ^θ − f κ^ρ, with one power: κ^θ = min(1,(Z/f)^{β−1})
  // and κ^ρ = κ^θ·Z/f below the cap (κ^{σ−1} = Z/f), 1 at it.
  double full_profit_integral(double demand_level) const {
    if (demand_level <= 0.0 || demand_level >= f)
      return full_profit_integral_of_power(demand_level, 1.0);
    return full_profit_integral_of_power(demand_level,
                                         std::pow(demand_level / f, beta_minus_one()));
  }
  // The same from level_power = (Z/f)^{β−1} (any value where Z ≥ f), for callers that reuse it.
  double full_profit_integral_of_power(double demand_level, double level_power) const {
    if (demand_level <= 0.0) return 0.0;
    if (demand_level >= f) return demand_level * c - f;
    return demand_level * level_power * (c - 1.0);  // (M3)
  }
};

}  // namespace footloose
