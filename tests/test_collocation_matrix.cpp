// The block LU of the collocation Newton matrix (solvers/collocation_matrix.hpp) against an
// independent dense LU (Eigen's PartialPivLU) of the same matrix, assembled entry by entry from
// the documented block layout: products, solutions, singular matrices, and the storage reuse;
// and with a WorkerTeam against the same matrix factorised and solved on the calling thread.
#include <Eigen/Dense>
#include <array>
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <thread>

#include "solvers/collocation_matrix.hpp"
#include "solvers/worker_team.hpp"

using footloose::solvers::CollocationMatrix;
using footloose::solvers::WorkerTeam;

namespace {

// Fills A with random blocks (entries in [-1, 1], diagonal of the midpoint block shifted by
// `shift`) and returns the same matrix assembled densely from the block layout.
Eigen::MatrixXd fill_random(CollocationMatrix& A, int n, int m, int p, int N, std::mt19937& rng,
                            double shift = 0.0) {
  std::uniform_real_distribution<double> entry(-1.0, 1.0);
  const int size = m + (2 * N + 1) * n + p;
  Eigen::MatrixXd dense = Eigen::MatrixXd::Zero(size, size);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < m + n; ++c) dense(r, c) = A.left_block()[r * (m + n) + c] = entry(rng);
  for (int i = 0; i < N; ++i)
    for (int r = 0; r < 2 * n; ++r)
      for (int c = 0; c < 3 * n; ++c) {
        double v = entry(rng);
        if (c == n + r % n) v += shift;
        dense(n + 2 * i * n + r, m + 2 * i * n + c) = A.interval_block(i)[r * 3 * n + c] = v;
      }
  for (int r = 0; r < m + p; ++r)
    for (int c = 0; c < n + p; ++c)
      dense(n + 2 * N * n + r, m + 2 * N * n + c) = A.right_block()[r * (n + p) + c] = entry(rng);
  return dense;
}

bool same_bits(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

// Shapes {n, m, p, N} that reach every kernel of solve(): the compiled-in sizes of the model's
// blocks (n = 6, m = 3, p ≤ 1) and the general kernel (n = 6 with m = 1, other n, m = 0, the lower
// half-bandwidth 0 of n = 1, m = 1, as many left unknowns as states), N = 1 and N = 2 included.
constexpr std::array<std::array<int, 4>, 14> kKernelShapes{{{6, 3, 1, 60},
                                                            {6, 3, 1, 40},
                                                            {6, 3, 0, 17},
                                                            {6, 3, 1, 2},
                                                            {6, 3, 1, 1},
                                                            {6, 1, 1, 9},
                                                            {5, 3, 1, 13},
                                                            {2, 1, 0, 7},
                                                            {3, 0, 2, 5},
                                                            {1, 1, 0, 3},
                                                            {1, 1, 0, 6},
                                                            {2, 0, 0, 4},
                                                            {3, 3, 2, 3},
                                                            {4, 4, 1, 9}}};

}  // namespace

TEST_CASE("collocation block LU agrees with a dense LU of the same matrix", "[collocation]") {
  std::mt19937 rng(20261201);
  // (n, m, p, N): the path problem's sizes, no parameters, no left unknowns, scalar states.
  const std::array<std::array<int, 4>, 6> shapes{
      {{6, 3, 1, 40}, {6, 3, 1, 1}, {2, 1, 0, 7}, {3, 0, 2, 5}, {1, 1, 0, 3}, {4, 4, 1, 9}}};
  for (const auto& shape : shapes) {
    const int n = shape[0], m = shape[1], p = shape[2], N = shape[3];
    CAPTURE(n, m, p, N);
    CollocationMatrix A(n, m, p, N);
    REQUIRE(A.size() == m + (2 * N + 1) * n + p);
    const Eigen::MatrixXd dense = fill_random(A, n, m, p, N, rng);
    const Eigen::VectorXd b = Eigen::VectorXd::Random(A.size());

    Eigen::VectorXd product(A.size());
    A.multiply(b.data(), product.data());
    CHECK((product - dense * b).cwiseAbs().maxCoeff() <= 1e-13 * (1.0 + b.norm()));

    REQUIRE(A.factorize());
    Eigen::VectorXd x = b;
    A.solve(x.data());
    const Eigen::PartialPivLU<Eigen::MatrixXd> lu(dense);
    const Eigen::VectorXd reference = lu.solve(b);
    // Both are backward stable: compare relative to the conditioning of the random matrix.
    const double condition = dense.norm() * lu.inverse().norm();
    CHECK((x - reference).norm() <= 1e-13 * condition * reference.norm());
    CHECK((dense * x - b).norm() <= 1e-12 * condition * b.norm());
    // The product is still that of the matrix as filled after the factorisation.
    A.multiply(b.data(), product.data());
    CHECK((product - dense * b).cwiseAbs().maxCoeff() <= 1e-13 * (1.0 + b.norm()));
  }
}

