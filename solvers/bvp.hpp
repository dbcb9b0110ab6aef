// One interface for two-point boundary value problems y' = f(t, y) on [t_0, t_N] with free
// left unknowns and free parameters: the problem, the mesh function that is both a guess and a
// solution, and the Summary every method returns (termination enum, is_usable, reports).
// Methods: multiple shooting (solvers/multiple_shooting.hpp) and global collocation
// (solvers/collocation.hpp). Generic numerics only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace footloose::solvers {

// dy/dt = f(t, y) and its Jacobian ∂f/∂y (row-major n×n).
using OdeRhs = std::function<void(double t, const double* y, double* dydt)>;
using OdeJacobian = std::function<void(double t, const double* y, double* jac)>;

struct BoundaryValueProblem {
  int state_size = 0;      // n
  int left_free_size = 0;  // m: unknowns z that fix y(t_0) = left_state(z)
  int parameter_size = 0;  // p: extra unknowns entering only the right condition
  OdeRhs rhs;
  OdeJacobian jacobian;  // optional ∂rhs/∂y (row-major): exact Newton matrices
  std::function<void(const double* z, double* y0)> left_state;
  // m + p residuals of the right boundary condition at y(t_N) and the parameters (y(t_0)
  // fixes n − m conditions, so the right end supplies the other m, plus one per parameter).
  std::function<void(const double* yN, const double* params, double* residual)> right_residual;
  std::vector<double> typical_state;      // n magnitudes: scaling, absolute tolerances
  std::vector<double> typical_params;     // p magnitudes
  std::vector<bool> positive_params;      // p flags: parameters that stay > 0 (may be empty)
  std::vector<double> typical_left_free;  // m magnitudes
  std::vector<bool> positive_state;       // n flags: components that stay ≥ 0 (may be empty)
};

// A function on a mesh: a guess before a solve, the answer after it. Both methods read and
// write it; `midpoints` and `time_stretch` are the collocation method's (empty / 1 otherwise).
struct MeshSolution {
  std::vector<double> nodes;   // t_0 < t_1 < ... < t_N
  std::vector<double> states;  // (N+1)·n, row-major by node
  std::vector<double> left_free;
  std::vector<double> params;
  // Collocation: states at the interval midpoints in the stretched variable ξ (N·n), or empty.
  std::vector<double> midpoints;
  // Collocation: t = t_0 + (t_N − t_0) ξ^time_stretch; nodes are uniform-in-ξ pieces.
  double time_stretch = 1.0;
};

enum class BvpMethod { Collocation, MultipleShooting };

// Collocation: the last factorised Newton matrix of a solve with the mesh it belongs to
// (solvers/collocation.hpp); a warm start on that mesh reuses it for chord steps.
struct CollocationFactorisation;

// Why a solve stopped. Callers branch on this, never on message text.
enum class BvpTermination {
  Converged,           // residual below the tolerance (and, collocation, error estimate too)
  ConvergedAtStall,    // Newton stalled at its noise floor, residual below stall × tolerance
  NotConverged,        // Newton failed (line search, iterations, singular matrix, ...)
  TimeLimit,           // the time limit was reached first
  TooStiff,            // the method cannot resolve the problem with its mesh limit
  AccuracyNotReached,  // converged, but the error estimate is above the requested tolerance
  BadInput             // inconsistent sizes, non-finite guess, invalid problem
};

const char* to_string(BvpMethod m);
const char* to_string(BvpTermination t);

// A-posteriori error estimate of a solution (collocation: deferred correction on the same mesh
// or a solve on the halved mesh, CollocationOptions::error_estimate; shooting: not available).
struct BvpErrorEstimate {
  bool available = false;
  double scaled_max = 0.0;            // max over nodes, components, z and params, scaled
  std::vector<double> state_abs;      // per state component, max over nodes (absolute)
  std::vector<double> left_free_abs;  // per left unknown (absolute)
  std::vector<double> params_abs;     // per parameter (absolute)
};

struct BvpSummary {
  BvpMethod method = BvpMethod::Collocation;
  BvpTermination termination = BvpTermination::NotConverged;
  MeshSolution solution;  // the last iterate (the answer when is_usable())
  int newton_iterations = 0;
  int chord_iterations = 0;   // of newton_iterations: steps with a reused factorised matrix
  int mesh_passes = 0;        // collocation: adaptive passes; shooting: refinements
  int intervals = 0;          // final mesh size N
  double residual_max = 0.0;  // scaled max-norm of the discrete residual at the answer
  double tolerance = 0.0;     // the residual tolerance asked for
  BvpErrorEstimate error;
  double seconds = 0.0;
  std::vector<std::string> warnings;
  std::string message;  // what happened, in words (for people, not for branching)
  // Collocation: the factorised Newton matrix on the answer's mesh (shared, read-only), for the
  // chord steps of a warm start from this answer; empty otherwise. About 1 MB on 300 intervals:
  // drop it (reset()) where answers are stored rather than chained.
  std::shared_ptr<const CollocationFactorisation> factorisation;

  bool is_usable() const {
    return termination == BvpTermination::Converged ||
           termination == BvpTermination::ConvergedAtStall ||
           termination == BvpTermination::AccuracyNotReached;
  }
  std::string brief_report() const;
  std::string full_report() const;
};

}  // namespace footloose::solvers
