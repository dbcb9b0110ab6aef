#include "models/water_filling.hpp"

#include <algorithm>

namespace footloose {

namespace {

// The ramp version: χ = k T(χ), T(χ) = Σ w_i min(1 − m_i, (v_i − χ)⁺/ε) piecewise linear and
// non-increasing; walk its breakpoints from the top (cells enter the ramp at χ = v_i and are
// full below χ = v_i − ε(1 − m_i)) until the root lies in the current piece.
WaterFillingStep ramp_step(const std::vector<double>& weights, const std::vector<double>& gains,
                           double k, std::vector<double>& shares, const std::vector<int>& cells,
                           double width) {
  struct Event {
    double level;
    int cell;
    bool enters;
  };
  std::vector<Event> events;
  events.reserve(2 * cells.size());
  for (int i : cells) {
    const auto c = static_cast<std::size_t>(i);
    events.push_back({gains[c], i, true});
    events.push_back({gains[c] - width * (1.0 - shares[c]), i, false});
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.level > b.level; });
  // On a piece: T(χ) = full + (Sv − χ Sw)/ε (full cells' free mass; ramp cells' Σ w v, Σ w).
  double full = 0.0, Sv = 0.0, Sw = 0.0, chi = 0.0;
  const auto root = [&] { return k * (full + Sv / width) / (1.0 + k * Sw / width); };
  for (const Event& e : events) {
    chi = root();
    if (chi >= e.level) break;
    const auto c = static_cast<std::size_t>(e.cell);
    if (e.enters) {
      Sv += weights[c] * gains[c];
      Sw += weights[c];
    } else {
      Sv -= weights[c] * gains[c];
      Sw -= weights[c];
      full += weights[c] * (1.0 - shares[c]);
    }
    chi = root();
  }
  chi = std::max(0.0, chi);
  WaterFillingStep step;
  for (int i : cells) {
    const auto c = static_cast<std::size_t>(i);
    const double dm = std::min(1.0 - shares[c], std::max(0.0, gains[c] - chi) / width);
    if (dm <= 0.0) continue;
    step.moved_mass += weights[c] * dm;
    shares[c] = dm >= 1.0 - shares[c] ? 1.0 : shares[c] + dm;
  }
  step.chi = chi;
  return step;
}

}  // namespace

WaterFillingStep water_filling_step(const std::vector<double>& weights,
                                    const std::vector<double>& gains, double cost_per_rate,
                                    std::vector<double>& shares, std::vector<int>& order,
                                    double width) {
  order.clear();
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (shares[i] < 1.0 && gains[i] > 0.0) order.push_back(static_cast<int>(i));
  }
  if (width > 0.0) return ramp_step(weights, gains, cost_per_rate, shares, order, width);
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
