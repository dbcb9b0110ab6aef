// The parameter domain of `footloose stress` (docs/stress.md, "Domain"): reproducible draws.
#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>

#include "bench/stress.hpp"
#include "models/static_equilibria.hpp"
#include "src/format.hpp"

namespace footloose {

namespace {

// Uniform in [0, 1) from the top 53 bits: the same numbers on every standard library (unlike
// std::uniform_real_distribution, whose algorithm is implementation-defined).
double unit(std::mt19937_64& engine) {
  return double(engine() >> 11) * 0x1.0p-53;
}

double uniform(std::mt19937_64& engine, double lo, double hi) {
  return lo + (hi - lo) * unit(engine);
}

// Autarky and HFT at φ1 interior, sn_HFT < 1 (no full agglomeration), parameters in domain.
bool admissible(const Parameters& p) {
  try {
    validate(p);
    if (!(p.phi1 > 0.0 && p.phi1 < phi_partition(p))) return false;
    const AutarkyEquilibrium a = autarky(p);
    const HftEquilibrium h = hft(p, p.phi1);
    return a.aD > 0.0 && a.aD < 1.0 && h.aD > 0.0 && h.aD < 1.0 && h.aX > 0.0 && h.aX < h.aD &&
           !h.full_agglomeration && h.sn > p.sE && h.sn < 1.0;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

std::string StressDomain::description() const {
  std::ostringstream os;
  os << "sigma U[" << sigma_min << ", " << sigma_max << "], beta U[" << beta_min << ", " << beta_max
     << "] (rho = beta (sigma - 1)), sE U[" << sE_min << ", " << sE_max
     << "], phi1 = u phi_P with u U[" << phi_share_min << ", " << phi_share_max
     << "] and phi_P = (1 - sE)/sE, gamma_R/gamma_E log-U[1e" << log10_ratio_min << ", 1e"
     << log10_ratio_max << "] with gamma_E = 1, delta U[" << delta_min << ", " << delta_max
     << "], r U[" << r_min << ", " << r_max << "], F log-U[" << F_min << ", " << F_max
     << "], FI = q F/(beta - 1) with q = autarky aD^rho U[" << q_min << ", " << q_max
     << "]; phi0 = 0, autarky initial state, jump shock";
  return os.str();
}

std::vector<StressPoint> draw_stress_points(int n, std::uint64_t seed, const StressDomain& d) {
  std::mt19937_64 engine(seed);
  std::vector<StressPoint> points;
  points.reserve(n > 0 ? std::size_t(n) : 0);
  for (int i = 0; i < n; ++i) {
    StressPoint s;
    s.index = i;
    for (int attempt = 0;; ++attempt) {
      if (attempt == 1000) throw std::logic_error("stress: cannot draw an admissible point");
      // Always the same 9 draws per attempt, in this order.
      Parameters& p = s.params;
      p.sigma = uniform(engine, d.sigma_min, d.sigma_max);
      s.beta = uniform(engine, d.beta_min, d.beta_max);
      p.rho = s.beta * (p.sigma - 1.0);
      p.sE = uniform(engine, d.sE_min, d.sE_max);
      s.phi_share = uniform(engine, d.phi_share_min, d.phi_share_max);
      s.gamma_ratio = std::pow(10.0, uniform(engine, d.log10_ratio_min, d.log10_ratio_max));
      p.delta = uniform(engine, d.delta_min, d.delta_max);
      p.r = uniform(engine, d.r_min, d.r_max);
      p.F = std::exp(uniform(engine, std::log(d.F_min), std::log(d.F_max)));
      s.cutoff_q = uniform(engine, d.q_min, d.q_max);
      p.FI = s.cutoff_q * p.F / (s.beta - 1.0);
      p.phi0 = 0.0;
      p.phi1 = s.phi_share * phi_partition(p);
      p.gamma_E = 1.0;
      p.gamma_R = s.gamma_ratio;
      s.redraws = attempt;
      if (admissible(p)) break;
    }
    points.push_back(s);
  }
  return points;
}

std::string stress_point_toml(const StressPoint& point) {
  const Parameters& p = point.params;
  std::ostringstream os;
  os << "# footloose stress point " << point.index << " (beta = " << shortest_text(point.beta)
     << ", gamma_R/gamma_E = " << shortest_text(point.gamma_ratio)
     << ", phi1/phi_P = " << shortest_text(point.phi_share)
     << ", q = FI(beta-1)/F = " << shortest_text(point.cutoff_q) << ")\n";
  for (const ParameterDomain& d : parameter_domains()) {  // every parameter, in schema order
    std::string text = shortest_text(p.*d.field);
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // TOML float, not integer
    os << d.name << " = " << text << "\n";
  }
  return os.str();
}

}  // namespace footloose
