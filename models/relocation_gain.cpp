#include "models/relocation_gain.hpp"

#include <cmath>
#include <limits>

namespace footloose {

double relocation_gain_flow(const Parameters& p, const PathPoint& x, double a) {
  const double f = p.f(), q = std::pow(a, 1.0 - p.sigma);
  auto pos = [](double v) { return v > 0.0 ? v : 0.0; };
  // docs/model.md 3.11: operating profit in the North minus in the South (flows, σ × profit / σ)
  return (pos(q * x.B - f) + pos(x.phi * q * x.B_star - f) - pos(q * x.B_star - f) -
          pos(x.phi * q * x.B - f)) /
         p.sigma;
}

std::vector<double> relocation_gain_value(const Parameters& p, const std::vector<PathPoint>& path,
                                          double a, std::size_t from) {
  const std::size_t N = path.size();
  std::vector<double> v(N, 0.0);
  if (N == 0) return v;
  double g_next = relocation_gain_flow(p, path[N - 1], a);
  for (std::size_t k = N - 1; k-- > from;) {
    // docs/model.md 3.11: v(a,t) = PV of the gain flow, discounted at r + δ
    const double h = path[k + 1].t - path[k].t, d = std::exp(-p.discount() * h);
    const double g = relocation_gain_flow(p, path[k], a);
    v[k] = d * v[k + 1] + 0.5 * h * (g + d * g_next);
    g_next = g;
  }
  return v;
}

PaperRelocationGain paper_relocation_gain_flow(const Parameters& p, const PathPoint& x, double a) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const double q = std::pow(a, 1.0 - p.sigma) / p.sigma;
  return {a <= x.aX ? q * (1 - x.phi) * (x.B - x.B_star) : nan,  // paper (13)
          a > x.aX && a <= x.aD ? q * (x.B - x.B_star) : nan};   // paper (14)
}

}  // namespace footloose
