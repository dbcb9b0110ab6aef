// Newton-Krylov solution of F(u) = 0 by KINSOL (SPGMR or SPBCGS, line search, right
// preconditioning, scaling). Options in, Summary out. Generic numerics only.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace footloose::solvers {

struct NonlinearSystem {
  int size = 0;
  // F(u); may throw, which KINSOL treats as a recoverable failure (it backtracks).
  std::function<void(const double* u, double* F)> residual;
  // Optional preconditioner: setup at (u, F(u)), then solve P x = v in place.
  std::function<void(const double* u, const double* F)> preconditioner_setup;
  std::function<void(double* v)> preconditioner_solve;
  // Optional Jacobian-vector product Jv (e.g. with the Jacobian built at the last setup: Newton
  // is then a chord method between setups, and a Krylov iteration costs no residual evaluation).
  // Empty: KINSOL's difference quotients, one residual evaluation per Krylov iteration.
  std::function<void(const double* v, double* Jv)> jacobian_times;
  std::vector<double> u_scale, f_scale;  // KINSOL's D_u, D_F (entries ~ 1/typical size)
  std::vector<double> constraints;       // KINSOL's: 0 none, 1 u ≥ 0, 2 u > 0 (empty = none)
};

enum class KrylovMethod { Spgmr, Spbcgs };

struct NewtonKrylovOptions {
  double function_tolerance = 1e-10;  // on ||D_F F||_∞
  double step_tolerance = 1e-15;      // on the scaled step
  int max_iterations = 40;
  int max_setup_calls = 5;  // preconditioner refreshed every k Newton iterations
  KrylovMethod krylov = KrylovMethod::Spgmr;
  int max_krylov_dimension = 30;
  bool line_search = true;
  double max_newton_step = 0.0;  // scaled; 0 = KINSOL default
  double time_limit = 0.0;       // seconds; 0 = none (the solve then stops with a clear message)
  bool print_solver_messages = false;  // KINSOL's messages and iteration log on stderr
};

struct NewtonKrylovSummary {
  bool converged = false;
  int flag = 0;         // KINSOL return flag
  std::string message;  // KINSOL's meaning of the flag
  long iterations = 0;  // nonlinear iterations
  long linear_iterations = 0;
  long function_evaluations = 0;
  long preconditioner_setups = 0;
  double function_norm = 0.0;       // ||D_F F||_2 at the returned u (KINSOL's fnorm)
  double residual_max = 0.0;        // max |F_i| · f_scale_i at the returned u
  std::string last_residual_error;  // message of the last exception thrown by the residual
  bool timed_out = false;
};

// Solves in place; u holds the initial guess on entry and the last iterate on exit.
NewtonKrylovSummary solve_newton_krylov(const NonlinearSystem& system, std::vector<double>& u,
                                        const NewtonKrylovOptions& options);

}  // namespace footloose::solvers
