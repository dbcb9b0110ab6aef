// The Newton matrix of the collocation system (solvers/collocation.hpp) in its block form, and
// its direct solve without a general sparse LU. Generic numerics only.
//
// Unknowns u = [z (m) | y_0 | y_½ | y_1 | ... | y_N | params (p)], rows [left (n) | per
// interval i: midpoint row, end row (2n) | right (m + p)]. Nonzero blocks:
//   left rows:       columns z, y_0                    (n × (m + n))
//   interval i rows: columns y_i, y_{i½}, y_{i+1}      (2n × 3n)
//   right rows:      columns y_N, params               ((m + p) × (n + p))
// factorize(): y_{i½} appears only in the rows of interval i, so it is eliminated there (LU with
// row pivoting on the 2n × n midpoint column block); what is left is n equations per interval in
// y_i, y_{i+1} only, a banded system in [z | y_0 | ... | y_N | params] (half-bandwidths about
// 2n), factorised by banded LU with partial pivoting (LAPACK's dgbtf2 algorithm). The cost is
// linear in N, with no pattern analysis and no fill beyond the band.
// team: the per-interval work of factorize() and solve() (the midpoint elimination, the
// assembly of the reduced system, the back-substitution of the midpoints) runs through it;
// nullptr = on the calling thread. The banded LU and its solves stay sequential. The results are
// the same bits with or without a team, on any number of threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace footloose::solvers {

class WorkerTeam;

class CollocationMatrix {
 public:
  CollocationMatrix() = default;
  CollocationMatrix(int state_size, int left_free_size, int parameter_size, int intervals);
  // Movable, not copyable (the factorisation points into the storage).
  CollocationMatrix(const CollocationMatrix&) = delete;
  CollocationMatrix& operator=(const CollocationMatrix&) = delete;
  CollocationMatrix(CollocationMatrix&&) = default;
  CollocationMatrix& operator=(CollocationMatrix&&) = default;
  // New sizes; the storage is kept (no allocation when the matrix does not grow). Entries are
  // then undefined until filled.
  void reshape(int state_size, int left_free_size, int parameter_size, int intervals);

  int size() const { return m_ + (2 * N_ + 1) * n_ + p_; }
  int intervals() const { return N_; }

  // Row-major blocks to be filled (all entries, zeros included).
  double* left_block() { return left_.data(); }  // n × (m + n)
  double* interval_block(int i) {
    products_ = true;
    return &blocks_[static_cast<std::size_t>(i) * 6 * n_ * n_];
  }
  double* right_block() { return right_.data(); }              // (m + p) × (n + p)
  const double* right_block() const { return right_.data(); }  // as filled (also after factorize)
  int state_size() const { return n_; }
  int left_free_size() const { return m_; }
  int parameter_size() const { return p_; }

  // out = A·v (the matrix as filled, also after factorize(true)); throws std::logic_error after
  // factorize(false) until the blocks are filled again.
  void multiply(const double* v, double* out) const;
  // Factorises the matrix as filled; false when it is singular (an exact zero pivot).
  // keep_products = false factorises the blocks in place (no copy) and multiply() is unavailable.
  bool factorize(bool keep_products = true, WorkerTeam* team = nullptr);
  // Solves A x = b in place (after a successful factorize()). No state changes: threads may
  // share one factorised matrix (each passing its own team, or the same one).
  // state_row_scale: n factors, or nullptr; given, b's left and interval rows are taken times
  // them first (row a of the left rows and of each interval's midpoint and end rows times
  // state_row_scale[a]; the same bits as scaling b before the solve), in the solve's
  // per-interval pass.
  void solve(double* b, WorkerTeam* team = nullptr, const double* state_row_scale = nullptr) const;

  // The factorisation of this matrix with its m + p right rows replaced: only the trailing
  // columns of the banded LU that those rows reach (m + p + kl of them) are redone, from the
  // state the LU kept before them; the rest is shared with this factorisation.
  struct RightRowsReplaced {
    int first_column = 0;         // of the reduced system: the columns redone
    std::vector<double> columns;  // their band storage (LAPACK layout, as band_)
    std::vector<int> pivots;
  };
  // right: the new right rows, row-major (m + p) × (n + p) as right_block(). After a successful
  // factorize(); false when the matrix with these rows is singular.
  bool factorize_right_rows(const double* right, RightRowsReplaced& out) const;
  // Solves A' x = b in place, A' this matrix with the right rows of `replaced` (state_row_scale
  // as above).
  void solve(double* b, const RightRowsReplaced& replaced, WorkerTeam* team = nullptr,
             const double* state_row_scale = nullptr) const;

 private:
  double& band(int row, int col) {
    return band_[static_cast<std::size_t>(col) * ldab_ + kv_ + row - col];
  }
  const double& band(int row, int col) const {
    return band_[static_cast<std::size_t>(col) * ldab_ + kv_ + row - col];
  }
  int reduced_size() const { return m_ + (N_ + 1) * n_ + p_; }
  // First column of the banded LU that the right rows reach (its pivot search or updates).
  int right_rows_first_column() const { return std::max(0, reduced_size() - (m_ + p_) - kl_); }
  // Solves with the banded LU's columns from `tail` on (and their pivots) taken from
  // tail_columns (band layout, from column `tail`) and tail_pivots.
  void solve_reduced(double* b, int tail, const double* tail_columns, const int* tail_pivots,
                     const double* state_row_scale, WorkerTeam* team) const;

  int n_ = 0, m_ = 0, p_ = 0, N_ = 0;
  std::vector<double> left_, blocks_, right_;  // the matrix as filled
  bool products_ = true;                       // blocks_ holds the matrix (not overwritten)
  // Factorisation: interval blocks after the midpoint elimination (multipliers in the midpoint
  // columns below the diagonal) with their row order (2n per interval: row r of the factorised
  // block is row block_rows_[r] of the block as filled); the banded reduced system (LAPACK band
  // layout, kl + ku extra rows for the fill) with its pivots.
  std::vector<double> condensed_;  // copy of blocks_ factorised when products are kept
  double* factored_ = nullptr;     // the factorised interval blocks (condensed_ or blocks_)
  std::vector<int> block_rows_;
  int kl_ = 0, ku_ = 0, kv_ = 0, ldab_ = 0;
  std::vector<double> band_;
  std::vector<int> band_pivots_;
  // The band columns from right_rows_first_column() on as they were before the LU reached them,
  // and the LU's fill bound then (for factorize_right_rows).
  std::vector<double> tail_before_;
  int tail_ju_ = 0;
};

}  // namespace footloose::solvers
