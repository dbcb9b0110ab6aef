// Generic two-point boundary value problem y' = f(t, y) on [t_0, t_N], solved by multiple
// shooting: CVODES integrates each segment, KINSOL (Newton-Krylov) solves the matching and
// boundary conditions, preconditioned by the exact block-bidiagonal shooting Jacobian (segment
// sensitivities from CVODES, sparse LU). Options in, Summary out. Generic numerics only.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "solvers/bvp.hpp"
#include "solvers/cvode_integrator.hpp"
#include "solvers/newton_krylov.hpp"

namespace footloose::solvers {

// How the segment sensitivities G_i = ∂y(t_{i+1})/∂y(t_i) of the Newton matrix are formed.
enum class SegmentSensitivity {
  FiniteDifference,  // n extra integrations per segment (forward differences); default, fastest
  Cvodes             // CVODES forward sensitivities (staggered corrector with error control;
                     // J·s exact when the problem has a Jacobian). Baseline: ~4× slower than FD.
};

struct ShootingOptions {
  SegmentSensitivity sensitivity = SegmentSensitivity::FiniteDifference;
  double rtol = 1e-10;        // CVODE relative tolerance
  double atol_factor = 1e-3;  // absolute tolerance = rtol · atol_factor · typical_state
  NewtonKrylovOptions newton;
  double fd_relative_step = 1e-7;  // for the boundary maps' small Jacobians
  // If KINSOL stalls in its line search (the residual is at the integration noise floor,
  // ~ rtol × segment amplification) the iterate is still accepted when its scaled residual is
  // below this, with a warning that says how far it got.
  double stall_tolerance = 1e-8;
  long max_steps_per_segment = 5000;  // a segment needing more is treated as a failed trial
  // Before Newton: if a segment of the guess amplifies perturbations (‖D⁻¹G_iD‖_∞) by more than
  // this, return at once with needs_refinement (0 = no check). The check's Newton matrix is
  // reused as the first one.
  double max_initial_amplification = 0.0;
  // Krylov products with the Newton matrix of the last setup (chord Newton between setups; no
  // residual evaluation per Krylov iteration) instead of KINSOL's difference quotients.
  bool exact_jacobian_product = true;
  int chord_max_iterations = 15;  // then difference-quotient Jv from the chord's last iterate
};

struct ShootingSummary {
  bool converged = false;
  NewtonKrylovSummary newton;
  MeshSolution solution;                   // states: row i = y(t_i) (row N from integration)
  double max_matching_defect = 0.0;        // max_i |y_{i+1} − Φ_i(y_i)|, scaled by typical_state
  double max_boundary_residual = 0.0;      // max |right residual|
  double max_segment_amplification = 0.0;  // max_i ‖D⁻¹ G_i D‖_∞ (growth across one segment)
  int worst_segment = -1;
  std::vector<double> segment_amplification;  // per segment (0 for the first), last Newton matrix
  bool needs_refinement = false;  // stopped before Newton: max_initial_amplification exceeded
  CvodeStats integration;
  double seconds = 0.0;
  std::vector<std::string> warnings;
  std::string message;  // why it failed, if it did

  std::string brief_report() const;
};

ShootingSummary solve_multiple_shooting(const BoundaryValueProblem& problem,
                                        const MeshSolution& guess, const ShootingOptions& options);

// Mesh refinement around solve_multiple_shooting. Before Newton, segments of the guess that
// amplify perturbations by more than max_amplification are split (split_amplifying_segments at
// split_amplification) and the guess interpolated; after a converged solve whose segments still
// amplify too much, the solution is re-integrated onto the split mesh and solved again. At most
// max_refinements passes; a mesh above max_nodes is not refined further. If a later pass fails,
// the last converged pass is returned.
struct ShootingRefinementOptions {
  int max_refinements = 4;
  double max_amplification = 1e4;
  double split_amplification = 1e3;
  int max_nodes = 4000;
  double time_limit = 0.0;  // seconds for all passes together (0: none)
};

ShootingSummary solve_multiple_shooting_refined(const BoundaryValueProblem& problem,
                                                MeshSolution guess, ShootingOptions options,
                                                const ShootingRefinementOptions& refinement);

// Output times on a solved shooting mesh: per_segment points per segment (log-spaced in a
// segment that starts at t > 0 and spans more than a factor 2, else uniform), then t_N.
std::vector<double> shooting_output_times(const std::vector<double>& nodes, int per_segment);

// The guess moved onto another node set: node states linearly interpolated in t (held
// constant beyond the old end), left unknowns and parameters kept.
MeshSolution interpolate_guess(const MeshSolution& from, const std::vector<double>& nodes,
                               int state_size);

// Segment amplifications ‖D⁻¹ G_i D‖_∞ at the guess, without solving (one sensitivity pass).
std::vector<double> shooting_segment_amplification(const BoundaryValueProblem& problem,
                                                   const MeshSolution& guess,
                                                   const ShootingOptions& options);

// Re-integrates a solved problem segment by segment from the node values and returns the
// states at the requested increasing times (each within [t_0, t_N]), row-major.
std::vector<double> evaluate_shooting_solution(const BoundaryValueProblem& problem,
                                               const MeshSolution& solution,
                                               const std::vector<double>& times,
                                               const ShootingOptions& options);

// Refinement: every segment whose amplification exceeds the threshold is split in two (at its
// geometric mean if it starts at t > 0 and spans more than a factor 2, else at its midpoint).
std::vector<double> split_amplifying_segments(const std::vector<double>& nodes,
                                              const std::vector<double>& amplification,
                                              double threshold);

// Node placement: t_start, then geometric spacing (h ∝ t) from t_first to t_switch with the
// given ratio, then uniform steps of at most h_max up to t_end; break points are inserted.
std::vector<double> geometric_then_uniform_mesh(double t_start, double t_first, double t_switch,
                                                double ratio, double h_max, double t_end,
                                                const std::vector<double>& break_points = {});

}  // namespace footloose::solvers
