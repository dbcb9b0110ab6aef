// The stretched variable of the collocation (solvers/collocation.hpp): t(ξ) = t_0 + L ξ^p on
// ξ ∈ [0, 1], its rate t'(ξ) and its inverse. Every time and ξ of a collocation mesh and its
// points is computed by these functions, so the same ξ always gives the same bits (a problem's
// cache may key on the point times: collocation_point_times). Generic numerics only.
#pragma once

#include <algorithm>
#include <cmath>

namespace footloose::solvers {

struct TimeMap {
  double t0 = 0.0, length = 1.0, stretch = 1.0;

  // ξ^p. p = 1 and 2: exact, correctly rounded; p = 3 (the baseline path's stretch): two
  // products, within 1 ulp of std::pow (which may differ from either in the last bit).
  double power(double xi) const {
    if (stretch == 1.0) return xi;
    if (stretch == 2.0) return xi * xi;
    if (stretch == 3.0) return xi * xi * xi;
    return std::pow(xi, stretch);
  }
  double time(double xi) const { return xi >= 1.0 ? t0 + length : t0 + length * power(xi); }
  // t'(ξ) = p L ξ^{p−1}; ξ^{p−1} as power() has it for p = 2 and 3.
  double rate(double xi) const {
    if (stretch == 1.0) return length;
    if (xi <= 0.0) return 0.0;
    const double xi_p1 = stretch == 2.0   ? xi
                         : stretch == 3.0 ? xi * xi
                                          : std::pow(xi, stretch - 1.0);
    return stretch * length * xi_p1;
  }
  // ξ(t) = ((t − t_0)/L)^{1/p}, t clamped to [t_0, t_0 + L]; p = 2 by a square root (other p by
  // std::pow: the inverse runs once a node, the map twice a collocation point).
  double xi(double t) const {
    const double s = std::clamp((t - t0) / length, 0.0, 1.0);
    if (stretch == 1.0) return s;
    if (stretch == 2.0) return std::sqrt(s);
    return std::pow(s, 1.0 / stretch);
  }
};

}  // namespace footloose::solvers
