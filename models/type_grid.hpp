// The cell grid of type-resolved relocation (EXTENSION.md A4): cells 0 = a_0 < … < a_M = 1 with
// a moved share m_i each; Pareto weights w_i, cell moments C_i(x), the moved moment R(x) of
// (M5g), the cell-average gain (G2) and the moved set as intervals. All integrals exact (M2).
#pragma once

#include <vector>

#include "models/pareto.hpp"

namespace footloose {

// The moved set at one instant: the union of [lower, upper] intervals of types (cells with a
// moved share above 1/2 joined; a partially filled cell is reported through `shares`).
struct TypeInterval {
  double lower = 0, upper = 0;
};

class TypeGrid {
 public:
  // `cells` cells uniform in a on [0, 1].
  TypeGrid(const Pareto& pareto, int cells);

  const Pareto& pareto() const { return pareto_; }
  int cells() const { return static_cast<int>(weight_.size()); }
  const std::vector<double>& edges() const { return edge_; }  // a_0 = 0, …, a_M = 1
  double lower(int i) const { return edge_[static_cast<std::size_t>(i)]; }
  double upper(int i) const { return edge_[static_cast<std::size_t>(i) + 1]; }
  // w_i = a_i^ρ − a_{i−1}^ρ (cells indexed 0 … M−1 here)
  double weight(int i) const { return weight_[static_cast<std::size_t>(i)]; }
  // C_i(∞) = c(a_i^θ − a_{i−1}^θ): the full revenue moment of a cell (M2)
  double moment(int i) const { return moment_[static_cast<std::size_t>(i)]; }
  // C_i(x) = c[min(a_i,x)^θ − min(a_{i−1},x)^θ]   (A4)
  double cell_moment(int i, double x) const;
  // The cell holding x (the last one for x = 1, −1 for x ≤ 0): binary search on the edges.
  int cell_of(double x) const;

  // J_i(Z) = J(a_{i−1}, a_i; Z) of (M3) for every cell, times `coefficient`, added to `out`:
  // cells below κ(Z) in closed form from the edge powers, the one holding κ(Z) by
  // Pareto::profit_integral.
  void add_cell_profits(double demand_level, double coefficient, std::vector<double>& out) const;
  // (G2) cell-average gain flows g_i: σ w_i g_i = J_i(B) + J_i(φB*) − J_i(B*) − J_i(φB).
  void cell_gains(double B, double B_star, double phi, std::vector<double>& gain) const;

  // Moved shares of the single front [0, aR] (EXTENSION.md A5: the cell share of [0, aR]).
  std::vector<double> front_shares(double aR) const;
  // U = Σ w_i m_i: the moved share of South-born capital.
  double moved_mass(const std::vector<double>& shares) const;

 private:
  Pareto pareto_;
  std::vector<double> edge_, edge_theta_, edge_rho_, weight_, moment_;
};

// R(x) = ∫_0^x μ a^{1−σ} dG = Σ m_i C_i(x)   (M5g), from prefix sums: O(log M) per evaluation.
class MovedMoment {
 public:
  MovedMoment(const TypeGrid& grid, const std::vector<double>& shares);
  double operator()(double x) const;
  double share_at(double x) const;  // μ(x): the share of the cell holding x (0 at x ≤ 0)

 private:
  const TypeGrid& grid_;
  const std::vector<double>& shares_;
  std::vector<double> prefix_;  // prefix_[i] = Σ_{j<i} m_j C_j(∞)
};

// The moved set as intervals: consecutive cells with a share above 1/2, joined.
std::vector<TypeInterval> moved_intervals(const TypeGrid& grid, const std::vector<double>& shares);

}  // namespace footloose
