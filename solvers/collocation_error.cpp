#include "solvers/collocation_error.hpp"

#include <algorithm>
#include <stdexcept>

#include "solvers/worker_team.hpp"

namespace footloose::solvers {

namespace {

constexpr int kMaxPoints = 7;  // points of the difference stencils (nodes and midpoints)
constexpr int kOrders = 7;     // derivatives 0 ... 6 of g

// Fornberg's weights: w[j][k] such that the k-th derivative at z of the polynomial through
// (x_j, g_j), j < count, is Σ_j w[j][k] g_j (k < kOrders; 0 for k ≥ count).
void difference_weights(double z, const double* x, int count, double w[kMaxPoints][kOrders]) {
  for (int j = 0; j < count; ++j)
    for (int k = 0; k < kOrders; ++k) w[j][k] = 0.0;
  double c1 = 1.0, c4 = x[0] - z;
  w[0][0] = 1.0;
  for (int i = 1; i < count; ++i) {
    const int mn = std::min(i, kOrders - 1);
    double c2 = 1.0;
    const double c5 = c4;
    c4 = x[i] - z;
    for (int j = 0; j < i; ++j) {
      const double c3 = x[i] - x[j];
      c2 *= c3;
      if (j == i - 1) {
        const double scale = c1 / c2;  // one division per row (a division costs ~4 products)
        for (int k = mn; k >= 1; --k) w[i][k] = scale * (k * w[i - 1][k - 1] - c5 * w[i - 1][k]);
        w[i][0] = -scale * c5 * w[i - 1][0];
      }
      const double over_c3 = 1.0 / c3;
      for (int k = mn; k >= 1; --k) w[j][k] = (c4 * w[j][k] - k * w[j][k - 1]) * over_c3;
      w[j][0] = c4 * w[j][0] * over_c3;
    }
    c1 = c2;
  }
}

std::vector<int> interior_sorted(const std::vector<int>& break_nodes, int N) {
  std::vector<int> b;
  for (int k : break_nodes)
    if (k > 0 && k < N) b.push_back(k);
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return b;
}

}  // namespace

TruncationErrorStencils::TruncationErrorStencils(const std::vector<double>& xi,
                                                 const std::vector<int>& break_nodes,
                                                 WorkerTeam* team)
    : xi_(xi) {
  static_assert(kStencil == kMaxPoints, "one stencil size");
  const int N = static_cast<int>(xi.size()) - 1;
  if (N < 1) throw std::invalid_argument("TruncationErrorStencils: a mesh needs two nodes");
  break_nodes_ = interior_sorted(break_nodes, N);
  intervals_.resize(N);
  const auto point_xi = [&](int k) {
    return k % 2 == 0 ? xi[k / 2] : 0.5 * (xi[k / 2] + xi[k / 2 + 1]);
  };
  // Pieces of points [first, last] between break points (point 2b for node b).
  std::vector<int> cuts{0};
  for (int b : break_nodes_) cuts.push_back(2 * b);
  cuts.push_back(2 * N);
  run_on(team, N, [&](int begin, int end) {
    double x[kStencil], w[kStencil][kOrders];
    for (int i = begin; i < end; ++i) {
      // The piece of interval i: the last cut at or before node i.
      const auto c = std::upper_bound(cuts.begin(), cuts.end(), 2 * i) - 1;
      const int first = c[0], last = c[1];
      const int count = std::min(kStencil, last - first + 1);
      if (count < 5) continue;  // a single interval: no stencil for a fourth derivative
      // Centred on the interval's midpoint (point 2i + 1), shifted inside the piece.
      Interval& iv = intervals_[i];
      iv.start = std::clamp(2 * i + 1 - count / 2, first, last - count + 1);
      iv.count = count;
      for (int q = 0; q < count; ++q) x[q] = point_xi(iv.start + q);
      const double h = xi[i + 1] - xi[i];
      difference_weights(xi[i] + 0.5 * h, x, count, w);  // G_k = Σ_q w[q][k] g_q
      const double h4 = h * h * h * h, h5 = h4 * h, h6 = h5 * h, h7 = h6 * h;
      for (int q = 0; q < count; ++q) {
        iv.midpoint_row[q] = h4 / 384.0 * w[q][3] - h5 / 5760.0 * w[q][4] + h6 / 23040.0 * w[q][5] -
                             h7 / 483840.0 * w[q][6];
        iv.end_row[q] = -h5 / 2880.0 * w[q][4] - h7 / 241920.0 * w[q][6];
      }
    }
  });
}

bool TruncationErrorStencils::fits(const std::vector<double>& xi,
                                   const std::vector<int>& break_nodes) const {
  return xi == xi_ && interior_sorted(break_nodes, static_cast<int>(xi.size()) - 1) == break_nodes_;
}

std::vector<double> TruncationErrorStencils::truncation_error(
    const std::vector<double>& slopes, const std::vector<double>& typical_state, int right_rows,
    WorkerTeam* team) const {
  const int n = static_cast<int>(typical_state.size());
  const int N = static_cast<int>(intervals_.size());
  if (n < 1 || static_cast<int>(slopes.size()) != (2 * N + 1) * n || right_rows < 0)
    throw std::invalid_argument("collocation truncation error: inconsistent sizes");
  std::vector<double> tau(n + 2 * N * n + right_rows, 0.0);
  run_on(team, N, [&](int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const Interval& iv = intervals_[i];
      for (int j = 0; j < n; ++j) {
        double mid = 0.0, last = 0.0;  // (last: the end row's)
        for (int q = 0; q < iv.count; ++q) {
          const double g = slopes[(iv.start + q) * n + j];
          mid += iv.midpoint_row[q] * g;
          last += iv.end_row[q] * g;
        }
        tau[n + 2 * i * n + j] = mid / typical_state[j];
        tau[n + 2 * i * n + n + j] = last / typical_state[j];
      }
    }
  });
  return tau;
}

}  // namespace footloose::solvers