TEST_CASE("collocation block LU reports a singular matrix", "[collocation]") {
  std::mt19937 rng(7);
  const int n = 3, m = 1, p = 1, N = 4;
  SECTION("a midpoint column block of rank < n") {
    CollocationMatrix A(n, m, p, N);
    fill_random(A, n, m, p, N, rng);
    double* block = A.interval_block(2);
    for (int r = 0; r < 2 * n; ++r) block[r * 3 * n + n + 1] = 0.0;  // y_{2½} component 1 unused
    CHECK_FALSE(A.factorize());
  }
  SECTION("two equal rows of the reduced system") {
    CollocationMatrix A(n, m, p, 1);
    fill_random(A, n, m, p, 1, rng);
    // The right rows both equal: a rank-deficient matrix whatever the other blocks are.
    for (int c = 0; c < n + p; ++c) A.right_block()[(n + p) + c] = A.right_block()[c];
    CHECK_FALSE(A.factorize());
  }
}

TEST_CASE("collocation block LU after reshape to other sizes", "[collocation]") {
  std::mt19937 rng(11);
  CollocationMatrix A(6, 3, 1, 30);
  fill_random(A, 6, 3, 1, 30, rng);
  REQUIRE(A.factorize());
  for (const int N : {5, 60, 12}) {
    CAPTURE(N);
    A.reshape(6, 3, 1, N);
    const Eigen::MatrixXd dense = fill_random(A, 6, 3, 1, N, rng, 4.0);
    REQUIRE(A.factorize());
    const Eigen::VectorXd b = Eigen::VectorXd::Random(A.size());
    Eigen::VectorXd x = b;
    A.solve(x.data());
    const Eigen::VectorXd reference = dense.partialPivLu().solve(b);
    CHECK((x - reference).norm() <= 1e-10 * reference.norm());
  }
}

TEST_CASE("collocation block LU with its right rows replaced agrees with a dense LU",
          "[collocation]") {
  std::mt19937 rng(20261202);
  const std::array<std::array<int, 4>, 5> shapes{
      {{6, 3, 1, 40}, {6, 3, 1, 1}, {2, 1, 0, 7}, {3, 0, 2, 5}, {4, 4, 1, 9}}};
  std::uniform_real_distribution<double> entry(-1.0, 1.0);
  for (const auto& shape : shapes) {
    const int n = shape[0], m = shape[1], p = shape[2], N = shape[3];
    CAPTURE(n, m, p, N);
    CollocationMatrix A(n, m, p, N);
    Eigen::MatrixXd dense = fill_random(A, n, m, p, N, rng);
    REQUIRE(A.factorize(false));
    // New right rows: the dense matrix with them, solved by Eigen.
    std::vector<double> right(static_cast<size_t>(m + p) * (n + p));
    for (int r = 0; r < m + p; ++r)
      for (int c = 0; c < n + p; ++c)
        dense(n + 2 * N * n + r, m + 2 * N * n + c) = right[r * (n + p) + c] = entry(rng);
    CollocationMatrix::RightRowsReplaced replaced;
    REQUIRE(A.factorize_right_rows(right.data(), replaced));
    const Eigen::VectorXd b = Eigen::VectorXd::Random(A.size());
    Eigen::VectorXd x = b;
    A.solve(x.data(), replaced);
    const Eigen::PartialPivLU<Eigen::MatrixXd> lu(dense);
    const Eigen::VectorXd reference = lu.solve(b);
    const double condition = dense.norm() * lu.inverse().norm();
    CHECK((x - reference).norm() <= 1e-13 * condition * reference.norm());
    CHECK((dense * x - b).norm() <= 1e-12 * condition * b.norm());
    // The factorisation itself is unchanged: it still solves with its own right rows.
    Eigen::VectorXd y = b;
    A.solve(y.data());
    for (int r = 0; r < m + p; ++r)  // the original rows are those of fill_random, not `right`
      for (int c = 0; c < n + p; ++c)
        dense(n + 2 * N * n + r, m + 2 * N * n + c) = A.right_block()[r * (n + p) + c];
    const Eigen::PartialPivLU<Eigen::MatrixXd> own(dense);
    CHECK((dense * y - b).norm() <= 1e-12 * dense.norm() * own.inverse().norm() * b.norm());
  }
}

