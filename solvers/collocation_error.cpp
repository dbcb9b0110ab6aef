#include "solvers/collocation_error.hpp"

#include <algorithm>
#include <stdexcept>

namespace footloose::solvers {

namespace {

constexpr int kStencil = 7;  // points of the difference stencils (nodes and midpoints)
constexpr int kOrders = 5;   // derivatives 0 ... 4 of g
constexpr int kThird = 3, kFourth = 4;

// Fornberg's weights: w[j][k] such that the k-th derivative at z of the polynomial through
// (x_j, g_j), j < count, is Σ_j w[j][k] g_j (k < kOrders).
void difference_weights(double z, const double* x, int count, double w[kStencil][kOrders]) {
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
        for (int k = mn; k >= 1; --k) w[i][k] = c1 * (k * w[i - 1][k - 1] - c5 * w[i - 1][k]) / c2;
        w[i][0] = -c1 * c5 * w[i - 1][0] / c2;
      }
      for (int k = mn; k >= 1; --k) w[j][k] = (c4 * w[j][k] - k * w[j][k - 1]) / c3;
      w[j][0] = c4 * w[j][0] / c3;
    }
    c1 = c2;
  }
}

}  // namespace

std::vector<double> collocation_truncation_error(const std::vector<double>& xi,
                                                 const std::vector<double>& slopes,
                                                 const std::vector<double>& typical_state,
                                                 const std::vector<int>& break_nodes,
                                                 int right_rows) {
  const int n = static_cast<int>(typical_state.size());
  const int N = static_cast<int>(xi.size()) - 1;
  if (n < 1 || N < 1 || static_cast<int>(slopes.size()) != (2 * N + 1) * n || right_rows < 0)
    throw std::invalid_argument("collocation_truncation_error: inconsistent sizes");
  std::vector<double> tau(n + 2 * N * n + right_rows, 0.0);
  const auto point_xi = [&](int k) {
    return k % 2 == 0 ? xi[k / 2] : 0.5 * (xi[k / 2] + xi[k / 2 + 1]);
  };
  // Pieces of points [first, last] between break points (point 2b for node b).
  std::vector<int> cuts{0, 2 * N};
  for (int b : break_nodes)
    if (b > 0 && b < N) cuts.push_back(2 * b);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  double x[kStencil], third[kStencil][kOrders], fourth[kStencil][kOrders];
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    const int first = cuts[c], last = cuts[c + 1];
    const int count = std::min(kStencil, last - first + 1);
    if (count < 5) continue;  // a single interval: no stencil for a fourth derivative
    for (int i = first / 2; i < last / 2; ++i) {
      // Centred on the interval's midpoint (point 2i + 1), shifted inside the piece.
      const int start = std::clamp(2 * i + 1 - count / 2, first, last - count + 1);
      for (int q = 0; q < count; ++q) x[q] = point_xi(start + q);
      const double h = xi[i + 1] - xi[i];
      difference_weights(xi[i] + 13.0 / 30.0 * h, x, count, third);  // y⁗ there: h⁵ term too
      difference_weights(xi[i] + 0.5 * h, x, count, fourth);
      const double h4 = h * h * h * h;
      for (int j = 0; j < n; ++j) {
        double g3 = 0.0, g4 = 0.0;
        for (int q = 0; q < count; ++q) {
          const double g = slopes[(start + q) * n + j];
          g3 += third[q][kThird] * g;
          g4 += fourth[q][kFourth] * g;
        }
        tau[n + 2 * i * n + j] = h4 / 384.0 * g3 / typical_state[j];
        tau[n + 2 * i * n + n + j] = -h4 * h / 2880.0 * g4 / typical_state[j];
      }
    }
  }
  return tau;
}

}  // namespace footloose::solvers
