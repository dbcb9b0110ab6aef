#include "solvers/linearization.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <boost/multiprecision/eigen.hpp>
#include <boost/multiprecision/float128.hpp>
#include <cmath>
#include <complex>
#include <numeric>

namespace footloose::solvers {

Eigen::MatrixXd jacobian_central(const VectorField& f, const std::vector<double>& y,
                                 const std::vector<double>& typical, double rel_step) {
  const int n = static_cast<int>(y.size());
  Eigen::MatrixXd J(n, n);
  std::vector<double> x = y, fp(n), fm(n);
  for (int j = 0; j < n; ++j) {
    const double h = rel_step * std::max(std::fabs(y[j]), typical[j]);
    x[j] = y[j] + h;
    f(x.data(), fp.data());
    x[j] = y[j] - h;
    f(x.data(), fm.data());
    x[j] = y[j];
    for (int i = 0; i < n; ++i) J(i, j) = (fp[i] - fm[i]) / (2.0 * h);
  }
  return J;
}

namespace {
Eigen::VectorXd normalised(Eigen::VectorXd v) {
  v /= v.norm();
  Eigen::Index k;
  v.cwiseAbs().maxCoeff(&k);
  if (v(k) < 0) v = -v;
  return v;
}
}  // namespace

namespace {

// Eigen-decomposition in the working precision Scalar, returned in double: eigenvalues, right
// eigenvectors V, left eigenvectors W = V⁻¹, and the spectral projectors of the given index sets.
struct EigenParts {
  Eigen::VectorXcd lambda;
  Eigen::MatrixXcd V, W;
};

template <class Scalar>
EigenParts eigen_parts(const Eigen::MatrixXd& jacobian) {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using ComplexMatrix = Eigen::Matrix<std::complex<Scalar>, Eigen::Dynamic, Eigen::Dynamic>;
  const Matrix J = jacobian.cast<Scalar>();
  Eigen::EigenSolver<Matrix> es(J);
  const ComplexMatrix V = es.eigenvectors();
  const ComplexMatrix W = V.inverse();
  const int n = static_cast<int>(jacobian.rows());
  EigenParts parts;
  parts.lambda.resize(n);
  parts.V.resize(n, n);
  parts.W.resize(n, n);
  for (int i = 0; i < n; ++i) {
    const auto l = es.eigenvalues()(i);
    parts.lambda(i) = {static_cast<double>(l.real()), static_cast<double>(l.imag())};
    for (int j = 0; j < n; ++j) {
      parts.V(i, j) = {static_cast<double>(V(i, j).real()), static_cast<double>(V(i, j).imag())};
      parts.W(i, j) = {static_cast<double>(W(i, j).real()), static_cast<double>(W(i, j).imag())};
    }
  }
  return parts;
}

// Balancing (Parlett–Reinsch, powers of 2): B = D⁻¹ J D with rows and columns of comparable
// norms. A linearisation with one huge entry (a fast pair ±|λ| far below that entry) keeps its
// small eigenvalues only after this: the backward error of the decomposition is eps·‖B‖.
Eigen::MatrixXd balance(Eigen::MatrixXd B, Eigen::VectorXd& d) {
  const int n = static_cast<int>(B.rows());
  d = Eigen::VectorXd::Ones(n);
  for (int sweep = 0; sweep < 100; ++sweep) {
    bool changed = false;
    for (int i = 0; i < n; ++i) {
      double c = 0.0, r = 0.0;
      for (int j = 0; j < n; ++j) {
        if (j == i) continue;
        c += std::fabs(B(j, i));
        r += std::fabs(B(i, j));
      }
      if (c == 0.0 || r == 0.0) continue;
      double f = 1.0;
      const double s = c + r;
      while (c < r / 2.0) {
        c *= 2.0;
        r /= 2.0;
        f *= 2.0;
      }
      while (c >= r * 2.0) {
        c /= 2.0;
        r *= 2.0;
        f /= 2.0;
      }
      if (c + r < 0.95 * s) {
        changed = true;
        d(i) *= f;
        B.col(i) *= f;
        B.row(i) /= f;
      }
    }
    if (!changed) break;
  }
  return B;
}

}  // namespace

SpectralSplit split_spectrum(const Eigen::MatrixXd& jacobian, double center_tolerance,
                             int center_count, bool extended_precision) {
  const int n = static_cast<int>(jacobian.rows());
  Eigen::VectorXd d;
  const Eigen::MatrixXd balanced = balance(jacobian, d);
  // Double keeps the small eigenvalues to ~eps·‖B‖: beyond ‖B‖ ~ 1e7 (a fast pair ~1e7 apart
  // from rates ~0.1) the extended precision, when allowed, keeps them to ~1e-34·‖B‖.
  const bool extended = extended_precision && balanced.cwiseAbs().maxCoeff() > 1e7;
  EigenParts parts = extended ? eigen_parts<boost::multiprecision::float128>(balanced)
                              : eigen_parts<double>(balanced);
  for (int i = 0; i < n; ++i) {  // back to the coordinates of J: V = D V_B, W = W_B D⁻¹
    parts.V.row(i) *= d(i);
    parts.W.col(i) /= d(i);
  }
  const Eigen::VectorXcd& lambda = parts.lambda;
  const Eigen::MatrixXcd& V = parts.V;
  const Eigen::MatrixXcd& W = parts.W;  // rows: left eigenvectors
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return lambda(a).real() < lambda(b).real(); });
  std::vector<bool> forced_center(n, false);
  if (center_count >= 0) {
    std::vector<int> by_size(n);
    std::iota(by_size.begin(), by_size.end(), 0);
    std::sort(by_size.begin(), by_size.end(), [&](int a, int b) {
      return std::fabs(lambda(a).real()) < std::fabs(lambda(b).real());
    });
    for (int k = 0; k < std::min(center_count, n); ++k) forced_center[by_size[k]] = true;
  }
  const auto kind = [&](int i) {  // +1 unstable, 0 centre, −1 stable
    if (center_count >= 0) return forced_center[i] ? 0 : (lambda(i).real() > 0.0 ? 1 : -1);
    if (lambda(i).real() > center_tolerance) return 1;
    return lambda(i).real() >= -center_tolerance ? 0 : -1;
  };
  SpectralSplit s;
  s.eigenvalues.resize(n);
  s.imaginary_parts.resize(n);
  std::vector<Eigen::VectorXd> lu, lc, rs, rc;
  Eigen::MatrixXcd Pu = Eigen::MatrixXcd::Zero(n, n), Pc = Eigen::MatrixXcd::Zero(n, n);
  for (int k = 0; k < n; ++k) {
    const int i = order[k];
    s.eigenvalues(k) = lambda(i).real();
    s.imaginary_parts(k) = lambda(i).imag();
    s.max_imaginary = std::max(s.max_imaginary, std::fabs(lambda(i).imag()));
    const Eigen::VectorXd left = W.row(i).real().transpose();
    const Eigen::VectorXd right = V.col(i).real();
    if (kind(i) == 1)
      Pu.noalias() += V.col(i) * W.row(i);
    else if (kind(i) == 0)
      Pc.noalias() += V.col(i) * W.row(i);
    if (kind(i) == 1) {
      ++s.unstable;
      lu.push_back(normalised(left));
    } else if (kind(i) == -1) {
      ++s.stable;
      rs.push_back(normalised(right));
    } else {
      ++s.center;
      lc.push_back(normalised(left));
      rc.push_back(normalised(right));
    }
  }
  auto rows = [n](const std::vector<Eigen::VectorXd>& v) {
    Eigen::MatrixXd M(v.size(), n);
    for (size_t k = 0; k < v.size(); ++k) M.row(k) = v[k].transpose();
    return M;
  };
  auto cols = [n](const std::vector<Eigen::VectorXd>& v) {
    Eigen::MatrixXd M(n, v.size());
    for (size_t k = 0; k < v.size(); ++k) M.col(k) = v[k];
    return M;
  };
  s.unstable_projector = Pu.real();
  s.center_projector = Pc.real();
  s.left_unstable = rows(lu);
  s.left_center = rows(lc);
  s.right_stable = cols(rs);
  s.right_center = cols(rc);
  return s;
}

}  // namespace footloose::solvers