TEST_CASE("collocation block LU solves: the fixed-size and the general kernels against a dense LU",
          "[collocation]") {
  // solve() runs compiled-in sizes for the model's blocks (n = 6 with half-bandwidths 8: m = 3,
  // p ≤ 3) and a general kernel for every other size (here n = 6 with m = 1 too, the lower
  // half-bandwidth 0 of n = 1, m = 1, as many left unknowns as states). Each against
  // Eigen's PartialPivLU of the same matrix assembled densely: normwise backward error, and the
  // solution within the conditioning; right-hand sides dense and with exact zeros; the solve
  // with the right rows replaced as well.
  std::mt19937 rng(20261203);
  std::uniform_real_distribution<double> entry(-1.0, 1.0);
  for (const auto& shape : kKernelShapes) {
    const int n = shape[0], m = shape[1], p = shape[2], N = shape[3];
    CAPTURE(n, m, p, N);
    CollocationMatrix A(n, m, p, N);
    Eigen::MatrixXd dense = fill_random(A, n, m, p, N, rng);
    REQUIRE(A.factorize());
    std::vector<double> right(static_cast<size_t>(m + p) * (n + p));
    for (double& r : right) r = entry(rng);
    CollocationMatrix::RightRowsReplaced replaced;
    REQUIRE(A.factorize_right_rows(right.data(), replaced));
    Eigen::MatrixXd dense_replaced = dense;
    for (int r = 0; r < m + p; ++r)
      for (int c = 0; c < n + p; ++c)
        dense_replaced(n + 2 * N * n + r, m + 2 * N * n + c) = right[r * (n + p) + c];

    Eigen::VectorXd sparse_b = Eigen::VectorXd::Random(A.size());
    for (int k = 0; k < A.size(); k += 2) sparse_b[k] = 0.0;
    for (const Eigen::VectorXd& b : {Eigen::VectorXd(Eigen::VectorXd::Random(A.size())), sparse_b})
      for (const bool with_replaced : {false, true}) {
        CAPTURE(with_replaced);
        const Eigen::MatrixXd& M = with_replaced ? dense_replaced : dense;
        Eigen::VectorXd x = b;
        if (with_replaced)
          A.solve(x.data(), replaced);
        else
          A.solve(x.data());
        const double backward_error =
            (M * x - b).lpNorm<Eigen::Infinity>() /
            (M.cwiseAbs().rowwise().sum().maxCoeff() * x.lpNorm<Eigen::Infinity>() +
             b.lpNorm<Eigen::Infinity>());
        CHECK(backward_error <= 1e-12);
        const Eigen::PartialPivLU<Eigen::MatrixXd> lu(M);
        const Eigen::VectorXd reference = lu.solve(b);
        const double condition = M.norm() * lu.inverse().norm();
        CHECK((x - reference).norm() <= 1e-13 * condition * reference.norm());
      }
  }
}

