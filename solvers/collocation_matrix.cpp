#include "solvers/collocation_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

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

}  // namespace

bool CollocationMatrix::factorize(bool keep_products) {
  const int n = n_, bw = 3 * n_, D = reduced_size();
  // 1. Midpoint elimination in each interval block.
  if (keep_products) {
    condensed_ = blocks_;
    factored_ = condensed_.data();
  } else {
    factored_ = blocks_.data();
    products_ = false;
  }
  block_pivots_.assign(static_cast<std::size_t>(N_) * n, 0);
  for (int i = 0; i < N_; ++i) {
    double* W = factored_ + static_cast<std::size_t>(i) * 6 * n * n;
    int* piv = &block_pivots_[static_cast<std::size_t>(i) * n];
    for (int k = 0; k < n; ++k) {
      const int col = n + k;
      int best = k;
      for (int r = k + 1; r < 2 * n; ++r)
        if (std::fabs(W[r * bw + col]) > std::fabs(W[best * bw + col])) best = r;
      piv[k] = best;
      if (W[best * bw + col] == 0.0) return false;
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
  }
  // 2. The reduced banded system.
  band_.assign(static_cast<std::size_t>(ldab_) * D, 0.0);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < m_ + n; ++c) band(r, c) = left_[r * (m_ + n) + c];
  for (int i = 0; i < N_; ++i) {
    const double* W = factored_ + static_cast<std::size_t>(i) * 6 * n * n;
    for (int k = 0; k < n; ++k) {
      const int row = n + i * n + k;
      const double* w = W + (n + k) * bw;
      for (int c = 0; c < n; ++c) {
        band(row, m_ + i * n + c) = w[c];
        band(row, m_ + (i + 1) * n + c) = w[2 * n + c];
      }
    }
  }
  for (int k = 0; k < m_ + p_; ++k)
    for (int c = 0; c < n + p_; ++c)
      band(n + N_ * n + k, m_ + N_ * n + c) = right_[k * (n + p_) + c];
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

void CollocationMatrix::solve(double* b) const {
  solve_reduced(
      b, [this](int j) { return &band_[static_cast<std::size_t>(j) * ldab_]; },
      [this](int j) { return band_pivots_[j]; });
}

void CollocationMatrix::solve(double* b, const RightRowsReplaced& replaced) const {
  const int tail = replaced.first_column;
  solve_reduced(
      b,
      [&](int j) {
        return j < tail ? &band_[static_cast<std::size_t>(j) * ldab_]
                        : &replaced.columns[static_cast<std::size_t>(j - tail) * ldab_];
      },
      [&](int j) { return j < tail ? band_pivots_[j] : replaced.pivots[j - tail]; });
}

template <class Column, class Pivot>
void CollocationMatrix::solve_reduced(double* b, const Column& column, const Pivot& pivot) const {
  const auto band = [&](int row, int col) { return column(col)[kv_ + row - col]; };
  const int n = n_, bw = 3 * n_, D = reduced_size();
  // 1. Each interval's rows: its pivots and multipliers (top n rows then define the midpoints,
  // the bottom n rows are the reduced equations).
  for (int i = 0; i < N_; ++i) {
    const double* W = factored_ + static_cast<std::size_t>(i) * 6 * n * n;
    const int* piv = &block_pivots_[static_cast<std::size_t>(i) * n];
    double* bb = b + n + 2 * i * n;
    // The row swaps moved whole rows (earlier multipliers included): all of them first.
    for (int k = 0; k < n; ++k)
      if (piv[k] != k) std::swap(bb[k], bb[piv[k]]);
    for (int k = 0; k < n; ++k)
      for (int r = k + 1; r < 2 * n; ++r) bb[r] -= W[r * bw + n + k] * bb[k];
  }
  // 2. The reduced system.
  std::vector<double> reduced_rhs(D);  // local: one factorisation may serve several threads
  double* x = reduced_rhs.data();
  std::copy_n(b, n, x);
  for (int i = 0; i < N_; ++i) std::copy_n(b + n + 2 * i * n + n, n, x + n + i * n);
  std::copy_n(b + n + 2 * N_ * n, m_ + p_, x + n + N_ * n);
  for (int j = 0; j < D; ++j) {
    const int km = std::min(kl_, D - 1 - j);
    const int pj = pivot(j);
    if (pj != j) std::swap(x[j], x[pj]);
    const double xj = x[j];
    if (xj == 0.0) continue;
    const double* lower = column(j) + kv_ + 1;
    for (int r = 0; r < km; ++r) x[j + 1 + r] -= lower[r] * xj;
  }
  for (int j = D - 1; j >= 0; --j) {
    x[j] /= band(j, j);
    const double xj = x[j];
    if (xj == 0.0) continue;
    const int top = std::max(0, j - kv_);
    const double* upper = column(j);  // rows j − kv ... j − 1 from upper[kv + r − j]
    for (int r = top; r < j; ++r) x[r] -= upper[kv_ + r - j] * xj;
  }
  // 3. Midpoints by back substitution, from the top rows of each interval (still in b), then
  // everything in the order of the unknowns. Interval i's rows in b lie after its unknowns'
  // slots of intervals < i, so writing interval by interval from the last one keeps them intact.
  std::vector<double> midpoint_work(n);
  for (int i = N_ - 1; i >= 0; --i) {
    const double* W = factored_ + static_cast<std::size_t>(i) * 6 * n * n;
    const double* bb = b + n + 2 * i * n;
    const double* ya = x + m_ + i * n;
    const double* yb = ya + n;
    double* M = midpoint_work.data();
    for (int k = n - 1; k >= 0; --k) {
      const double* w = W + k * bw;
      double s = bb[k];
      for (int c = 0; c < n; ++c) s -= w[c] * ya[c] + w[2 * n + c] * yb[c];
      for (int c = k + 1; c < n; ++c) s -= w[n + c] * M[c];
      M[k] = s / w[n + k];
    }
    std::copy_n(M, n, b + m_ + (2 * i + 1) * n);
  }
  std::copy_n(x, m_, b);
  for (int i = 0; i <= N_; ++i) std::copy_n(x + m_ + i * n, n, b + m_ + 2 * i * n);
  std::copy_n(x + m_ + (N_ + 1) * n, p_, b + m_ + (2 * N_ + 1) * n);
}

}  // namespace footloose::solvers
