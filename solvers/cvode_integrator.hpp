// RAII wrapper over CVODES (Adams or BDF, Newton with dense direct linear solver) for y' = f(t, y),
// optionally with forward sensitivities of y(t1) to y(t0). Generic numerics only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "solvers/bvp.hpp"
#include "solvers/sundials_context.hpp"

namespace footloose::solvers {

// OdeRhs (may throw: the step is then retried smaller by CVODE) and OdeJacobian: solvers/bvp.hpp.

// Linear multistep family; both with Newton iteration on a dense linear system.
enum class IntegrationMethod {
  Adams,  // orders 1–12: fewer steps at tight tolerances (baseline path: 29k steps vs 45k BDF)
  Bdf     // orders 1–5, stiffly stable
};

struct CvodeOptions {
  IntegrationMethod method = IntegrationMethod::Adams;
  double rtol = 1e-10;
  std::vector<double> atol;     // per component; empty = 1e-12 for all
  std::vector<double> typical;  // per component magnitudes; empty = 1
  std::vector<bool> positive;   // components that must stay > 0 (difference steps respect it)
  long max_steps = 200000;
  double max_step = 0.0;          // 0 = no limit
  double sensitivity_rtol = 0.0;  // 0 = same as rtol
  // When given: CVODE's Newton matrix, and the sensitivity right-hand side J·s (exact, one
  // Jacobian per call instead of 2n right-hand sides). Empty: difference quotients.
  OdeJacobian jacobian;
  bool print_solver_messages = false;  // CVODE's error and warning messages on stderr
};

struct CvodeStats {
  long steps = 0, rhs_evals = 0, jac_evals = 0, error_test_fails = 0, newton_fails = 0;
};

class CvodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CvodeIntegrator {
 public:
  CvodeIntegrator(int n, OdeRhs rhs, CvodeOptions options);
  ~CvodeIntegrator();
  CvodeIntegrator(const CvodeIntegrator&) = delete;
  CvodeIntegrator& operator=(const CvodeIntegrator&) = delete;

  int size() const { return n_; }

  // y(t1) from y(t0) = y0. Throws CvodeError on failure.
  void integrate(double t0, const double* y0, double t1, double* y1);
  // Same, and the n×n sensitivity G = ∂y(t1)/∂y(t0), column-major into G.
  void integrate_with_sensitivity(double t0, const double* y0, double t1, double* y1, double* G);
  // States at increasing times (all in (t0, t_end]); out has times.size()*n entries.
  void integrate_to_times(double t0, const double* y0, const std::vector<double>& times,
                          double* out);

  const CvodeStats& stats() const { return stats_; }  // accumulated over all calls

 private:
  static int rhs_callback(double t, N_Vector y, N_Vector ydot, void* user_data);
  // Sensitivity right-hand side J(t,y)·s by central directional differences whose step keeps
  // every component's relative change below 1e-6 (so positive states stay positive).
  static int jacobian_callback(double t, N_Vector y, N_Vector fy, SUNMatrix J, void* user_data,
                               N_Vector tmp1, N_Vector tmp2, N_Vector tmp3);
  static int sensitivity_callback(int ns, double t, N_Vector y, N_Vector ydot, N_Vector* yS,
                                  N_Vector* ySdot, void* user_data, N_Vector tmp1, N_Vector tmp2);
  void reinit(double t0, const double* y0, bool with_sensitivity);
  void accumulate_stats();
  [[noreturn]] void fail(const char* what, int flag, double t) const;

  int n_;
  OdeRhs rhs_;
  CvodeOptions options_;
  SundialsContext ctx_;
  NVectorPtr y_, atol_;
  N_Vector* sens_ = nullptr;  // n sensitivity vectors, allocated on first use
  void* cvode_ = nullptr;
  SUNMatrix matrix_ = nullptr;
  SUNLinearSolver linear_solver_ = nullptr;
  bool sens_initialized_ = false;
  CvodeStats stats_;
  std::string last_rhs_error_;
  std::vector<double> jacobian_buffer_;  // row-major n×n for options_.jacobian
};

}  // namespace footloose::solvers
