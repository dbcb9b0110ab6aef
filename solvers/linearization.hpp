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
  Eigen::VectorXd eigenvalues;      // real parts, ascending
  Eigen::VectorXd imaginary_parts;  // same order
  int stable = 0, center = 0, unstable = 0;
  Eigen::MatrixXd left_unstable;       // rows: unit left eigenvectors of unstable eigenvalues
  Eigen::MatrixXd left_center;         // rows: unit left eigenvectors of centre eigenvalues
  Eigen::MatrixXd right_stable;        // columns: right eigenvectors of stable eigenvalues
  Eigen::MatrixXd right_center;        // columns: right eigenvectors of centre eigenvalues
  Eigen::MatrixXd unstable_projector;  // spectral projectors (basis-free, smooth in J)
  Eigen::MatrixXd center_projector;
  double max_imaginary = 0.0;  // > 0 flags complex pairs (bases then are real parts)
};

// Eigenvalues with |Re λ| ≤ center_tolerance count as centre. Left eigenvectors are rows of V⁻¹,
// normalised to unit length with their largest component positive.
// With center_count ≥ 0 the centre is instead the center_count eigenvalues of smallest |Re λ|
// (a problem that knows its centre manifold's dimension), the rest split by sign.
// The matrix is balanced first (diagonal similarity, powers of 2). extended_precision allows the
// decomposition in 113-bit floating point where the balanced matrix exceeds 1e7 (a spectrum
// spanning that much, where double's backward error eps·‖B‖ would swamp the small eigenvalues).
SpectralSplit split_spectrum(const Eigen::MatrixXd& jacobian, double center_tolerance,
                             int center_count = -1, bool extended_precision = false);

}  // namespace footloose::solvers
