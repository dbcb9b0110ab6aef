#include "models/validity.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace footloose {

namespace {

// Gain flow of producing in the North rather than the South for type a (σ × profit difference
// is divided by σ): [max(0,a^{1−σ}B − f) + max(0,φa^{1−σ}B* − f)
//                   − max(0,a^{1−σ}B* − f) − max(0,φa^{1−σ}B − f)]/σ.
double gain_flow(const Parameters& p, const PathPoint& x, double a) {
  const double f = p.f(), q = std::pow(a, 1.0 - p.sigma);
  auto pos = [](double v) { return v > 0.0 ? v : 0.0; };
  return (pos(q * x.B - f) + pos(x.phi * q * x.B_star - f) - pos(q * x.B_star - f) -
          pos(x.phi * q * x.B - f)) /
         p.sigma;
}

// v(a, t_k) for all k by backward trapezoidal recursion, v(a, T) = 0 (B = B* beyond T).
std::vector<double> gain_value(const Parameters& p, const std::vector<PathPoint>& path, double a,
                               size_t from) {
  const size_t N = path.size();
  std::vector<double> v(N, 0.0);
  double g_next = gain_flow(p, path[N - 1], a);
  for (size_t k = N - 1; k-- > from;) {
    const double h = path[k + 1].t - path[k].t, d = std::exp(-p.discount() * h);
    const double g = gain_flow(p, path[k], a);
    v[k] = d * v[k + 1] + 0.5 * h * (g + d * g_next);
    g_next = g;
  }
  return v;
}

}  // namespace

std::string ValidityReport::report() const {
  std::ostringstream os;
  auto line = [&](const char* name, const ValidityCheck& c, const char* what) {
    os << name << ": ";
    if (!c.evaluated) {
      os << "not evaluated\n";
      return;
    }
    os << (c.ok ? "ok" : "VIOLATED") << " (" << what << ", smallest margin " << c.margin
       << " at t = " << c.time;
    if (c.type > 0.0) os << ", type a = " << c.type;
    os << ")\n";
  };
  line("V0", v0, "P >= 0");
  line("V1", v1, "aR(t) <= min(aX, aX*) ahead");
  line("V2", v2, "marginal type gains most");
  return os.str();
}

ValidityReport check_validity(const Parameters& p, const std::vector<PathPoint>& path,
                              bool evaluate_v2, int type_grid_size) {
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
  std::vector<std::vector<double>> values(type_grid_size);
  for (int j = 0; j < type_grid_size; ++j) {
    types[j] = (j + 1.0) / type_grid_size;
    values[j] = gain_value(p, path, types[j], 0);
  }
  // Gains below a floor are integration noise (the path has settled): not compared. The gain of
  // type a scales like a^{1−σ} (unbounded as aR → 0 near t = 0), so the floor is set on gains
  // normalised by a^{σ−1}: relative to the largest normalised marginal gain on the path.
  const auto normalised = [&](double v, double a) {
    return std::fabs(v) * std::pow(a, p.sigma - 1.0);
  };
  std::vector<double> marginal(N, 0.0);
  double v_scale = 0.0;
  for (size_t k = 0; k + 1 < N; ++k) {
    if (!(path[k].aR > 0.0)) continue;
    marginal[k] = gain_value(p, path, path[k].aR, k)[k];
    v_scale = std::max(v_scale, normalised(marginal[k], path[k].aR));
  }
  for (size_t k = 0; k + 1 < N; ++k) {
    const double aR = path[k].aR;
    if (!(aR > 0.0)) continue;
    const double v_marginal = marginal[k];
    if (normalised(v_marginal, aR) < 1e-6 * v_scale + 1e-12 * p.FI) continue;
    double best = -INFINITY, best_type = 0.0;
    for (int j = 0; j < type_grid_size; ++j) {
      if (types[j] > aR && values[j][k] > best) best = values[j][k], best_type = types[j];
    }
    if (best == -INFINITY) continue;
    const double slack = (v_marginal - best) / std::max(std::fabs(v_marginal), 1e-300);
    if (slack < r.v2.margin) {
      r.v2.margin = slack;
      r.v2.time = path[k].t;
      r.v2.type = best_type;
    }
  }
  r.v2.ok = r.v2.margin >= -1e-6;
  return r;
}

}  // namespace footloose
