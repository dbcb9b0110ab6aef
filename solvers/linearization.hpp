// Linearisation of y' = f(y) at a point: finite-difference Jacobian, eigenvalues, and the
// stable / centre / unstable split with left eigenvector bases (Eigen). Generic numerics only.
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <vector>

namespace footloose::solvers {

using VectorField = std::function<void(const double* y, double* f)>;

// Central-difference Jacobian; step_j = rel_step · max(|y_j|, typical_j).
Eigen::MatrixXd jacobian_central(const VectorField& f, const std::vector<double>& y,
                                 const std::vector<double>& typical, double rel_step = 1e-6);

struct SpectralSplit {
  Eigen::VectorXd eigenvalues;        // real parts, ascending
  Eigen::VectorXd imaginary_parts;    // same order
  int stable = 0, center = 0, unstable = 0;
  Eigen::MatrixXd left_unstable;      // rows: unit left eigenvectors of unstable eigenvalues
  Eigen::MatrixXd left_center;        // rows: unit left eigenvectors of centre eigenvalues
  Eigen::MatrixXd right_stable;       // columns: right eigenvectors of stable eigenvalues
  Eigen::MatrixXd right_center;       // columns: right eigenvectors of centre eigenvalues
  Eigen::MatrixXd unstable_projector;  // spectral projectors (basis-free, smooth in J)
  Eigen::MatrixXd center_projector;
  double max_imaginary = 0.0;         // > 0 flags complex pairs (bases then are real parts)
};

// Eigenvalues with |Re λ| ≤ center_tolerance count as centre. Left eigenvectors are rows of V⁻¹,
// normalised to unit length with their largest component positive.
SpectralSplit split_spectrum(const Eigen::MatrixXd& jacobian, double center_tolerance);

}  // namespace footloose::solvers
