#include "models/market.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "solvers/scalar_root.hpp"

namespace footloose {

double north_market_size(const Pareto& pareto, const MarketState& s, double B) {
  const double aD = pareto.cutoff(B);
  const double aX_star = pareto.cutoff(s.phi * B);
  const double th = pareto.theta;
  const double aR_th = std::pow(s.aR, th);
  return pareto.c * (s.K * std::pow(aD, th) + s.K_star * std::pow(std::min(s.aR, aD), th) +
                     s.phi * s.K_star * (std::pow(std::max(s.aR, aX_star), th) - aR_th));
}

double south_market_size(const Pareto& pareto, const MarketState& s, double B_star) {
  const double aD_star = pareto.cutoff(B_star);
  const double aX = pareto.cutoff(s.phi * B_star);
  const double th = pareto.theta;
  const double aR_th = std::pow(s.aR, th);
  return pareto.c * (s.phi * s.K * std::pow(aX, th) +
                     s.phi * s.K_star * std::pow(std::min(s.aR, aX), th) +
                     s.K_star * (std::pow(std::max(s.aR, aD_star), th) - aR_th));
}

TemporaryEquilibrium solve_temporary_equilibrium(const Parameters& p, const MarketState& s) {
  if (!(s.K >= 0.0 && s.K_star >= 0.0 && s.K + s.K_star > 0.0) || !(s.aR >= 0.0 && s.aR <= 1.0)) {
    throw std::runtime_error("temporary equilibrium (M5): need K, K* >= 0 with K + K* > 0 and 0 <= aR <= 1; got K = " +
                             std::to_string(s.K) + ", K* = " + std::to_string(s.K_star) +
                             ", aR = " + std::to_string(s.aR));
  }
  const Pareto pareto(p);
  solvers::ScalarRootOptions opt;
  opt.x_tolerance = 1e-15;
  // Guess: the level at which every cut-off is 1 would give B·c·K_total = E; interior levels
  // lie below f, so start from f.
  const double guess = pareto.f;
  const auto north = [&](double B) { return B * north_market_size(pareto, s, B) - p.sE; };
  const auto south = [&](double Bs) {
    return Bs * south_market_size(pareto, s, Bs) - (1.0 - p.sE);
  };
  const auto rn = solvers::solve_increasing_positive(north, guess, opt);
  const auto rs = solvers::solve_increasing_positive(south, guess, opt);
  TemporaryEquilibrium eq;
  eq.B = rn.root;
  eq.B_star = rs.root;
  eq.aD = pareto.cutoff(eq.B);
  eq.aX = pareto.cutoff(s.phi * eq.B_star);
  eq.aD_star = pareto.cutoff(eq.B_star);
  eq.aX_star = pareto.cutoff(s.phi * eq.B);
  eq.root_iterations = rn.iterations + rs.iterations;
  if (!rn.converged || !rs.converged) {
    throw std::runtime_error("temporary equilibrium (M5): root-finder did not converge");
  }
  return eq;
}

}  // namespace footloose
