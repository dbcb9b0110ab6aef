#include "solvers/newton_krylov.hpp"

#include <kinsol/kinsol.h>
#include <sunlinsol/sunlinsol_spbcgs.h>
#include <sunlinsol/sunlinsol_spgmr.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "solvers/sundials_context.hpp"

namespace footloose::solvers {

namespace {

struct KinsolData {
  const NonlinearSystem* system;
  std::string last_error;
  long setups = 0;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  bool timed_out = false;
};

int residual_callback(N_Vector u, N_Vector F, void* user_data) {
  auto* data = static_cast<KinsolData*>(user_data);
  if (std::chrono::steady_clock::now() > data->deadline) {
    data->timed_out = true;
    return -1;  // unrecoverable: KINSOL stops
  }
  try {
    data->system->residual(N_VGetArrayPointer(u), N_VGetArrayPointer(F));
    const double* f = N_VGetArrayPointer(F);
    for (int i = 0; i < data->system->size; ++i) {
      if (!std::isfinite(f[i])) return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    data->last_error = e.what();
    return 1;  // recoverable
  }
}

int setup_callback(N_Vector u, N_Vector, N_Vector F, N_Vector, void* user_data) {
  auto* data = static_cast<KinsolData*>(user_data);
  try {
    data->system->preconditioner_setup(N_VGetArrayPointer(u), N_VGetArrayPointer(F));
    ++data->setups;
    return 0;
  } catch (const std::exception& e) {
    data->last_error = e.what();
    return -1;
  }
}

int solve_callback(N_Vector, N_Vector, N_Vector, N_Vector, N_Vector v, void* user_data) {
  auto* data = static_cast<KinsolData*>(user_data);
  try {
    data->system->preconditioner_solve(N_VGetArrayPointer(v));
    return 0;
  } catch (const std::exception& e) {
    data->last_error = e.what();
    return -1;
  }
}

int jtimes_callback(N_Vector v, N_Vector Jv, N_Vector, sunbooleantype*, void* user_data) {
  auto* data = static_cast<KinsolData*>(user_data);
  try {
    data->system->jacobian_times(N_VGetArrayPointer(v), N_VGetArrayPointer(Jv));
    return 0;
  } catch (const std::exception& e) {
    data->last_error = e.what();
    return -1;
  }
}

struct KinsolMemory {
  void* mem = nullptr;
  ~KinsolMemory() { KINFree(&mem); }
};
struct LinearSolverHolder {
  SUNLinearSolver ls = nullptr;
  ~LinearSolverHolder() {
    if (ls) SUNLinSolFree(ls);
  }
};

}  // namespace

NewtonKrylovSummary solve_newton_krylov(const NonlinearSystem& system, std::vector<double>& u,
                                        const NewtonKrylovOptions& options) {
  const int n = system.size;
  if (static_cast<int>(u.size()) != n) throw std::invalid_argument("newton_krylov: size mismatch");
  SundialsContext ctx;
  NVectorPtr uu = make_serial_vector(n, ctx), us = make_serial_vector(n, ctx),
             fs = make_serial_vector(n, ctx);
  for (int i = 0; i < n; ++i) {
    NV_Ith_S(uu.get(), i) = u[i];
    NV_Ith_S(us.get(), i) = system.u_scale.empty() ? 1.0 : system.u_scale[i];
    NV_Ith_S(fs.get(), i) = system.f_scale.empty() ? 1.0 : system.f_scale[i];
  }
  KinsolData data{&system, {}, 0};
  if (options.time_limit > 0.0) {
    data.deadline = std::chrono::steady_clock::now() +
                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(options.time_limit));
  }
  KinsolMemory kin;
  kin.mem = KINCreate(ctx);
  if (!kin.mem) throw std::runtime_error("KINCreate failed");
  if (KINInit(kin.mem, residual_callback, uu.get()) != KIN_SUCCESS) {
    throw std::runtime_error("KINInit failed");
  }
  KINSetUserData(kin.mem, &data);
  // KINSOL's own messages: silent (the summary says what happened) unless asked for.
  KINSetErrHandlerFn(
      kin.mem,
      [](int, const char*, const char* function, char* message, void* print) {
        if (*static_cast<const bool*>(print))
          std::fprintf(stderr, "KINSOL %s: %s\n", function, message);
      },
      const_cast<bool*>(&options.print_solver_messages));
  if (options.print_solver_messages) KINSetPrintLevel(kin.mem, 1);
  KINSetFuncNormTol(kin.mem, options.function_tolerance);
  KINSetScaledStepTol(kin.mem, options.step_tolerance);
  KINSetNumMaxIters(kin.mem, options.max_iterations);
  KINSetMaxSetupCalls(kin.mem, options.max_setup_calls);
  if (options.max_newton_step > 0.0) KINSetMaxNewtonStep(kin.mem, options.max_newton_step);

