#include "solvers/collocation_matrix.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <utility>

#include "solvers/worker_team.hpp"

namespace footloose::solvers {

CollocationMatrix::CollocationMatrix(int state_size, int left_free_size, int parameter_size,
                                     int intervals) {
  reshape(state_size, left_free_size, parameter_size, intervals);
}

void CollocationMatrix::reshape(int state_size, int left_free_size, int parameter_size,
                                int intervals) {
  if (state_size < 1 || left_free_size < 0 || parameter_size < 0 || intervals < 1)
    throw std::invalid_argument("CollocationMatrix: bad sizes");
  n_ = state_size;
  m_ = left_free_size;
  p_ = parameter_size;
  N_ = intervals;
  left_.resize(static_cast<std::size_t>(n_) * (m_ + n_));
  blocks_.resize(static_cast<std::size_t>(N_) * 6 * n_ * n_);
  right_.resize(static_cast<std::size_t>(m_ + p_) * (n_ + p_));
  // Half-bandwidths of the reduced system (rows: left, n per interval, right; columns: z,
  // y_0 ... y_N, params), from the extreme entries of each kind of row.
  kl_ = std::max({n_ - 1, 2 * n_ - 1 - m_, n_ + p_ - 1, 0});
  ku_ = std::max({m_ + n_ - 1, m_ + p_ - 1, 0});
  kv_ = kl_ + ku_;
  ldab_ = 2 * kl_ + ku_ + 1;
}

void CollocationMatrix::multiply(const double* v, double* out) const {
  if (!products_) throw std::logic_error("CollocationMatrix: product after factorize(false)");
  const int w = m_ + n_;
  for (int r = 0; r < n_; ++r) {
    double s = 0.0;
    for (int c = 0; c < w; ++c) s += left_[r * w + c] * v[c];
    out[r] = s;
  }
  const int bw = 3 * n_;
  for (int i = 0; i < N_; ++i) {
    const double* B = &blocks_[static_cast<std::size_t>(i) * 6 * n_ * n_];
    const double* x = v + m_ + 2 * i * n_;
    double* o = out + n_ + 2 * i * n_;
    for (int r = 0; r < 2 * n_; ++r) {
      double s = 0.0;
      for (int c = 0; c < bw; ++c) s += B[r * bw + c] * x[c];
      o[r] = s;
    }
  }
  const int rw = n_ + p_;
  const double* x = v + m_ + 2 * N_ * n_;
  double* o = out + n_ + 2 * N_ * n_;
  for (int r = 0; r < m_ + p_; ++r) {
    double s = 0.0;
    for (int c = 0; c < rw; ++c) s += right_[r * rw + c] * x[c];
    o[r] = s;
  }
}

namespace {

// Steps j = from ... to − 1 of the banded LU with partial pivoting (LAPACK's dgbtf2) of a D × D
// band (kl below, ku above the diagonal, kv = kl + ku rows of storage above it): column(j) points
// to column j's storage, pivots[j − from] receives its pivot row; ju is the fill bound so far.
template <class Column>
bool banded_lu_steps(int from, int to, int D, int kl, int ku, int kv, int& ju, const Column& column,
                     int* pivots) {
  const auto band = [&](int row, int col) -> double& { return column(col)[kv + row - col]; };
  for (int j = from; j < to; ++j) {
    const int km = std::min(kl, D - 1 - j);
    int jp = 0;
    for (int r = 1; r <= km; ++r)
      if (std::fabs(band(j + r, j)) > std::fabs(band(j + jp, j))) jp = r;
    pivots[j - from] = j + jp;
    if (band(j + jp, j) == 0.0) return false;
    ju = std::max(ju, std::min(j + ku + jp, D - 1));
    if (jp != 0)
      for (int c = j; c <= ju; ++c) std::swap(band(j, c), band(j + jp, c));
    const double inverse = 1.0 / band(j, j);
    double* lower = &band(j + 1, j);  // contiguous: rows j+1 ... j+km of column j
    for (int r = 0; r < km; ++r) lower[r] *= inverse;
    for (int c = j + 1; c <= ju; ++c) {
      const double a = band(j, c);
      if (a == 0.0) continue;
      double* target = &band(j + 1, c);
      for (int r = 0; r < km; ++r) target[r] -= lower[r] * a;
    }
  }
  return true;
}

// LU with row pivoting of the midpoint columns of interval block W (2n × 3n, row-major), the
// multipliers stored below their diagonal and the other columns updated; rows: the row order.
// False for an exact zero pivot. NS > 0: n = NS at compile time (0: as given).
template <int NS>
bool eliminate_midpoint_columns(double* W, int* rows, int n_given) {
  const int n = NS > 0 ? NS : n_given, bw = 3 * n;
  for (int r = 0; r < 2 * n; ++r) rows[r] = r;
  for (int k = 0; k < n; ++k) {
    const int col = n + k;
    int best = k;
    for (int r = k + 1; r < 2 * n; ++r)
      if (std::fabs(W[r * bw + col]) > std::fabs(W[best * bw + col])) best = r;
    if (W[best * bw + col] == 0.0) return false;
    std::swap(rows[k], rows[best]);
    if (best != k) std::swap_ranges(W + k * bw, W + (k + 1) * bw, W + best * bw);
    const double inverse = 1.0 / W[k * bw + col];
    for (int r = k + 1; r < 2 * n; ++r) {
      const double l = W[r * bw + col] * inverse;
      W[r * bw + col] = l;
      if (l == 0.0) continue;
      for (int c = 0; c < n; ++c) W[r * bw + c] -= l * W[k * bw + c];
      for (int c = col + 1; c < bw; ++c) W[r * bw + c] -= l * W[k * bw + c];
    }
  }
  return true;
}

}  // namespace

bool CollocationMatrix::factorize(bool keep_products, WorkerTeam* team) {
  const int n = n_, bw = 3 * n_, D = reduced_size();
  const std::size_t block = static_cast<std::size_t>(6) * n * n;
  // 1. Midpoint elimination in each interval block (independent across intervals).
  if (keep_products) {
    condensed_.resize(blocks_.size());
    factored_ = condensed_.data();
  } else {
    factored_ = blocks_.data();
    products_ = false;
  }
  block_rows_.resize(static_cast<std::size_t>(N_) * 2 * n);
  std::atomic<bool> singular{false};
  run_on(team, N_, [&](int begin, int end) {
    for (int i = begin; i < end; ++i) {
      double* W = factored_ + i * block;
      if (keep_products) std::copy_n(&blocks_[i * block], block, W);
      int* rows = &block_rows_[static_cast<std::size_t>(i) * 2 * n];
      if (!(n == 6 ? eliminate_midpoint_columns<6>(W, rows, n)
                   : eliminate_midpoint_columns<0>(W, rows, n))) {
        singular.store(true, std::memory_order_relaxed);
        return;
      }
    }
  });
  if (singular.load()) return false;
  // 2. The reduced banded system, by columns: the columns of y_i hold the rows of intervals
  // i − 1 and i, the left rows (columns z, y_0) and the right rows (columns y_N, params) too.
  band_.resize(static_cast<std::size_t>(ldab_) * D);
  const auto column_of = [&](int i) { return i == 0 ? 0 : m_ + i * n; };  // of y_i's block
  run_on(team, N_ + 1, [&](int begin, int end) {
    if (begin >= end) return;  // (an empty piece owns no column)
    const int first = column_of(begin), last = end == N_ + 1 ? D : column_of(end);
    std::fill(band_.begin() + static_cast<std::ptrdiff_t>(first) * ldab_,
              band_.begin() + static_cast<std::ptrdiff_t>(last) * ldab_, 0.0);
    if (begin == 0)
      for (int r = 0; r < n; ++r)
        for (int c = 0; c < m_ + n; ++c) band(r, c) = left_[r * (m_ + n) + c];
    for (int i = begin; i < end; ++i)
      for (int k = 0; k < n; ++k) {
        if (i > 0) {  // interval i − 1's row k: its y_{i} part
          const double* w = factored_ + (i - 1) * block + (n + k) * bw + 2 * n;
          for (int c = 0; c < n; ++c) band(n + (i - 1) * n + k, m_ + i * n + c) = w[c];
        }
        if (i < N_) {  // interval i's row k: its y_i part
          const double* w = factored_ + i * block + (n + k) * bw;
          for (int c = 0; c < n; ++c) band(n + i * n + k, m_ + i * n + c) = w[c];
        }
      }
    if (end == N_ + 1)
      for (int k = 0; k < m_ + p_; ++k)
        for (int c = 0; c < n + p_; ++c)
          band(n + N_ * n + k, m_ + N_ * n + c) = right_[k * (n + p_) + c];
  });
  // 3. Banded LU with partial pivoting (dgbtf2); the columns the right rows reach are kept as
  // they are before it gets there (factorize_right_rows starts from them).
  band_pivots_.assign(D, 0);
  const auto column = [this](int j) { return &band_[static_cast<std::size_t>(j) * ldab_]; };
  const int tail = right_rows_first_column();
  int ju = 0;
  if (!banded_lu_steps(0, tail, D, kl_, ku_, kv_, ju, column, band_pivots_.data())) return false;
  tail_before_.assign(band_.begin() + static_cast<std::ptrdiff_t>(tail) * ldab_, band_.end());
  tail_ju_ = ju;
  return banded_lu_steps(tail, D, D, kl_, ku_, kv_, ju, column, band_pivots_.data() + tail);
}

bool CollocationMatrix::factorize_right_rows(const double* right, RightRowsReplaced& out) const {
  const int D = reduced_size(), tail = right_rows_first_column(), rows = m_ + p_, width = n_ + p_;
  out.first_column = tail;
  out.columns = tail_before_;
  out.pivots.assign(D - tail, 0);
  const auto column = [&](int j) {
    return &out.columns[static_cast<std::size_t>(j - tail) * ldab_];
  };
  // The right rows are untouched before the tail (the LU reaches rows up to kl below a column).
  for (int a = 0; a < rows; ++a)
    for (int c = 0; c < width; ++c) {
      const int row = D - rows + a, col = D - width + c;
      column(col)[kv_ + row - col] = right[a * width + c];
    }
  int ju = tail_ju_;
  return banded_lu_steps(tail, D, D, kl_, ku_, kv_, ju, column, out.pivots.data());
}

namespace {

// What the solve reads of a factorised matrix: the interval blocks after the midpoint
// elimination with their row orders, and the banded LU of the reduced system, its columns
// [0, tail) in `columns` and [tail, D) in `tail_columns` (column j at (j − first) · ldab).
struct Factors {
  int n, m, p, N, D, kl, kv, ldab;
  const double* blocks;
  const int* block_rows;
  int tail;
  const double* columns;
  const int* pivots;
  const double* tail_columns;
  const int* tail_pivots;
  const double* state_row_scale;  // n factors for b's left and interval rows, or nullptr
};

// The sizes the model solves with (6 states, m = 3, p ≤ 3: kl = ku = 8) are compile-time
// constants in solve_with<6, 8, 16>; 0 means "as given at run time" (every other size).
template <int Fixed>
int fixed_or(int given) {
  return Fixed > 0 ? Fixed : given;
}

// Rows of interval block W (2n × 3n, after the midpoint elimination) applied to its right-hand
// side bb (2n) times row_scale (2n): its row order (the row swaps moved whole rows, multipliers
// included), then the multipliers. The top n entries go to `top`, the bottom n, the reduced
// equations' right-hand side, to `reduced`. v: room for 2n values.
template <int NS>
void eliminate_midpoints(const double* W, const int* rows, const double* bb,
                         const double* row_scale, double* top, double* reduced, double* v,
                         int n_given) {
  const int n = fixed_or<NS>(n_given), bw = 3 * n;
  for (int r = 0; r < 2 * n; ++r) v[r] = bb[rows[r]] * row_scale[rows[r]];
#pragma GCC unroll 8
  for (int k = 0; k < n; ++k)
    for (int r = k + 1; r < 2 * n; ++r) v[r] -= W[r * bw + n + k] * v[k];
  std::copy_n(v, n, top);
  std::copy_n(v + n, n, reduced);
}

// The midpoint unknowns M (n) of interval block W from the top rows' right-hand side bb (n) and
// the interval's end values ya, yb: back substitution in the upper triangle of the midpoint
// columns.
template <int NS>
void midpoint_values(const double* W, const double* bb, const double* ya, const double* yb,
                     double* M, int n_given) {
  const int n = fixed_or<NS>(n_given), bw = 3 * n;
#pragma GCC unroll 8
  for (int k = n - 1; k >= 0; --k) {
    const double* w = W + k * bw;
    double s = bb[k];
    for (int c = 0; c < n; ++c) s -= w[c] * ya[c] + w[2 * n + c] * yb[c];
    for (int c = k + 1; c < n; ++c) s -= w[n + c] * M[c];
    M[k] = s / w[n + k];
  }
}

// y[r] −= a[r] · s for r < length (fixed when Length > 0): y and a do not overlap.
template <int Length>
void subtract_multiple(double* __restrict y, const double* __restrict a, double s,
                       int length_given) {
  const int length = fixed_or<Length>(length_given);
  for (int r = 0; r < length; ++r) y[r] -= a[r] * s;
}

// x ← L⁻¹ P x for the band columns j = from ... to − 1 (column j at columns + (j − from)·ldab,
// its pivot row pivots[j − from]); D the order, kl the lower half-bandwidth. The entry each
// step pivots on is carried in a register from the step before (next), not reloaded from x:
// the chain from one column to the next then runs through no store.
template <int KL, int KV>
void band_forward(double* x, int from, int to, int D, int kl_given, int kv_given, int ldab,
                  const double* columns, const int* pivots) {
  const int kl = fixed_or<KL>(kl_given), kv = fixed_or<KV>(kv_given);
  if (from >= to || kl == 0) return;  // kl = 0: L = I, no row swaps
  double next = x[from];
  // Column j's pivoting and row j + 1; returns the rest of the column and x_j.
  const auto step = [&](int j) {
    const int pj = pivots[j - from];
    const double below = x[j + 1];  // (read before the swap may overwrite it)
    const double xj = pj == j ? next : x[pj];
    x[pj] = next;
    x[j] = xj;
    const double* lower = columns + static_cast<std::size_t>(j - from) * ldab + kv + 1;
    next = (pj == j + 1 ? next : below) - lower[0] * xj;
    x[j + 1] = next;
    return std::make_pair(lower + 1, xj);  // the rest of the column: rows j + 2 ...
  };
  const int full = std::max(from, std::min(to, D - kl));  // columns with kl rows below
  for (int j = from; j < full; ++j) {
    const auto [lower, xj] = step(j);
    subtract_multiple<(KL > 0 ? KL - 1 : 0)>(x + j + 2, lower, xj, kl - 1);
  }
  for (int j = full; j < std::min(to, D - 1); ++j) {
    const auto [lower, xj] = step(j);
    subtract_multiple<0>(x + j + 2, lower, xj, D - 2 - j);
  }
  if (to == D) x[D - 1] = next;  // the last column: no rows below, its pivot is itself
}

// x ← U⁻¹ x for the band columns j = to − 1 ... from (as band_forward); kv the upper
// half-bandwidth of U (ku + kl, the fill of the pivoting included). As in band_forward, the
// next column's entry is carried in a register.
template <int KV>
void band_backward(double* x, int from, int to, int kv_given, int ldab, const double* columns) {
  const int kv = fixed_or<KV>(kv_given);
  if (from >= to) return;
  double next = x[to - 1];
  // x_j and row j − 1 of column j; returns column j's storage and x_j.
  const auto step = [&](int j) {
    const double* column = columns + static_cast<std::size_t>(j - from) * ldab;
    const double xj = next / column[kv];
    x[j] = xj;
    next = x[j - 1] - column[kv - 1] * xj;
    x[j - 1] = next;
    return std::make_pair(column, xj);
  };
  const int full = std::max(from, std::min(to, kv));  // columns with kv rows above
  for (int j = to - 1; j >= full; --j) {              // then rows j − kv ... j − 2
    const auto [column, xj] = step(j);
    subtract_multiple<(KV > 0 ? KV - 1 : 0)>(x + j - kv, column, xj, kv - 1);
  }
  for (int j = full - 1; j >= std::max(from, 1); --j) {  // then rows 0 ... j − 2
    const auto [column, xj] = step(j);
    subtract_multiple<0>(x, column + kv - j, xj, j - 1);
  }
  if (from == 0) x[0] = next / columns[kv];
}

template <int NS, int KL, int KV>
void solve_with(const Factors& f, double* b, WorkerTeam* team) {
  const int n = fixed_or<NS>(f.n), m = f.m, D = f.D, N = f.N;
  const std::size_t block = static_cast<std::size_t>(6) * n * n;
  // Local (one factorisation may serve several threads): the rows' scale factors (2n), the
  // reduced system's right-hand side and solution x (D). The top n rows of interval i after the
  // elimination: at tops + i·stride, in place in b (its own top rows) when m ≤ n, else in `work`
  // after x (N n). With m ≤ n, the unknowns of interval i (y_i, its midpoints) lie in b before
  // the rows of interval i + 1, so the intervals can be written in any order; with m > n they
  // would overwrite the next rows.
  const bool in_place = m <= n;
  const std::unique_ptr<double[]> work(new double[2 * n + D + (in_place ? 0 : std::size_t(N) * n)]);
  // The factor of each of an interval's 2n rows (midpoint rows, then end rows): 1 when unscaled
  // (x · 1 = x, the same bits).
  double* row_scale = work.get();
  for (int r = 0; r < 2 * n; ++r) row_scale[r] = f.state_row_scale ? f.state_row_scale[r % n] : 1.0;
  double* x = row_scale + 2 * n;
  double* tops = in_place ? b + n : x + D;
  const int stride = in_place ? 2 * n : n;
  // 1. Each interval's rows: its pivots and multipliers (top n rows then define the midpoints,
  // the bottom n rows are the reduced equations). Interval i reads and writes its own rows only.
  for (int r = 0; r < n; ++r) x[r] = b[r] * row_scale[r];
  run_on(team, N, [&](int begin, int end) {
    double local[NS > 0 ? 2 * NS : 1];  // a compile-time n: its own array, apart from b and W
    std::vector<double> room(NS > 0 ? 0 : 2 * n);
    double* v = NS > 0 ? local : room.data();
    for (int i = begin; i < end; ++i)
      eliminate_midpoints<NS>(f.blocks + i * block, f.block_rows + 2 * i * n, b + n + 2 * i * n,
                              row_scale, tops + i * stride, x + n + i * n, v, n);
  });
  std::copy_n(b + n + 2 * N * n, m + f.p, x + n + N * n);
  // 2. The reduced system: L then U, the columns from `tail` on from their own storage.
  band_forward<KL, KV>(x, 0, f.tail, D, f.kl, f.kv, f.ldab, f.columns, f.pivots);
  band_forward<KL, KV>(x, f.tail, D, D, f.kl, f.kv, f.ldab, f.tail_columns, f.tail_pivots);
  band_backward<KV>(x, f.tail, D, f.kv, f.ldab, f.tail_columns);
  band_backward<KV>(x, 0, f.tail, f.kv, f.ldab, f.columns);
  // 3. Each interval's y_i and midpoints (back substitution from its top rows) in the order of
  // the unknowns, over its own top rows (see above); then z, y_N and the parameters.
  run_on(team, N, [&](int begin, int end) {
    double local[NS > 0 ? NS : 1];
    std::vector<double> room(NS > 0 ? 0 : n);
    double* M = NS > 0 ? local : room.data();
    for (int i = begin; i < end; ++i) {
      const double* ya = x + m + i * n;
      midpoint_values<NS>(f.blocks + i * block, tops + i * stride, ya, ya + n, M, n);
      std::copy_n(ya, n, b + m + 2 * i * n);
      std::copy_n(M, n, b + m + (2 * i + 1) * n);
    }
  });
  std::copy_n(x, m, b);
  std::copy_n(x + m + N * n, n, b + m + 2 * N * n);
  std::copy_n(x + m + (N + 1) * n, f.p, b + m + (2 * N + 1) * n);
}

}  // namespace

void CollocationMatrix::solve(double* b, WorkerTeam* team, const double* state_row_scale) const {
  solve_reduced(b, reduced_size(), nullptr, nullptr, state_row_scale, team);
}

void CollocationMatrix::solve(double* b, const RightRowsReplaced& replaced, WorkerTeam* team,
                              const double* state_row_scale) const {
  solve_reduced(b, replaced.first_column, replaced.columns.data(), replaced.pivots.data(),
                state_row_scale, team);
}

void CollocationMatrix::solve_reduced(double* b, int tail, const double* tail_columns,
                                      const int* tail_pivots, const double* state_row_scale,
                                      WorkerTeam* team) const {
  const Factors f{n_,
                  m_,
                  p_,
                  N_,
                  reduced_size(),
                  kl_,
                  kv_,
                  ldab_,
                  factored_,
                  block_rows_.data(),
                  tail,
                  band_.data(),
                  band_pivots_.data(),
                  tail_columns,
                  tail_pivots,
                  state_row_scale};
  if (n_ == 6 && kl_ == 8 && kv_ == 16)
    solve_with<6, 8, 16>(f, b, team);
  else
    solve_with<0, 0, 0>(f, b, team);
}

}  // namespace footloose::solvers
