// The truncation error of the collocation rows of solvers/collocation.hpp (3-stage Lobatto IIIA
// in ξ) applied to the exact solution, for the deferred-correction error estimate
// e = J⁻¹(F(u) − τ). With g = dy/dξ, h = ξ_{i+1} − ξ_i and G_k = g⁽ᵏ⁾ at the interval's
// midpoint (Taylor expansion there):
//   midpoint row  y_{i½} − y_i − h(5/24 g_i + 1/3 g_{i½} − 1/24 g_{i+1}):
//                 τ = h⁴/384 G₃ − h⁵/5760 G₄ + h⁶/23040 G₅ − h⁷/483840 G₆ + O(h⁸)
//   end row       y_{i+1} − y_i − h(1/6 g_i + 2/3 g_{i½} + 1/6 g_{i+1}):
//                 τ = −h⁵/2880 G₄ − h⁷/241920 G₆ + O(h⁹)
// G₃ … G₆ by Fornberg's difference weights on seven consecutive points (nodes and midpoints)
// centred on the interval, shifted to one side at the ends of the mesh and at break points,
// never across one; a piece of two intervals between breaks has five points (G₃, G₄ only).
// τ is then O(h⁸) accurate, relative O(h³) (the h⁷ terms matter where a quantity's error is
// far below the path's by cancellation along it). Generic numerics only.
#pragma once

#include <array>
#include <vector>

namespace footloose::solvers {

class WorkerTeam;

// The weights of τ on one mesh (they depend on the mesh and its break points only): a solve
// keeps them with its factorised Newton matrix, and a warm start on the same mesh reuses them.
class TruncationErrorStencils {
 public:
  // xi: the mesh (N + 1 points); break_nodes: indices of nodes where g may jump (any order).
  // team: the intervals' weights are computed through it (nullptr = on the calling thread);
  // the same bits either way.
  TruncationErrorStencils(const std::vector<double>& xi, const std::vector<int>& break_nodes,
                          WorkerTeam* team = nullptr);

  // Whether these are the stencils of that mesh and those break nodes.
  bool fits(const std::vector<double>& xi, const std::vector<int>& break_nodes) const;

  // τ in the row layout of the collocation residual: [left (n) | per interval: midpoint row (n),
  // end row (n) | right (right_rows)], left and right rows zero, each state row divided by
  // typical_state (n = its size). slopes: g at the 2N + 1 points (node i at 2i·n, midpoint i at
  // (2i+1)·n). A piece between breaks of a single interval has no stencil: τ = 0 there.
  // team: the intervals are evaluated through it (nullptr = on the calling thread), same bits.
  std::vector<double> truncation_error(const std::vector<double>& slopes,
                                       const std::vector<double>& typical_state, int right_rows,
                                       WorkerTeam* team = nullptr) const;

 private:
  static constexpr int kStencil = 7;  // points of a stencil (nodes and midpoints)
  struct Interval {
    int start = 0, count = 0;  // first point (2i: node i, 2i + 1: midpoint i) and how many
    std::array<double, kStencil> midpoint_row{}, end_row{};  // τ = Σ_q weight_q g_{start+q}
  };
  std::vector<double> xi_;
  std::vector<int> break_nodes_;  // sorted, unique, interior
  std::vector<Interval> intervals_;
};

}  // namespace footloose::solvers
