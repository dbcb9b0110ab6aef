#include "models/validity.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/relocation_gain_scan.hpp"

namespace footloose {

void append_check_line(std::ostream& os, const char* name, const ValidityCheck& c,
                       const char* what) {
  os << name << ": ";
  if (!c.evaluated) {
    os << "not evaluated\n";
    return;
  }
  os << (c.ok ? "ok" : "VIOLATED") << " (" << what << ", smallest margin " << c.margin
     << " at t = " << c.time;
  if (c.type > 0.0) os << ", type a = " << c.type;
  os << ")\n";
}

std::string ValidityReport::report() const {
  std::ostringstream os;
  const auto line = [&](const char* name, const ValidityCheck& c, const char* what) {
    append_check_line(os, name, c, what);
  };
  line("V0", v0, "P >= 0");
  line("V1", v1, "aR(t) <= min(aX, aX*) ahead");
  line("V2", v2, "marginal type gains most");
  return os.str();
}

ValidityReport check_validity(const Parameters& p, const std::vector<PathPoint>& path,
                              bool evaluate_v2, int type_grid_size, solvers::WorkerTeam* team) {
  ValidityReport r;
  if (path.empty()) return r;
  const size_t N = path.size();
  // V0: P(t) ≥ 0.
  double p_scale = 0.0;
  for (const auto& x : path) p_scale = std::max(p_scale, std::fabs(x.P));
  r.v0.evaluated = true;
  r.v0.margin = INFINITY;
  for (const auto& x : path) {
    if (x.P < r.v0.margin) r.v0.margin = x.P, r.v0.time = x.t;
  }
  // Tolerance: integration noise, relative to the path's largest |P| with an absolute floor.
  r.v0.ok = r.v0.margin >= -(1e-6 * p_scale + 1e-12 * p.FI);
  // V1: aR(t) ≤ min over s ≥ t of min(aX(s), aX*(s)).
  r.v1.evaluated = true;
  r.v1.margin = INFINITY;
  double ahead = INFINITY;
  for (size_t k = N; k-- > 0;) {
    ahead = std::min(ahead, std::min(path[k].aX, path[k].aX_star));
    const double slack = ahead - path[k].aR;
    if (slack < r.v1.margin) r.v1.margin = slack, r.v1.time = path[k].t;
  }
  r.v1.ok = r.v1.margin >= -1e-9;
  if (!evaluate_v2) return r;
  // V2: on a grid of types, the marginal type's gain is the largest among the unmoved.
  r.v2.evaluated = true;
  r.v2.margin = INFINITY;
  std::vector<double> types(type_grid_size);
  for (int j = 0; j < type_grid_size; ++j) types[j] = (j + 1.0) / type_grid_size;
  const UnmovedGainScan gains = scan_unmoved_gains(p, path, types, team);
  // Gains below a floor are integration noise (the path has settled): not compared. The gain of
  // type a scales like a^{1−σ} (unbounded as aR → 0 near t = 0), so the floor is set on gains
  // normalised by a^{σ−1}: relative to the largest normalised marginal gain on the path.
  std::vector<double> marginal_normalised(N, 0.0);
  double v_scale = 0.0;
  for (size_t k = 0; k + 1 < N; ++k) {
    if (!(path[k].aR > 0.0)) continue;
    marginal_normalised[k] = std::fabs(gains.marginal[k]) / gains.marginal_power[k];
    v_scale = std::max(v_scale, marginal_normalised[k]);
  }
  for (size_t k = 0; k + 1 < N; ++k) {
    if (!(path[k].aR > 0.0)) continue;
    const double v_marginal = gains.marginal[k], best = gains.largest[k];
    if (marginal_normalised[k] < 1e-6 * v_scale + 1e-12 * p.FI) continue;
    if (best == -INFINITY) continue;
    const double slack = (v_marginal - best) / std::max(std::fabs(v_marginal), 1e-300);
    if (slack < r.v2.margin) {
      r.v2.margin = slack;
      r.v2.time = path[k].t;
      r.v2.type = gains.largest_type[k];
    }
  }
  r.v2.ok = r.v2.margin >= -1e-6;
  return r;
}

StaticValidity static_validity(const Parameters& p, double phi, const RelocationEquilibrium& e) {
  StaticValidity s;
  // docs/model.md 3.11 V1 at B = B* (aX = aX*): the moved types keep exporting, aR ≤ aX.
  s.v1 = e.aR <= e.aX * (1 + 1e-12);
  // docs/model.md 3.11 V2 in the limit B → B*: a type a > aX gains a^{1−σ}(B−B*)/σ, the marginal
  // mover aR^{1−σ}(1−φ)(B−B*)/σ, so the marginal type gains most iff aR ≤ (1−φ)^{1/(σ−1)} aX.
  const double bound = std::pow(1.0 - phi, 1.0 / (p.sigma - 1.0)) * e.aX;
  s.v2_margin = bound - e.aR;
  s.v2 = e.aR <= bound * (1 + 1e-12);
  return s;
}

}  // namespace footloose
