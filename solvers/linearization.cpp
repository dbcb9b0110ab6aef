#include "solvers/linearization.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
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

SpectralSplit split_spectrum(const Eigen::MatrixXd& jacobian, double center_tolerance) {
  const int n = static_cast<int>(jacobian.rows());
  Eigen::EigenSolver<Eigen::MatrixXd> es(jacobian);
  const Eigen::VectorXcd lambda = es.eigenvalues();
  const Eigen::MatrixXcd V = es.eigenvectors();
  const Eigen::MatrixXcd W = V.inverse();  // rows: left eigenvectors
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return lambda(a).real() < lambda(b).real(); });
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
    const Eigen::MatrixXcd outer = V.col(i) * W.row(i);
    if (lambda(i).real() > center_tolerance) Pu += outer;
    else if (lambda(i).real() >= -center_tolerance) Pc += outer;
    if (lambda(i).real() > center_tolerance) {
      ++s.unstable;
      lu.push_back(normalised(left));
    } else if (lambda(i).real() < -center_tolerance) {
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