  NVectorPtr constraints;
  if (!system.constraints.empty()) {
    constraints = make_serial_vector(n, ctx);
    for (int i = 0; i < n; ++i) NV_Ith_S(constraints.get(), i) = system.constraints[i];
    KINSetConstraints(kin.mem, constraints.get());
  }
  LinearSolverHolder holder;
  const int prec = system.preconditioner_solve ? SUN_PREC_RIGHT : SUN_PREC_NONE;
  holder.ls = options.krylov == KrylovMethod::Spgmr
                  ? SUNLinSol_SPGMR(uu.get(), prec, options.max_krylov_dimension, ctx)
                  : SUNLinSol_SPBCGS(uu.get(), prec, options.max_krylov_dimension, ctx);
  if (options.krylov == KrylovMethod::Spgmr) SUNLinSol_SPGMRSetMaxRestarts(holder.ls, 0);
  if (KINSetLinearSolver(kin.mem, holder.ls, nullptr) != KIN_SUCCESS) {
    throw std::runtime_error("KINSetLinearSolver failed");
  }
  if (system.jacobian_times) KINSetJacTimesVecFn(kin.mem, jtimes_callback);
  if (system.preconditioner_solve) {
    KINSetPreconditioner(kin.mem, system.preconditioner_setup ? setup_callback : nullptr,
                         solve_callback);
  }

  NewtonKrylovSummary s;
  s.flag = KINSol(kin.mem, uu.get(), options.line_search ? KIN_LINESEARCH : KIN_NONE, us.get(),
                  fs.get());
  s.converged = s.flag == KIN_SUCCESS || s.flag == KIN_INITIAL_GUESS_OK;
  char* name = KINGetReturnFlagName(s.flag);
  s.message = (name ? std::string(name) : std::string("unknown")) + " (flag " +
              std::to_string(s.flag) + ")";
  free(name);
  KINGetNumNonlinSolvIters(kin.mem, &s.iterations);
  KINGetNumLinIters(kin.mem, &s.linear_iterations);
  KINGetNumFuncEvals(kin.mem, &s.function_evaluations);
  KINGetFuncNorm(kin.mem, &s.function_norm);
  s.preconditioner_setups = data.setups;
  s.last_residual_error = data.last_error;
  s.timed_out = data.timed_out;
  if (s.timed_out) {
    s.converged = false;
    s.message += ", time limit of " + std::to_string(options.time_limit) + " s reached";
  }
  for (int i = 0; i < n; ++i) u[i] = NV_Ith_S(uu.get(), i);
  // Independent check of the returned point.
  std::vector<double> F(n);
  try {
    system.residual(u.data(), F.data());
    double m = 0.0;
    for (int i = 0; i < n; ++i) {
      m = std::max(m, std::fabs(F[i]) * (system.f_scale.empty() ? 1.0 : system.f_scale[i]));
    }
    s.residual_max = m;
  } catch (const std::exception& e) {
    s.converged = false;
    s.residual_max = INFINITY;
    s.last_residual_error = e.what();
  }
  return s;
}

}  // namespace footloose::solvers
