// One implicit-Euler step of the relocation complementarity (A-ODE) on the type grid
// (EXTENSION.md A4): find χ ≥ 0 with χ = (γR FI/h) Σ w_i (m_i⁺ − m_i), where m_i⁺ = 1 if v_i > χ,
// m_i⁺ = m_i if v_i < χ, and at most one cell with v_i = χ is filled partly. Solved exactly by
// water-filling: cells sorted by gain, descending, free mass w_i(1 − m_i) accumulated.
#pragma once

#include <vector>

namespace footloose {

struct WaterFillingStep {
  double chi = 0.0;         // congestion cost per unit moved, χ ≥ 0
  double moved_mass = 0.0;  // Σ w_i (m_i⁺ − m_i)
  int partial_cell = -1;    // the cell filled partly at v_i = χ, −1 if none
};

// weights w_i, gains v_i at the end of the step, cost_per_rate = γR FI/h > 0. shares m_i are
// updated in place; order is scratch space (kept to avoid reallocation).
// width ε > 0 replaces the step function by a ramp: m_i⁺ − m_i = min(1 − m_i, (v_i − χ)⁺/ε), so
// that the split of the step's flow between cells of nearly equal gain (two fronts, or the
// front cell and its neighbour) is continuous in the gains; ε = 0 is the exact rule above.
WaterFillingStep water_filling_step(const std::vector<double>& weights,
                                    const std::vector<double>& gains, double cost_per_rate,
                                    std::vector<double>& shares, std::vector<int>& order,
                                    double width = 0.0);

}  // namespace footloose
