// Global collocation for the two-point BVP of solvers/bvp.hpp: the 3-stage Lobatto IIIA method
// (Hermite–Simpson; order 4 at the mesh points, cubic interpolant C¹ and O(h⁴)) in a stretched
// variable ξ ∈ [0, 1], t = t_0 + (t_N − t_0) ξ^p, which makes a start like y ~ t^{1/p} smooth.
// Newton by KINSOL (line search, constraints) with the exact sparse Newton matrix (analytic
// Jacobian of the problem, else differences of its rhs) factorised by a block LU
// (solvers/collocation_matrix.hpp: midpoints eliminated per interval, then a banded LU) and used
// as the preconditioner, so each Krylov solve takes one iteration. An adaptive mesh equidistributes
// the residual of the interpolant; the answer's error is estimated against a solve on the halved
// mesh (default) or on its own mesh by deferred correction (docs/solver.md, "Error estimate").
// Generic numerics only.
//
// Unknowns u = [z (m) | y_0 | y_½ | y_1 | y_{1½} | ... | y_N | params (p)], y_{i½} at the
// midpoint of [ξ_i, ξ_{i+1}]; with g(ξ, y) = f(t(ξ), y)·t'(ξ) and h_i = ξ_{i+1} − ξ_i:
//   y_0 − left_state(z) = 0                                                        (n rows)
//   y_{i½} − y_i − h_i (5/24 g_i + 1/3 g_{i½} − 1/24 g_{i+1}) = 0                   (n rows)
//   y_{i+1} − y_i − h_i (1/6 g_i + 2/3 g_{i½} + 1/6 g_{i+1}) = 0                    (n rows)
//   right_residual(y_N, params) = 0                                                (m + p rows)
// State rows are scaled by 1/typical_state.
#pragma once

#include <vector>

#include "solvers/bvp.hpp"
#include "solvers/collocation_error.hpp"
#include "solvers/collocation_matrix.hpp"
#include "solvers/worker_team.hpp"

