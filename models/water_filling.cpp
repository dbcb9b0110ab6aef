#include "models/water_filling.hpp"

#include <algorithm>

namespace footloose {

WaterFillingStep water_filling_step(const std::vector<double>& weights,
                                    const std::vector<double>& gains, double cost_per_rate,
                                    std::vector<double>& shares, std::vector<int>& order) {
  order.clear();
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (shares[i] < 1.0 && gains[i] > 0.0) order.push_back(static_cast<int>(i));
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return gains[static_cast<std::size_t>(a)] > gains[static_cast<std::size_t>(b)];
  });
  // (A-ODE), implicit Euler: with the cells before i filled, the level is χ = k·A (A the mass
  // moved, k = γR FI/h). Cell i moves iff its gain exceeds that level; it fills completely
  // iff the level after filling, k(A + free_i), is still at most its gain; else it fills
  // partly up to χ = v_i, and no later cell moves.
  WaterFillingStep step;
  double A = 0.0;
  for (int i : order) {
    const auto k = static_cast<std::size_t>(i);
    const double v = gains[k];
    if (cost_per_rate * A >= v) break;
    const double free_mass = weights[k] * (1.0 - shares[k]);
    if (cost_per_rate * (A + free_mass) <= v) {
      A += free_mass;
      shares[k] = 1.0;
      continue;
    }
    const double delta = v / cost_per_rate - A;  // 0 < delta < free_mass
    shares[k] = std::min(1.0, shares[k] + delta / weights[k]);
    A += delta;
    step.partial_cell = i;
    break;
  }
  step.moved_mass = A;
  step.chi = step.partial_cell >= 0 ? gains[static_cast<std::size_t>(step.partial_cell)]
                                    : cost_per_rate * A;
  return step;
}

}  // namespace footloose
