#include "models/moved_market.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "solvers/scalar_root.hpp"

namespace footloose {

namespace {

// A bracket of (M5g) over c-free units with its slope d(size)/d log(level).
struct SizeAndSlope {
  double size = 0.0, slope = 0.0;
};

// x^θ and its log-derivative factor for the cut-off x = κ(Z): d(c x^θ)/d log Z = ρ x^θ/(σ−1)
// below the cap, 0 at it.
struct Cut {
  double x, x_theta, d_log;
  Cut(const Pareto& pareto, double Z) : x(pareto.cutoff(Z)), x_theta(std::pow(x, pareto.theta)) {
    d_log = x < 1.0 ? pareto.rho / (pareto.sigma - 1.0) * x_theta : 0.0;
  }
};

// (M5g) North bracket at B: c K aD^θ + K* R(aD) + φK*(c aX*^θ − R(aX*)).
SizeAndSlope north_size(const Pareto& pareto, double K, double Ks, double phi, const MovedMoment& R,
                        double B) {
  const Cut aD(pareto, B), aXs(pareto, phi * B);
  SizeAndSlope s;
  s.size =
      pareto.c * K * aD.x_theta + Ks * R(aD.x) + phi * Ks * (pareto.c * aXs.x_theta - R(aXs.x));
  s.slope =
      (K + Ks * R.share_at(aD.x)) * aD.d_log + phi * Ks * (1.0 - R.share_at(aXs.x)) * aXs.d_log;
  return s;
}

// (M5g) South bracket at B*: φ c K aX^θ + φK* R(aX) + K*(c aD*^θ − R(aD*)).
SizeAndSlope south_size(const Pareto& pareto, double K, double Ks, double phi, const MovedMoment& R,
                        double B_star) {
  const Cut aX(pareto, phi * B_star), aDs(pareto, B_star);
  SizeAndSlope s;
  s.size =
      phi * (pareto.c * K * aX.x_theta + Ks * R(aX.x)) + Ks * (pareto.c * aDs.x_theta - R(aDs.x));
  s.slope =
      phi * (K + Ks * R.share_at(aX.x)) * aX.d_log + Ks * (1.0 - R.share_at(aDs.x)) * aDs.d_log;
  return s;
}

// Solves level·size(level) = share: Newton in u = log level on u + log size − log share, which
// increases with slope ≥ 1.
template <class Size>
solvers::ScalarRootResult solve_market(double share, double guess, Size&& size_at) {
  const double log_share = std::log(share);
  const auto g = [&](double u) {
    const SizeAndSlope v = size_at(std::exp(u));
    if (!(v.size > 0.0)) return std::make_pair(-std::numeric_limits<double>::infinity(), 0.0);
    return std::make_pair(u + std::log(v.size) - log_share, 1.0 + v.slope / v.size);
  };
  solvers::ScalarRootOptions opt;
  opt.x_tolerance = 1e-15;
  opt.max_iterations = 100;
  return solvers::newton_increasing(g, std::log(guess), 1.0, opt);
}

}  // namespace

double moved_north_market_size(const Pareto& pareto, double K, double K_star, double phi,
                               const MovedMoment& moved, double B) {
  return north_size(pareto, K, K_star, phi, moved, B).size;
}

double moved_south_market_size(const Pareto& pareto, double K, double K_star, double phi,
                               const MovedMoment& moved, double B_star) {
  return south_size(pareto, K, K_star, phi, moved, B_star).size;
}

DemandLevels solve_moved_demand_levels(const Parameters& p, double K, double K_star, double phi,
                                       const MovedMoment& moved, double B_guess,
                                       double B_star_guess) {
  if (!(K >= 0.0 && K_star >= 0.0 && K + K_star > 0.0)) {
    throw std::runtime_error(
        "temporary equilibrium (M5g): need K, K* >= 0 with K + K* > 0; got K = " +
        std::to_string(K) + ", K* = " + std::to_string(K_star));
  }
  const Pareto pareto(p);
  const double f = pareto.f;
  const auto rn = solve_market(p.sE, B_guess > 0.0 ? B_guess : f, [&](double B) {
    return north_size(pareto, K, K_star, phi, moved, B);
  });
  const auto rs = solve_market(1.0 - p.sE, B_star_guess > 0.0 ? B_star_guess : f, [&](double Bs) {
    return south_size(pareto, K, K_star, phi, moved, Bs);
  });
  if (!rn.converged || !rs.converged) {
    throw std::runtime_error(
        "temporary equilibrium (M5g): root-finder did not converge (no variety sold in a "
        "market?)");
  }
  return {std::exp(rn.root), std::exp(rs.root), rn.iterations + rs.iterations};
}

double moved_steady_state_residual(const Parameters& p, const MovedMoment& moved, double sk,
                                   double aD, double aX, double phi) {
  const double c = p.c(), aD_theta = std::pow(aD, p.theta()), aX_theta = std::pow(aX, p.theta());
  const double left = (1.0 - sk) * (moved(aD) - phi * moved(aX));  // (M4g)
  const double right = c * ((p.sE - sk) * aD_theta + (sk + p.sE - 1.0) * phi * aX_theta);
  return (left - right) / (c * aD_theta);
}

}  // namespace footloose
