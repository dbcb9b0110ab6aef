// The validity checks of the Nash front (EXTENSION.md B1) on a solved optimal-timing path.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/optimal_timing.hpp"
#include "models/relocation_gain.hpp"
#include "models/validity.hpp"

namespace footloose {

std::string TimingValidity::report() const {
  std::ostringstream os;
  const auto line = [&](const char* name, const ValidityCheck& c, const char* what) {
    append_check_line(os, name, c, what);
  };
  line("NV2", nv2, "g(a,t) <= g(aR,t) for unmoved a, relative to g(aR,t)");
  line("B >= B*", demand_order, "(B - B*)/B");
  line("V1", v1, "aR(t) <= min(aX, aX*) ahead");
  line("surplus", surplus, "Sigma/max Sigma");
  return os.str();
}

TimingValidity check_timing_validity(const Parameters& p, const std::vector<TimingPathPoint>& path,
                                     int type_grid_size) {
  TimingValidity r;
  if (path.empty()) return r;
  // Points where B − B* is below this are settled (truncation noise): NV2 is not compared there.
  double gap_scale = 0.0;
  for (const auto& x : path) {
    gap_scale = std::max(gap_scale, std::fabs(x.front.B - x.front.B_star) / x.front.B);
  }
  // B ≥ B*: moved types never want to go back (under V1 their gain is aR^{1−σ}(1−φ)(B − B*)).
  r.demand_order.evaluated = true;
  r.demand_order.margin = INFINITY;
  for (const auto& x : path) {
    const double m = (x.front.B - x.front.B_star) / x.front.B;
    if (m < r.demand_order.margin) r.demand_order.margin = m, r.demand_order.time = x.front.t;
  }
  r.demand_order.ok = r.demand_order.margin >= -1e-6 * gap_scale;
  // V1 as in the sequential model.
  std::vector<PathPoint> fronts;
  fronts.reserve(path.size());
  for (const auto& x : path) fronts.push_back(x.front);
  r.v1 = check_validity(p, fronts, false, 0).v1;
  // NV2: on a type grid, no unmoved type has a larger flow gain than the marginal mover.
  r.nv2.evaluated = true;
  r.nv2.margin = INFINITY;
  for (const auto& x : path) {
    const double aR = x.front.aR;
    if (!(aR > 0.0) || std::fabs(x.front.B - x.front.B_star) / x.front.B < 1e-6 * gap_scale)
      continue;
    const double g_front = relocation_gain_flow(p, x.front, aR);
    if (!(g_front > 0.0)) continue;  // B ≤ B*: the demand-order check says it
    for (int j = 1; j <= type_grid_size; ++j) {
      const double a = static_cast<double>(j) / type_grid_size;
      if (a <= aR) continue;
      const double m = (g_front - relocation_gain_flow(p, x.front, a)) / g_front;
      if (m < r.nv2.margin) r.nv2.margin = m, r.nv2.time = x.front.t, r.nv2.type = a;
    }
  }
  if (r.nv2.margin == INFINITY) r.nv2.margin = 0.0;
  r.nv2.ok = r.nv2.margin >= -1e-9;
  // Σ ≥ 0, relative to its largest finite value (Σ is infinite at aR = 0, t = 0); the tail,
  // where Σ → 0, carries the truncation noise of the asymptotic condition.
  double surplus_scale = 0.0;
  for (const auto& x : path) {
    if (std::isfinite(x.surplus)) surplus_scale = std::max(surplus_scale, x.surplus);
  }
  r.surplus.evaluated = true;
  r.surplus.margin = INFINITY;
  for (const auto& x : path) {
    if (!std::isfinite(x.surplus) || !(surplus_scale > 0.0)) continue;
    const double m = x.surplus / surplus_scale;
    if (m < r.surplus.margin) r.surplus.margin = m, r.surplus.time = x.front.t;
  }
  if (r.surplus.margin == INFINITY) r.surplus.margin = 0.0;
  r.surplus.ok = r.surplus.margin >= -1e-6;
  return r;
}

}  // namespace footloose
