#include "models/relocation_gain_scan.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "models/relocation_gain.hpp"

namespace footloose {

namespace {

// The four terms of (G1), σ g = (zB − f)^+ + (φzB* − f)^+ − (zB* − f)^+ − (φzB − f)^+: term i
// switches on where z > f/c_i, c_i = B, φB*, B*, φB.
constexpr int kTerms = 4;
constexpr int kMasks = 1 << kTerms;  // which terms are on
std::array<double, kTerms> term_levels(const PathPoint& x) {
  return {x.B, x.phi * x.B_star, x.B_star, x.phi * x.B};
}
bool is_on(int mask, int term) {
  return (mask >> term) & 1;
}
// With the terms of `mask` on, σ g = z c_mask − f n_mask, c_mask = α B − α* B*, taken as
// α(B − B*) + (α − α*)B*: where α = α* (all four on: (1−φ)(B − B*)) no cancellation of B against
// B* is left to the sum over time.
double mask_level(int mask, const PathPoint& x) {
  const double north = (is_on(mask, 0) ? 1.0 : 0.0) - (is_on(mask, 3) ? x.phi : 0.0);  // α
  const double south = (is_on(mask, 2) ? 1.0 : 0.0) - (is_on(mask, 1) ? x.phi : 0.0);  // α*
  return north * (x.B - x.B_star) + (north - south) * x.B_star;
}
int mask_count(int mask) {
  return (is_on(mask, 0) ? 1 : 0) + (is_on(mask, 1) ? 1 : 0) - (is_on(mask, 2) ? 1 : 0) -
         (is_on(mask, 3) ? 1 : 0);
}

// What the closed form needs from the path, from point k on: for each term the range of its
// switch points f/c_i(s) over s ≥ t_k, and for each set of terms on (taken when first needed:
// a path uses few) the present values at t_k of c_mask(s) and of 1.
class SettledGains {
 public:
  SettledGains(const Parameters& p, const std::vector<PathPoint>& path,
               const RelocationGainValues& pv)
      : f_(p.f()), sigma_(p.sigma), path_(path), pv_(pv) {
    const std::size_t n = path.size();
    for (int i = 0; i < kTerms; ++i) {
      lowest_[i].assign(n, INFINITY);
      highest_[i].assign(n, -INFINITY);
    }
    for (std::size_t k = n; k-- > 0;) {
      const std::array<double, kTerms> c = term_levels(path[k]);
      for (int i = 0; i < kTerms; ++i) {
        const double on_above = c[i] > 0.0 ? f_ / c[i] : INFINITY;  // (c z − f)^+ > 0 iff z > f/c
        lowest_[i][k] = k + 1 < n ? std::min(lowest_[i][k + 1], on_above) : on_above;
        highest_[i][k] = k + 1 < n ? std::max(highest_[i][k + 1], on_above) : on_above;
      }
    }
    unit_pv_ = present_values([](const PathPoint&) { return 1.0; });
  }

  // Each term of (G1) is on for all s ≥ t_k or off for all of them at z.
  bool settled(double z, std::size_t k) const {
    for (int i = 0; i < kTerms; ++i)
      if (!(z > highest_[i][k] || z <= lowest_[i][k])) return false;
    return true;
  }
  // v(z, t_k) of a settled z: the terms on are linear in z for all s ≥ t_k.
  double value(double z, std::size_t k) {
    int mask = 0;
    for (int i = 0; i < kTerms; ++i)
      if (z > highest_[i][k]) mask |= 1 << i;
    if (mask == 0) return 0.0;
    if (level_pv_[mask].empty())
      level_pv_[mask] = present_values([mask](const PathPoint& x) { return mask_level(mask, x); });
    // docs/model.md 3.11: PV of (G1)
    return (z * level_pv_[mask][k] - f_ * mask_count(mask) * unit_pv_[k]) / sigma_;
  }
  // The eight switch-point bounds at t_k: the settled types between two consecutive ones share
  // one linear form.
  std::array<double, 2 * kTerms> bounds(std::size_t k) const {
    std::array<double, 2 * kTerms> b{};
    for (int i = 0; i < kTerms; ++i) b[2 * i] = lowest_[i][k], b[2 * i + 1] = highest_[i][k];
    return b;
  }

 private:
  // ∫_{t_k}^T e^{−(r+δ)(s−t_k)} flow(x(s)) ds at every t_k, as RelocationGainValues.
  template <class Flow>
  std::vector<double> present_values(Flow&& flow) const {
    const std::size_t n = path_.size();
    std::vector<double> v(n, 0.0);
    double next = flow(path_[n - 1]);
    for (std::size_t k = n - 1; k-- > 0;) {
      const double g = flow(path_[k]);
      v[k] =
          present_value_step(v[k + 1], g, next, path_[k + 1].t - path_[k].t, pv_.step_discount(k));
      next = g;
    }
    return v;
  }

