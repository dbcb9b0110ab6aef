#include "models/relocation_gain.hpp"

#include <cmath>
#include <limits>

namespace footloose {

double relocation_gain_flow(const Parameters& p, const PathPoint& x, double a) {
  return relocation_gain_flow_at(p, x, std::pow(a, 1.0 - p.sigma));
}

RelocationGainValues::RelocationGainValues(const Parameters& p, const std::vector<PathPoint>& path)
    : p_(p), path_(path), discount_(path.empty() ? 0 : path.size() - 1) {
  for (std::size_t k = 0; k < discount_.size(); ++k)
    discount_[k] = std::exp(-p.discount() * (path[k + 1].t - path[k].t));
}

std::vector<double> RelocationGainValues::values(double a, std::size_t from) const {
  const std::size_t N = path_.size();
  std::vector<double> v(N, 0.0);
  if (N == 0) return v;
  const double z = std::pow(a, 1.0 - p_.sigma);
  double g_next = relocation_gain_flow_at(p_, path_[N - 1], z);
  for (std::size_t k = N - 1; k-- > from;) {
    const double g = relocation_gain_flow_at(p_, path_[k], z);
    v[k] = present_value_step(v[k + 1], g, g_next, path_[k + 1].t - path_[k].t, discount_[k]);
    g_next = g;
  }
  return v;
}

double RelocationGainValues::value_at(double a, std::size_t from) const {
  const std::size_t N = path_.size();
  if (from + 1 >= N) return 0.0;
  const double z = std::pow(a, 1.0 - p_.sigma);
  double v = 0.0, g_next = relocation_gain_flow_at(p_, path_[N - 1], z);
  for (std::size_t k = N - 1; k-- > from;) {
    const double g = relocation_gain_flow_at(p_, path_[k], z);
    v = present_value_step(v, g, g_next, path_[k + 1].t - path_[k].t, discount_[k]);
    g_next = g;
  }
  return v;
}

std::vector<double> relocation_gain_value(const Parameters& p, const std::vector<PathPoint>& path,
                                          double a, std::size_t from) {
  return RelocationGainValues(p, path).values(a, from);
}

PaperRelocationGain paper_relocation_gain_flow(const Parameters& p, const PathPoint& x, double a) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const double q = std::pow(a, 1.0 - p.sigma) / p.sigma;
  return {a <= x.aX ? q * (1 - x.phi) * (x.B - x.B_star) : nan,  // paper (13)
          a > x.aX && a <= x.aD ? q * (x.B - x.B_star) : nan};   // paper (14)
}

}  // namespace footloose
