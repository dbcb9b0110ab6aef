#include "models/type_grid.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace footloose {

TypeGrid::TypeGrid(const Pareto& pareto, int cells) : pareto_(pareto) {
  if (cells < 1) throw std::invalid_argument("TypeGrid: need at least one cell");
  const auto n = static_cast<std::size_t>(cells);
  edge_.resize(n + 1);
  edge_theta_.resize(n + 1);
  edge_rho_.resize(n + 1);
  for (std::size_t k = 0; k <= n; ++k) {
    edge_[k] = k == n ? 1.0 : static_cast<double>(k) / static_cast<double>(cells);
    edge_theta_[k] = std::pow(edge_[k], pareto_.theta);
    edge_rho_[k] = std::pow(edge_[k], pareto_.rho);
  }
  weight_.resize(n);
  moment_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    weight_[i] = edge_rho_[i + 1] - edge_rho_[i];                    // (A4) w_i
    moment_[i] = pareto_.c * (edge_theta_[i + 1] - edge_theta_[i]);  // (M2) C_i(∞)
  }
}

double TypeGrid::cell_moment(int i, double x) const {
  const auto k = static_cast<std::size_t>(i);
  if (x <= edge_[k]) return 0.0;
  if (x >= edge_[k + 1]) return moment_[k];
  return pareto_.c * (std::pow(x, pareto_.theta) - edge_theta_[k]);  // (A4) C_i(x)
}

int TypeGrid::cell_of(double x) const {
  if (x <= 0.0) return -1;
  const auto it = std::lower_bound(edge_.begin() + 1, edge_.end(), x);  // first edge ≥ x
  if (it == edge_.end()) return cells() - 1;
  return static_cast<int>(it - edge_.begin()) - 1;
}

void TypeGrid::add_cell_profits(double demand_level, double coefficient,
                                std::vector<double>& out) const {
  const double kappa = pareto_.cutoff(demand_level);
  const int n = cells();
  int i = 0;
  for (; i < n && edge_[static_cast<std::size_t>(i) + 1] <= kappa; ++i) {  // (M3), whole cell
    out[static_cast<std::size_t>(i)] +=
        coefficient * (demand_level * moment(i) - pareto_.f * weight(i));
  }
  if (i < n && lower(i) < kappa) {  // (M3), the cell holding κ(Z)
    out[static_cast<std::size_t>(i)] +=
        coefficient * pareto_.profit_integral(lower(i), upper(i), demand_level);
  }
}

void TypeGrid::cell_gains(double B, double B_star, double phi, std::vector<double>& gain) const {
  // (G2) σ w_i g_i = J_i(B) + J_i(φB*) − J_i(B*) − J_i(φB). Where a cell sells in all four
  // markets, the revenue terms are grouped as (B − B*) + φ(B* − B) so that g_i is accurate
  // (relative to B − B*) near the steady state.
  const int n = cells();
  gain.assign(static_cast<std::size_t>(n), 0.0);
  const double levels[4] = {B, phi * B_star, B_star, phi * B};
  const double sign[4] = {1.0, 1.0, -1.0, -1.0};
  double kappa[4];
  for (int k = 0; k < 4; ++k) kappa[k] = pareto_.cutoff(levels[k]);
  const double common = std::min(std::min(kappa[0], kappa[1]), std::min(kappa[2], kappa[3]));
  const double reach = std::max(std::max(kappa[0], kappa[1]), std::max(kappa[2], kappa[3]));
  const double grouped = (B - B_star) + phi * (B_star - B);
  for (int i = 0; i < n && lower(i) < reach; ++i) {
    const auto k = static_cast<std::size_t>(i);
    double sum = 0.0;
    if (upper(i) <= common) {
      sum = grouped * moment(i);  // the f w_i terms cancel
    } else {
      for (int j = 0; j < 4; ++j) {
        if (upper(i) <= kappa[j]) {
          sum += sign[j] * (levels[j] * moment(i) - pareto_.f * weight(i));
        } else if (lower(i) < kappa[j]) {
          sum += sign[j] * pareto_.profit_integral(lower(i), upper(i), levels[j]);
        }
      }
    }
    gain[k] = sum / (pareto_.sigma * weight(i));
  }
}

std::vector<double> TypeGrid::front_shares(double aR) const {
  std::vector<double> shares(weight_.size(), 0.0);
  for (int i = 0; i < cells() && lower(i) < aR; ++i) {
    shares[static_cast<std::size_t>(i)] =
        upper(i) <= aR ? 1.0
                       : std::clamp(pareto_.mass(lower(i), aR) / weight(i), 0.0, 1.0);  // (A5)
  }
  return shares;
}

double TypeGrid::moved_mass(const std::vector<double>& shares) const {
  double U = 0.0;
  for (std::size_t i = 0; i < weight_.size(); ++i) U += weight_[i] * shares[i];
  return U;
}

MovedMoment::MovedMoment(const TypeGrid& grid, const std::vector<double>& shares)
    : grid_(grid), shares_(shares), prefix_(shares.size() + 1, 0.0) {
  for (std::size_t i = 0; i < shares.size(); ++i) {
    prefix_[i + 1] = prefix_[i] + shares[i] * grid.moment(static_cast<int>(i));
  }
}

double MovedMoment::operator()(double x) const {
  const int j = grid_.cell_of(x);
  if (j < 0) return 0.0;
  const auto k = static_cast<std::size_t>(j);
  return prefix_[k] + shares_[k] * grid_.cell_moment(j, x);  // (M5g) R(x) = Σ m_i C_i(x)
}

double MovedMoment::share_at(double x) const {
  const int j = grid_.cell_of(x);
  return j < 0 ? 0.0 : shares_[static_cast<std::size_t>(j)];
}

std::vector<TypeInterval> moved_intervals(const TypeGrid& grid, const std::vector<double>& shares) {
  std::vector<TypeInterval> out;
  bool open = false;
  for (int i = 0; i < grid.cells(); ++i) {
    const bool moved = shares[static_cast<std::size_t>(i)] > 0.5;
    if (moved && !open) out.push_back({grid.lower(i), grid.upper(i)});
    if (moved) out.back().upper = grid.upper(i);
    open = moved;
  }
  return out;
}

}  // namespace footloose