TEST_CASE("collocation block LU with a WorkerTeam: the same bits as on the calling thread",
          "[collocation][threads]") {
  // Every shape of the tests above (the fixed-size and the general kernels, N = 1 with fewer
  // intervals than threads): factorize (products kept or not), factorize_right_rows and both
  // solves with teams of 2 and 3 threads, against the same matrix done without a team.
  std::mt19937 rng(20261204);
  std::uniform_real_distribution<double> entry(-1.0, 1.0);
  WorkerTeam two(2), three(3);
  for (const auto& shape : kKernelShapes) {
    const int n = shape[0], m = shape[1], p = shape[2], N = shape[3];
    CAPTURE(n, m, p, N);
    const std::mt19937 state = rng;
    CollocationMatrix serial(n, m, p, N);
    fill_random(serial, n, m, p, N, rng);
    REQUIRE(serial.factorize());
    std::vector<double> right(static_cast<size_t>(m + p) * (n + p));
    for (double& r : right) r = entry(rng);
    CollocationMatrix::RightRowsReplaced serial_replaced;
    REQUIRE(serial.factorize_right_rows(right.data(), serial_replaced));
    Eigen::VectorXd sparse_b = Eigen::VectorXd::Random(serial.size());
    for (int k = 0; k < serial.size(); k += 3) sparse_b[k] = 0.0;
    const std::vector<Eigen::VectorXd> rhs{Eigen::VectorXd::Random(serial.size()), sparse_b};
    for (WorkerTeam* team : {&two, &three})
      for (const bool keep_products : {true, false}) {
        CAPTURE(team->threads(), keep_products);
        std::mt19937 same_entries = state;
        CollocationMatrix A(n, m, p, N);
        fill_random(A, n, m, p, N, same_entries);
        REQUIRE(A.factorize(keep_products, team));
        CollocationMatrix::RightRowsReplaced replaced;
        REQUIRE(A.factorize_right_rows(right.data(), replaced));
        CHECK(replaced.columns == serial_replaced.columns);
        CHECK(replaced.pivots == serial_replaced.pivots);
        for (const Eigen::VectorXd& b : rhs) {
          Eigen::VectorXd expected = b, with_team = b, without = b;
          serial.solve(expected.data());
          A.solve(with_team.data(), team);
          A.solve(without.data());
          CHECK(same_bits(with_team, expected));
          CHECK(same_bits(without, expected));
          expected = with_team = b;
          serial.solve(expected.data(), serial_replaced);
          A.solve(with_team.data(), replaced, team);
          CHECK(same_bits(with_team, expected));
        }
      }
  }
}

TEST_CASE("collocation block LU with a WorkerTeam: singular matrices, shared factorisations",
          "[collocation][threads]") {
  std::mt19937 rng(7);
  WorkerTeam team(2);
  SECTION("a midpoint column block of rank < n, in either piece of the intervals") {
    for (const int bad : {0, 2, 5}) {
      CAPTURE(bad);
      CollocationMatrix A(3, 1, 1, 6);
      fill_random(A, 3, 1, 1, 6, rng);
      double* block = A.interval_block(bad);
      for (int r = 0; r < 6; ++r) block[r * 9 + 3 + 1] = 0.0;
      CHECK_FALSE(A.factorize(true, &team));
    }
  }
  SECTION("two threads solving with one factorisation and one team at once") {
    // solve() is const: concurrent callers share the factorisation; a caller that finds the team
    // busy runs its loops alone. Every answer has the bits of a solve on its own.
    CollocationMatrix A(6, 3, 1, 50);
    fill_random(A, 6, 3, 1, 50, rng);
    REQUIRE(A.factorize(true, &team));
    const Eigen::VectorXd b1 = Eigen::VectorXd::Random(A.size()),
                          b2 = Eigen::VectorXd::Random(A.size());
    Eigen::VectorXd x1 = b1, x2 = b2;
    A.solve(x1.data());
    A.solve(x2.data());
    bool other_same = true, own_same = true;
    std::thread other([&] {
      for (int k = 0; k < 200; ++k) {
        Eigen::VectorXd x = b2;
        A.solve(x.data(), &team);
        other_same = other_same && same_bits(x, x2);
      }
    });
    for (int k = 0; k < 200; ++k) {
      Eigen::VectorXd x = b1;
      A.solve(x.data(), &team);
      own_same = own_same && same_bits(x, x1);
    }
    other.join();
    CHECK(own_same);
    CHECK(other_same);
  }
}
