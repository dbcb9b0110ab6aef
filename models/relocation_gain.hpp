// What a South-born firm of type a gains by producing in the North rather than in the South
// (docs/model.md 3.11, V2): the gain flow at one instant, its present value along a solved path,
// and the paper's own formulas (13)-(14) for comparison. Used by the V2 check (models/validity.cpp)
// and by experiment `paper` (Figure 3).
#pragma once

#include <vector>

#include "models/dynamics.hpp"

namespace footloose {

// docs/model.md 3.11: π_North(a) − π_South(a) at the demand levels and freeness of x, each location
// with its own cut-offs: [max(0, a^{1−σ}B − f) + max(0, φa^{1−σ}B* − f)
//                       − max(0, a^{1−σ}B* − f) − max(0, φa^{1−σ}B − f)] / σ.
double relocation_gain_flow(const Parameters& p, const PathPoint& x, double a);
// The same with z = a^{1−σ} given (no power taken); inline: the V2 scan evaluates it in loops
// over types.
inline double relocation_gain_flow_at(const Parameters& p, const PathPoint& x, double z) {
  const double f = p.f();
  const auto pos = [](double v) { return v > 0.0 ? v : 0.0; };
  // docs/model.md 3.11 (G1): operating profit in the North minus in the South (flows, σ × profit
  // / σ)
  return (pos(z * x.B - f) + pos(x.phi * z * x.B_star - f) - pos(z * x.B_star - f) -
          pos(x.phi * z * x.B - f)) /
         p.sigma;
}

// docs/model.md 3.11: v(a, t_k) = ∫_{t_k}^T e^{−(r+δ)(s−t_k)} gain(a, s) ds for k ≥ from (0
// before), by backward trapezoidal recursion with exact discounting over each step, v(a, T) = 0 (B
// = B* beyond the horizon). path: increasing times.
std::vector<double> relocation_gain_value(const Parameters& p, const std::vector<PathPoint>& path,
                                          double a, std::size_t from = 0);

// One backward step of that recursion over [t_k, t_k + h] with discount factor d = e^{−(r+δ)h}:
// v(t_k) from v(t_k + h) and the flows g(t_k), g(t_k + h).
inline double present_value_step(double v_next, double g, double g_next, double h, double d) {
  // docs/model.md 3.11: v(a,t) = PV of the gain flow, discounted at r + δ (trapezoid, exact
  // discounting over each step)
  return d * v_next + 0.5 * h * (g + d * g_next);
}

// relocation_gain_value for many types on one path (the V2 check): the discount factors of the
// steps are taken once per path and a^{1−σ} once per type. The path must outlive the object.
class RelocationGainValues {
 public:
  RelocationGainValues(const Parameters& p, const std::vector<PathPoint>& path);
  // v(a, t_k) for k ≥ from (0 before), as relocation_gain_value.
  std::vector<double> values(double a, std::size_t from = 0) const;
  // v(a, t_from) alone.
  double value_at(double a, std::size_t from) const;
  // e^{−(r+δ)(t_{k+1} − t_k)}
  double step_discount(std::size_t k) const { return discount_[k]; }

 private:
  const Parameters& p_;
  const std::vector<PathPoint>& path_;
  std::vector<double> discount_;  // e^{−(r+δ)(t_{k+1} − t_k)}
};

// paper (13)-(14), as flows (the paper's present values are these over r + δ when B, B* stay put):
// exporter = a^{1−σ}(1−φ)(B − B*)/σ for a ≤ aX, domestic = a^{1−σ}(B − B*)/σ for aX < a ≤ aD;
// NaN outside those ranges. Both use the North's cut-offs aX, aD only (the paper's one aX).
struct PaperRelocationGain {
  double exporter, domestic;
};
PaperRelocationGain paper_relocation_gain_flow(const Parameters& p, const PathPoint& x, double a);

}  // namespace footloose
