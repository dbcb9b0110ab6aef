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

// The rhs and its Jacobian at a fixed list of times (the points), for a method that evaluates
// them at the same times over and over (collocation) and may split those loops over threads.
// A loop over the points: begin_loop(), then rhs / jacobian at points, then end_loop().
class PointEvaluator {
 public:
  virtual ~PointEvaluator() = default;
  // On the calling thread before a loop. true: until end_loop, rhs and jacobian may be called
  // concurrently for distinct points (each point by one thread, in any order); false: this loop
  // uses the problem's rhs / jacobian instead, serially.
  virtual bool begin_loop() = 0;
  // rhs(times[point], y, dydt) and jacobian(times[point], y, jac) of the problem: the same bits,
  // and the same effect on any state the problem keeps as those calls in point order.
  virtual void rhs(int point, const double* y, double* dydt) = 0;
  virtual void jacobian(int point, const double* y, double* jac) = 0;
  // On the calling thread after the loop. failed_point: the lowest point whose call threw (the
  // loop then rethrows its exception), or −1. Calls at points above it must leave no trace: the
  // state is that of the serial loop, which stops at the failed point.
  virtual void end_loop(int failed_point) = 0;
};

struct BoundaryValueProblem {
  int state_size = 0;      // n
  int left_free_size = 0;  // m: unknowns z that fix y(t_0) = left_state(z)
  int parameter_size = 0;  // p: extra unknowns entering only the right condition
  OdeRhs rhs;
  OdeJacobian jacobian;  // optional ∂rhs/∂y (row-major): exact Newton matrices
  // Optional: an evaluator at the given times (increasing), or nullptr (then, as when this is
  // empty, rhs and jacobian are called serially and need not be thread-safe).
  std::function<std::unique_ptr<PointEvaluator>(const std::vector<double>& times)> at_points;
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
