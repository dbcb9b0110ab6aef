// Generic two-point boundary value problem y' = f(t, y) on a given mesh t_0 < ... < t_N, solved
// by Hermite–Simpson collocation (equivalently the 3-stage Lobatto IIIA method, order 4 at the
// mesh points and O(h^4) for its cubic Hermite interpolant) and a damped Newton iteration with a
// sparse finite-difference Jacobian factorised by Eigen::SparseLU. An independent check of the
// multiple-shooting solver: it takes the same BoundaryValueProblem and ShootingGuess layout but
// shares none of its numerics (no CVODES, no KINSOL). Options in, Summary out. Generic numerics
// only.
//
// Discretisation, unknowns u = [z (m) | y_0 | y_1 | ... | y_N | params (p)]:
//   y_0 − left_state(z) = 0                                          (n rows)
//   y_{i+1} − y_i − h_i/6 (f_i + 4 f_{i+½} + f_{i+1}) = 0,  i < N     (N·n rows)
//      f_i = f(t_i, y_i),  f_{i+½} = f(t_i + h_i/2, y_{i+½}),
//      y_{i+½} = (y_i + y_{i+1})/2 + h_i/8 (f_i − f_{i+1})
//   right_residual(y_N, params) = 0                                   (m + p rows)
// State rows are scaled by 1/typical_state; the right residual is used as the problem states it.
// Components flagged in problem.positive_state (parameters in positive_params) are never
// evaluated negative: such a trial point (node or midpoint) counts as a failed trial, and
// difference steps are relative to the value.
// A right-hand side or boundary map that throws also just fails the trial point (backtracking).
// Note on row counts: a square problem needs m + p right residuals (n − m conditions are fixed at
// the left by left_state); this equals the "n − m + p" of the BoundaryValueProblem comment only
// when n = 2m, which holds for the transition path (n = 6, m = 3).
#pragma once

#include <string>
#include <vector>

#include "solvers/multiple_shooting.hpp"

namespace footloose::solvers {

struct CollocationOptions {
  double tolerance = 1e-11;         // on the max-norm of the scaled residual
  double step_tolerance = 0.0;      // also converged if the scaled Newton step's max-norm is
                                    // below this and the residual below sqrt(tolerance); 0 = off
  int max_iterations = 50;          // Newton iterations (Jacobian evaluations)
  double fd_relative_step = 1e-7;   // step_j = fd_relative_step · max(|y_j|, fd_floor · typ_j);
                                    // fd_relative_step · y_j for positive_state components
  double fd_floor = 1e-10;          // lets tiny positive components keep their sign
  double min_damping = 1e-6;        // smallest line-search factor before giving up
  double armijo = 1e-4;             // sufficient decrease of ½‖F‖₂² (scaled)
  double max_scaled_step = 0.0;     // cap on the scaled Newton step's max-norm; 0 = none
};

struct CollocationSummary {
  bool converged = false;
  int iterations = 0;              // Newton iterations (each with a fresh Jacobian)
  double residual_max = 0.0;       // scaled residual max-norm at the returned iterate
  double max_defect = 0.0;         // max scaled collocation defect (part of residual_max)
  double max_boundary_residual = 0.0;  // max |left (scaled) and right residual|
  double last_step_max = 0.0;      // scaled max-norm of the last Newton step taken
  double last_damping = 0.0;       // line-search factor of the last step
  long rhs_evaluations = 0;
  long trial_failures = 0;         // trial points where rhs / boundary maps threw
  double seconds = 0.0;
  std::vector<double> residual_history;  // scaled max-norm before each iteration, then final
  std::string message;             // why it stopped
  ShootingGuess solution;          // nodes = mesh, states at every node, left_free, params

  std::string brief_report() const;
};

// Solves the collocation equations on the mesh guess.nodes starting from guess (states has
// (N+1)·n entries, row-major; left_free m entries; params p entries). Never throws for a
// numerical failure (reported in the summary); throws std::invalid_argument for inconsistent
// sizes.
CollocationSummary solve_collocation(const BoundaryValueProblem& problem,
                                     const ShootingGuess& guess,
                                     const CollocationOptions& options = {});

// Collocation defects of a given solution (scaled, max-norm per interval): lets a caller check a
// solution of another method (e.g. multiple shooting) against this discretisation.
std::vector<double> collocation_defects(const BoundaryValueProblem& problem,
                                        const ShootingGuess& solution);

// The collocation polynomial (cubic Hermite on each interval through y_i, f_i, y_{i+1}, f_{i+1})
// at the requested times (each in [t_0, t_N], any order), row-major times.size()·n.
std::vector<double> evaluate_collocation_solution(const BoundaryValueProblem& problem,
                                                  const ShootingGuess& solution,
                                                  const std::vector<double>& times);

// The mesh with every interval halved (midpoints inserted).
std::vector<double> halve_mesh(const std::vector<double>& mesh);

// Discretisation-error estimate by mesh halving: solves on the mesh of guess and on the halved
// mesh (started from the coarse solution interpolated), compares at the coarse nodes.
// For an order-4 method the coarse error is ≈ 16/15 · difference and the fine error ≈ 1/15 of it.
struct MeshHalvingEstimate {
  CollocationSummary coarse, fine;
  bool converged = false;
  double max_scaled_difference = 0.0;  // max_i,j |y_fine − y_coarse| / typical_state_j at t_i
  std::vector<double> max_abs_difference;  // per state component, over the coarse nodes
  double max_left_free_difference = 0.0;   // scaled by typical_left_free
  double max_param_difference = 0.0;       // scaled by typical_params
  int worst_node = -1;                     // coarse node index of max_scaled_difference
  double coarse_error_estimate() const { return max_scaled_difference * 16.0 / 15.0; }
  double fine_error_estimate() const { return max_scaled_difference / 15.0; }
  std::string brief_report() const;
};

MeshHalvingEstimate estimate_discretisation_error(const BoundaryValueProblem& problem,
                                                  const ShootingGuess& guess,
                                                  const CollocationOptions& options = {});

}  // namespace footloose::solvers
