#include "solvers/collocation_error.hpp"

#include <algorithm>
#include <stdexcept>

namespace footloose::solvers {

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
  double x[5], d[5];
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    const int first = cuts[c], last = cuts[c + 1];
    if (last - first < 4) continue;  // a single interval: no five-point stencil
    for (int i = first / 2; i < last / 2; ++i) {
      const int start = std::clamp(2 * i - 1, first, last - 4);
      for (int q = 0; q < 5; ++q) x[q] = point_xi(start + q);
      const double h = xi[i + 1] - xi[i];
      const double expansion_point = xi[i] + 13.0 / 30.0 * h;  // where y⁗ gives the h⁵ term too
      for (int j = 0; j < n; ++j) {
        // Newton's divided differences of g_j over the five points.
        for (int q = 0; q < 5; ++q) d[q] = slopes[(start + q) * n + j];
        for (int level = 1; level < 5; ++level)
          for (int q = 4; q >= level; --q) d[q] = (d[q] - d[q - 1]) / (x[q] - x[q - level]);
        // The quartic's third derivative: 6 d3 + 6 d4 Σ_{q<4} (ξ − x_q); its fourth: 24 d4.
        const double third =
            6.0 * d[3] + 6.0 * d[4] * (4.0 * expansion_point - x[0] - x[1] - x[2] - x[3]);
        const double fourth = 24.0 * d[4];
        const double h4 = h * h * h * h;
        tau[n + 2 * i * n + j] = h4 / 384.0 * third / typical_state[j];
        tau[n + 2 * i * n + n + j] = -h4 * h / 2880.0 * fourth / typical_state[j];
      }
    }
  }
  return tau;
}

}  // namespace footloose::solvers