  double f_, sigma_;
  const std::vector<PathPoint>& path_;
  const RelocationGainValues& pv_;
  std::array<std::vector<double>, kTerms> lowest_, highest_;
  std::array<std::vector<double>, kMasks> level_pv_;
  std::vector<double> unit_pv_;
};

}  // namespace

UnmovedGainScan scan_unmoved_gains(const Parameters& p, const std::vector<PathPoint>& path,
                                   const std::vector<double>& types, solvers::WorkerTeam* team) {
  const std::size_t N = path.size(), n = types.size();
  for (std::size_t j = 0; j < n; ++j) {
    if (!(types[j] > 0.0 && types[j] <= 1.0) || (j > 0 && !(types[j] > types[j - 1])))
      throw std::invalid_argument("scan_unmoved_gains: types must increase within (0, 1]");
  }
  UnmovedGainScan out;
  out.marginal.assign(N, NAN);
  out.marginal_power.assign(N, NAN);
  out.largest.assign(N, -INFINITY);
  out.largest_type.assign(N, 0.0);
  if (N < 2) return out;
  const RelocationGainValues pv(p, path);
  SettledGains settled(p, path, pv);
  // The marginal type's v(aR(t_k), t_k) where it is not settled: a quadrature from t_k each,
  // independent of the others (settled ones below: SettledGains::value fills its table).
  solvers::run_on(team, static_cast<int>(N - 1), [&](int begin, int end) {
    for (int k = begin; k < end; ++k) {
      const PathPoint& x = path[k];
      if (!(x.aR > 0.0)) continue;
      const double z_marginal = std::pow(x.aR, 1.0 - p.sigma);
      out.marginal_power[k] = z_marginal;
      if (!settled.settled(z_marginal, k)) out.marginal[k] = pv.value_at(x.aR, k);
    }
  });

  // z = a^{1−σ}, decreasing along the grid; first_settled[j]: the first point from which type j
  // is settled (settled at k implies at k + 1: the switch-point ranges only shrink). Each type
  // on its own: through the team.
  std::vector<double> z(n);
  std::vector<std::size_t> first_settled(n);
  solvers::run_on(team, static_cast<int>(n), [&](int begin, int end) {
    for (int j = begin; j < end; ++j) {
      z[j] = std::pow(types[j], 1.0 - p.sigma);
      std::size_t lo = 0, hi = N - 1;  // settled at N − 1: one point, each term on or off
      while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (settled.settled(z[j], mid))
          hi = mid;
        else
          lo = mid + 1;
      }
      first_settled[j] = lo;
    }
  });
  // The unsettled types, in the order they become unsettled going back in time: at point k they
  // are the first `unsettled` entries; their v(z, t_k) by the backward recursion.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return first_settled[a] > first_settled[b];
  });
  std::vector<double> z_u(n), v_u(n), g_next_u(n);
  std::size_t unsettled = 0;
  // Number of types with z above each switch-point bound (lowest_i, highest_i at the point);
  // with 0 and n, sorted: the runs of types between consecutive bounds.
  std::array<std::size_t, 2 * kTerms> above{};
  for (int i = 0; i < 2 * kTerms; ++i) above[i] = i % 2 == 0 ? 0 : n;
  std::array<std::size_t, 2 * kTerms + 2> cuts{};

  for (std::size_t k = N - 1; k-- > 0;) {
    const PathPoint& x = path[k];
    for (; unsettled < n && first_settled[order[unsettled]] > k; ++unsettled) {
      const std::size_t j = order[unsettled];  // settled at k + 1: start from the closed form
      z_u[unsettled] = z[j];
      v_u[unsettled] = settled.value(z[j], k + 1);
      g_next_u[unsettled] = relocation_gain_flow_at(p, path[k + 1], z[j]);
    }
    const double h = path[k + 1].t - x.t, d = pv.step_discount(k);
    for (std::size_t m = 0; m < unsettled; ++m) {
      const double g = relocation_gain_flow_at(p, x, z_u[m]);
      v_u[m] = present_value_step(v_u[m], g, g_next_u[m], h, d);
      g_next_u[m] = g;
    }

    if (x.aR > 0.0 && settled.settled(out.marginal_power[k], k))
      out.marginal[k] = settled.value(out.marginal_power[k], k);
    // The largest gain over grid types a > aR(t_k); equal values: the smallest type.
    const std::size_t eligible = static_cast<std::size_t>(
        std::upper_bound(types.begin(), types.end(), x.aR) - types.begin());
    double best = -INFINITY;
    std::size_t best_j = n;
    const auto consider = [&](std::size_t j, double v) {
      if (v > best || (v == best && j < best_j)) best = v, best_j = j;
    };
    for (std::size_t m = 0; m < unsettled; ++m)
      if (order[m] >= eligible) consider(order[m], v_u[m]);
    // Settled runs: between consecutive switch-point bounds (types with z above a bound come
    // first), v is linear in z: largest at an end of the run's eligible part.
    // Going back in time the lowest bounds only fall and the highest only rise: each count of
    // types with z above a bound moves one way, by steps.
    const std::array<double, 2 * kTerms> b = settled.bounds(k);
    bool moved = false;
    for (int i = 0; i < 2 * kTerms; ++i) {
      std::size_t& c = above[i];
      const std::size_t before = c;
      if (i % 2 == 0) {
        while (c < n && z[c] > b[i]) ++c;  // lowest bound
      } else {
        while (c > 0 && !(z[c - 1] > b[i])) --c;  // highest bound
      }
      moved = moved || c != before;
    }
    if (moved || k == N - 2) {
      std::copy(above.begin(), above.end(), cuts.begin());
      cuts[2 * kTerms] = 0;
      cuts[2 * kTerms + 1] = n;
      std::sort(cuts.begin(), cuts.end());
    }
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      const std::size_t lo = std::max(cuts[c], eligible), hi = cuts[c + 1];
      if (lo >= hi || first_settled[lo] > k) continue;  // empty, or unsettled (done above)
      consider(lo, settled.value(z[lo], k));
      consider(hi - 1, settled.value(z[hi - 1], k));
    }
    if (best_j < n) {
      out.largest[k] = best;
      out.largest_type[k] = types[best_j];
    }
  }
  return out;
}

}  // namespace footloose
