#include "models/welfare_path.hpp"

#include <cmath>
#include <limits>

namespace footloose {

double welfare_index(const Parameters& p, double expenditure, double demand_level) {
  return std::log(expenditure / demand_level) /
         (p.sigma - 1.0);  // docs/model.md 2.6: ω = ln(m̄)/(σ−1)
}

double welfare_gap_integral(const std::vector<PathPoint>& path, double PathPoint::*omega,
                            double r) {
  if (path.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const double long_run = path.back().*omega;
  double sum = 0.0;
  for (std::size_t k = 1; k < path.size(); ++k) {
    // docs/model.md 2.6: ∫ (ω(t) − ω∞) e^{−rt} dt, one trapezoid
    const double h = path[k].t - path[k - 1].t;
    const double eu = std::exp(-r * path[k - 1].t), ev = std::exp(-r * path[k].t);
    sum += 0.5 * h * ((path[k - 1].*omega - long_run) * eu + (path[k].*omega - long_run) * ev);
  }
  return sum;
}

}  // namespace footloose
