// The truncation error of the collocation rows of solvers/collocation.hpp (3-stage Lobatto IIIA
// in ξ) applied to the exact solution, to leading order, for the deferred-correction error
// estimate e = J⁻¹(F(u) − τ). With g = dy/dξ and h = ξ_{i+1} − ξ_i (Taylor expansion at ξ_i):
//   midpoint row  y_{i½} − y_i − h(5/24 g_i + 1/3 g_{i½} − 1/24 g_{i+1}):
//                 τ = h⁴/384 · y⁗(ξ_i + 13h/30) + O(h⁶)
//   end row       y_{i+1} − y_i − h(1/6 g_i + 2/3 g_{i½} + 1/6 g_{i+1}):
//                 τ = −h⁵/2880 · y⁽⁵⁾(ξ_{i½}) + O(h⁷)
// y⁗ = g‴ and y⁽⁵⁾ = g⁗ by Fornberg's difference weights on seven consecutive points (nodes
// and midpoints) centred on the interval, shifted to one side at the ends of the mesh and at
// break points, never across one. Generic numerics only.
#pragma once

#include <vector>

namespace footloose::solvers {

// τ in the row layout of the collocation residual: [left (n) | per interval: midpoint row (n),
// end row (n) | right (right_rows)], left and right rows zero, each state row divided by
// typical_state. xi: the mesh (N + 1 points); slopes: g at the 2N + 1 points (node i at 2i·n,
// midpoint i at (2i+1)·n); break_nodes: indices of nodes where g may jump (any order). A piece
// between breaks of two intervals uses its five points; of a single interval, none: τ = 0 there.
std::vector<double> collocation_truncation_error(const std::vector<double>& xi,
                                                 const std::vector<double>& slopes,
                                                 const std::vector<double>& typical_state,
                                                 const std::vector<int>& break_nodes,
                                                 int right_rows);

}  // namespace footloose::solvers