namespace footloose::solvers {

// How the error of a collocation answer is estimated. Both estimate the path alike (within
// 0.84–1.0 of each other over 80 stress points); a quantity whose error is far below the path's
// by cancellation along it (aR∞ of the model: 1e5 below) deferred correction gets only to a
// factor ~2.5, halving to a few per cent (docs/solver.md, "Error estimate").
enum class ErrorEstimate {
  // On the answer's own mesh: e = J⁻¹(F(u) − τ), τ the truncation error of the collocation rows
  // from divided differences of the slopes (solvers/collocation_error.hpp), one back-substitution
  // with the factorised Newton matrix.
  DeferredCorrection,
  // 16/15 of the difference to a solve on the halved mesh (a second Newton solve).
  Halving
};
const char* to_string(ErrorEstimate e);

// The factorised Newton matrix of a solve on its mesh (BvpSummary::factorisation).
struct CollocationFactorisation {
  std::vector<double> nodes;  // the mesh in t (a guess must have exactly these nodes)
  double time_stretch = 1.0;
  // The problem's typical_state when factorised: its state rows are divided by it (a reuse for a
  // problem with other magnitudes rescales its rows first).
  std::vector<double> typical_state;
  CollocationMatrix matrix;  // factorised (solve() only)
  // The deferred-correction stencils of this mesh, when an estimate was made on it (a warm
  // start on the same mesh reuses them); null otherwise.
  std::shared_ptr<const TruncationErrorStencils> truncation_stencils;
};

// Solves A x = b in place with a factorisation whose rows were scaled by another typical_state:
// the state rows of b (left and collocation rows, scaled by 1/typical_state) are brought to the
// factorisation's scaling first. right_rows: A with its right rows replaced
// (CollocationMatrix::factorize_right_rows), or nullptr. team: the caller's (solve()).
void solve_rescaled(const CollocationFactorisation& factorisation,
                    const std::vector<double>& typical_state, double* b,
                    const CollocationMatrix::RightRowsReplaced* right_rows = nullptr,
                    WorkerTeam* team = nullptr);

struct CollocationOptions {
  // Target of the error estimate (max over the path, z and params, each scaled by its typical
  // magnitude). The mesh is adapted until the estimate is below it.
  double tolerance = 1e-8;
  // A refinement that stops short of `tolerance` (stagnating estimate, max_mesh_passes) still
  // returns ConvergedAtStall when the estimate is below this (0: stall_factor × tolerance for a
  // stagnating estimate, tolerance otherwise): for a caller that asks for more than it needs.
  double acceptance_tolerance = 0.0;
  // Scaled residual max-norm; 0 = tolerance/100. On a mesh of N intervals Newton stops at
  // min(this, tolerance/(10 N)) (N defects add up in the solution), but not below newton_floor.
  double newton_tolerance = 0.0;
  // The rounding floor of the scaled residual (a right-hand side that is itself an iteration
  // reaches ~1e-13; below this Newton would only stall). The halving estimate still measures
  // what the floor costs in accuracy.
  double newton_floor = 1e-12;
  // Accepted as ConvergedAtStall, with a warning: a stalled Newton below this × its tolerance,
  // and an error estimate that stops falling under refinement (a rounding floor) below this ×
  // tolerance.
  double stall_factor = 10.0;
  // Per mesh: Newton with full steps (at most min(8, this) iterations), then, when they fail,
  // up to this many with a line search from the same guess.
  int max_newton_iterations = 40;
  bool adapt_mesh = true;  // false: solve on the given mesh only
  // Passes refined by the residual indicator (while it falls fast) before the error estimate
  // takes over: the indicator overstates the error where fast stable modes damp it (at the end
  // of a stretched mesh, t'(ξ) = pT: one stress point went from 80 to 18201 intervals on it
  // while the halving estimate was 5e-13 on 541). 0: the estimate from the first mesh (a mesh
  // adapted before, e.g. a warm start's).
  int residual_passes = 2;
  bool estimate_error = true;  // estimate the error (error_estimate) and refine by it
  int max_intervals = 40000;   // a mesh that would need more: TooStiff ...
  // ... unless the error estimate of the answer in hand is already below this (scaled): then
  // that answer is returned as AccuracyNotReached (usable, flagged) with its estimate.
  double flag_beyond_max_intervals = 1e-6;
  int max_mesh_passes = 12;
  double time_limit = 0.0;         // seconds, 0 = none
  double fd_relative_step = 1e-7;  // difference steps (rhs Jacobian if none given, boundary maps)
  ErrorEstimate error_estimate = ErrorEstimate::Halving;
  // Times where the rhs is not smooth (each must be a node of the mesh): the difference stencils
  // of the deferred-correction estimate do not reach across them.
  std::vector<double> break_points;
  // Chord steps with a reused factorised matrix (solve_collocation's `reuse`) continue while
  // each lowers the residual's max-norm by at least this factor; then exact Newton. In (0, 1).
  double chord_contraction = 0.2;
  // The summary keeps the answer's factorised Newton matrix (BvpSummary::factorisation, for the
  // chord steps of a warm start from it). false: none, and the halved-mesh solve of Halving
  // reuses the storage of the answer's matrix (a caller that will not reuse it saves ~1 MB).
  bool keep_factorisation = true;
  // Threads for the loops over collocation points and intervals (the caller's; the answer is
  // the same bits on any number), or nullptr: the calling thread only.
  WorkerTeam* team = nullptr;
};

// Solves the BVP from the guess. guess.nodes is the initial mesh; guess.time_stretch the p of
// the stretched variable (nodes are interpreted as t values); guess.midpoints may carry the
// midpoint states of an earlier collocation solve on the same mesh. Never throws for a numerical
// failure (reported in the summary's termination); BadInput for inconsistent sizes.
// reuse: the factorised Newton matrix of a nearby problem's answer (its BvpSummary::
// factorisation); when its nodes are exactly the guess's, Newton starts with chord steps on it
// (CollocationOptions::chord_contraction). The summary's factorisation is that of its answer.
BvpSummary solve_collocation(const BoundaryValueProblem& problem, const MeshSolution& guess,
                             const CollocationOptions& options = {},
                             std::shared_ptr<const CollocationFactorisation> reuse = nullptr);

// The collocation cubic (Hermite in ξ through y_i, g_i, y_{i+1}, g_{i+1}) at the requested
// times (each in [t_0, t_N], any order), row-major times.size()·n.
std::vector<double> evaluate_collocation_solution(const BoundaryValueProblem& problem,
                                                  const MeshSolution& solution,
                                                  const std::vector<double>& times);

// The solution moved onto a new mesh (nodes in t, same stretch): node and midpoint values from
// the collocation cubic. Left unknowns and parameters kept.
MeshSolution remesh_collocation_solution(const BoundaryValueProblem& problem,
                                         const MeshSolution& solution,
                                         const std::vector<double>& nodes);

// Scaled collocation defects (max-norm per interval) of a mesh function whose midpoints are
// taken from the Hermite cubic (y_{i½} = (y_i + y_{i+1})/2 + h(g_i − g_{i+1})/8): lets a caller
// check a solution of another method against this discretisation.
std::vector<double> collocation_defects(const BoundaryValueProblem& problem,
                                        const MeshSolution& solution);

// What one Newton iteration costs at a solution, on its mesh (the floor a solve cannot beat):
// one residual evaluation, one exact Newton matrix (assembly), one factorisation of it (the
// block LU of solvers/collocation_matrix.hpp: analysis_ms is 0, it has no pattern analysis),
// each in milliseconds, one sample per repeat; on the team's threads when one is given.
struct NewtonIterationCost {
  int unknowns = 0;
  std::vector<double> residual_ms, matrix_ms, analysis_ms, factorization_ms;
};
NewtonIterationCost newton_iteration_cost(const BoundaryValueProblem& problem,
                                          const MeshSolution& solution, int repeats = 5,
                                          WorkerTeam* team = nullptr);

// The times t(ξ) at which the collocation on a solution's mesh evaluates the rhs, bitwise: node i
// at 2i, the midpoint (in ξ) of interval i at 2i + 1. (The nodes themselves are t values that
// t(ξ(t)) reproduces only to rounding.)
std::vector<double> collocation_point_times(const MeshSolution& solution);

// Output times on a solved mesh: the nodes (every stride-th when there are more than
// max_points intervals) plus the interval midpoints when there are fewer than midpoints_below
// intervals, then t_N. Dense where the adaptive mesh is dense, i.e. where the path moves.
std::vector<double> collocation_output_times(const std::vector<double>& nodes, int max_points = 600,
                                             int midpoints_below = 300);

// Mesh helpers. A mesh in t uniform in ξ = ((t − t_0)/(t_N − t_0))^{1/p} on [t_0, t_N] with
// `intervals` pieces and the given break points (times) among the nodes.
std::vector<double> stretched_uniform_mesh(double t0, double tN, double time_stretch, int intervals,
                                           const std::vector<double>& break_points = {});
// Every interval halved in ξ.
std::vector<double> halve_mesh(const std::vector<double>& nodes, double time_stretch = 1.0);

// The stretch exponent p that makes t^{q} smooth in ξ (t = ξ^p): the denominator of q as a
// fraction k/d with d ≤ max_denominator (within 1e-9), else `fallback`; at least 1.
double smoothing_stretch(double exponent, int max_denominator = 8, double fallback = 4.0);

}  // namespace footloose::solvers
