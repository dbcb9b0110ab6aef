#include "solvers/cvode_integrator.hpp"

#include <cvodes/cvodes.h>
#include <sundials/sundials_math.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace footloose::solvers {

CvodeIntegrator::CvodeIntegrator(int n, OdeRhs rhs, CvodeOptions options)
    : n_(n), rhs_(std::move(rhs)), options_(std::move(options)) {
  y_ = make_serial_vector(n_, ctx_);
  atol_ = make_serial_vector(n_, ctx_);
  for (int i = 0; i < n_; ++i) {
    NV_Ith_S(atol_.get(), i) = options_.atol.empty() ? 1e-12 : options_.atol.at(i);
  }
  cvode_ = CVodeCreate(options_.method == IntegrationMethod::Adams ? CV_ADAMS : CV_BDF, ctx_);
  if (!cvode_) throw CvodeError("CVodeCreate failed");
  if (CVodeInit(cvode_, rhs_callback, 0.0, y_.get()) != CV_SUCCESS) fail("CVodeInit", -1, 0.0);
  CVodeSetUserData(cvode_, this);
  CVodeSVtolerances(cvode_, options_.rtol, atol_.get());
  CVodeSetMaxNumSteps(cvode_, options_.max_steps);
  if (options_.max_step > 0.0) CVodeSetMaxStep(cvode_, options_.max_step);
  // CVODE's own messages: silent (failures come back as CvodeError) unless asked for.
  CVodeSetErrHandlerFn(
      cvode_,
      [](int, const char*, const char* fn, char* msg, void* print) {
        if (*static_cast<const bool*>(print)) std::fprintf(stderr, "CVODE %s: %s\n", fn, msg);
      },
      &options_.print_solver_messages);
  matrix_ = SUNDenseMatrix(n_, n_, ctx_);
  linear_solver_ = SUNLinSol_Dense(y_.get(), matrix_, ctx_);
  if (CVodeSetLinearSolver(cvode_, linear_solver_, matrix_) != CV_SUCCESS) {
    fail("CVodeSetLinearSolver", -1, 0.0);
  }
  if (options_.jacobian) {
    jacobian_buffer_.resize(static_cast<size_t>(n_) * n_);
    CVodeSetJacFn(cvode_, jacobian_callback);
  }
}

CvodeIntegrator::~CvodeIntegrator() {
  if (sens_initialized_) CVodeSensFree(cvode_);
  if (sens_) N_VDestroyVectorArray(sens_, n_);
  CVodeFree(&cvode_);
  SUNLinSolFree(linear_solver_);
  SUNMatDestroy(matrix_);
}

int CvodeIntegrator::rhs_callback(double t, N_Vector y, N_Vector ydot, void* user_data) {
  auto* self = static_cast<CvodeIntegrator*>(user_data);
  try {
    self->rhs_(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    for (int i = 0; i < self->n_; ++i) {
      if (!std::isfinite(NV_Ith_S(ydot, i))) return 1;  // recoverable: CVODE shrinks the step
    }
    return 0;
  } catch (const std::exception& e) {
    self->last_rhs_error_ = e.what();
    return 1;
  }
}

int CvodeIntegrator::jacobian_callback(double t, N_Vector y, N_Vector, SUNMatrix J, void* user_data,
                                       N_Vector, N_Vector, N_Vector) {
  auto* self = static_cast<CvodeIntegrator*>(user_data);
  const int n = self->n_;
  try {
    self->options_.jacobian(t, N_VGetArrayPointer(y), self->jacobian_buffer_.data());
  } catch (const std::exception& e) {
    self->last_rhs_error_ = e.what();
    return 1;
  }
  for (int j = 0; j < n; ++j) {
    double* column = SUNDenseMatrix_Column(J, j);
    for (int i = 0; i < n; ++i) column[i] = self->jacobian_buffer_[static_cast<size_t>(i) * n + j];
  }
  return 0;
}

int CvodeIntegrator::sensitivity_callback(int ns, double t, N_Vector y, N_Vector, N_Vector* yS,
                                          N_Vector* ySdot, void* user_data, N_Vector tmp1,
                                          N_Vector tmp2) {
  auto* self = static_cast<CvodeIntegrator*>(user_data);
  const int n = self->n_;
  if (self->options_.jacobian) {  // exact: ṡ_j = J(t, y) s_j
    try {
      self->options_.jacobian(t, N_VGetArrayPointer(y), self->jacobian_buffer_.data());
    } catch (const std::exception& e) {
      self->last_rhs_error_ = e.what();
      return 1;
    }
    const double* J = self->jacobian_buffer_.data();
    for (int j = 0; j < ns; ++j) {
      const double* s = N_VGetArrayPointer(yS[j]);
      double* out = N_VGetArrayPointer(ySdot[j]);
      for (int i = 0; i < n; ++i) {
        double sum = 0.0;
        for (int k = 0; k < n; ++k) sum += J[static_cast<size_t>(i) * n + k] * s[k];
        out[i] = sum;
      }
    }
    return 0;
  }
  const double* yy = N_VGetArrayPointer(y);
  const double* atol = N_VGetArrayPointer(self->atol_.get());
  double* yp = N_VGetArrayPointer(tmp1);
  double* ym = N_VGetArrayPointer(tmp2);
  std::vector<double> fp(n), fm(n);
  try {
    for (int j = 0; j < ns; ++j) {
      const double* s = N_VGetArrayPointer(yS[j]);
      double* out = N_VGetArrayPointer(ySdot[j]);
      // Step: each component moves by at most 1e-6 of its size (of |y_i| alone for the
      // components that must stay positive, else of max(|y_i|, typical_i)).
      double ratio = 0.0;
      for (int i = 0; i < n; ++i) {
        const double typical = self->options_.typical.empty() ? 1.0 : self->options_.typical[i];
        const bool positive = !self->options_.positive.empty() && self->options_.positive[i];
        const double size =
            positive ? std::fabs(yy[i]) + atol[i] : std::max(std::fabs(yy[i]), typical);
        ratio = std::max(ratio, std::fabs(s[i]) / size);
      }
      if (ratio == 0.0) {
        for (int i = 0; i < n; ++i) out[i] = 0.0;
        continue;
      }
      const double h = 1e-6 / ratio;
      for (int i = 0; i < n; ++i) {
        yp[i] = yy[i] + h * s[i];
        ym[i] = yy[i] - h * s[i];
      }
      self->rhs_(t, yp, fp.data());
      self->rhs_(t, ym, fm.data());
      for (int i = 0; i < n; ++i) out[i] = (fp[i] - fm[i]) / (2.0 * h);
    }
    return 0;
  } catch (const std::exception& e) {
    self->last_rhs_error_ = e.what();
    return 1;
  }
}

void CvodeIntegrator::fail(const char* what, int flag, double t) const {
  std::ostringstream os;
  os << "CVODE " << what << " failed (flag " << flag << ") at t = " << t;
  if (!last_rhs_error_.empty()) os << "; last right-hand-side error: " << last_rhs_error_;
  throw CvodeError(os.str());
}

void CvodeIntegrator::reinit(double t0, const double* y0, bool with_sensitivity) {
  last_rhs_error_.clear();
  for (int i = 0; i < n_; ++i) NV_Ith_S(y_.get(), i) = y0[i];
  int flag = CVodeReInit(cvode_, t0, y_.get());
  if (flag != CV_SUCCESS) fail("CVodeReInit", flag, t0);
  if (with_sensitivity) {
    if (!sens_) sens_ = N_VCloneVectorArray(n_, y_.get());
    for (int j = 0; j < n_; ++j) {
      N_VConst(0.0, sens_[j]);
      NV_Ith_S(sens_[j], j) = 1.0;
    }
    if (!sens_initialized_) {
      flag = CVodeSensInit(cvode_, n_, CV_STAGGERED, sensitivity_callback, sens_);
      if (flag != CV_SUCCESS) fail("CVodeSensInit", flag, t0);
      sens_initialized_ = true;
      // Sensitivities to the initial state: tolerances scaled like the state's.
      std::vector<double> atolS(static_cast<size_t>(n_) * n_);
      std::vector<N_Vector> abs(n_);
      for (int j = 0; j < n_; ++j) abs[j] = atol_.get();
      const double rtolS =
          options_.sensitivity_rtol > 0.0 ? options_.sensitivity_rtol : options_.rtol;
      CVodeSensSVtolerances(cvode_, rtolS, abs.data());
      CVodeSetSensErrCon(cvode_, SUNTRUE);  // G must be accurate: it is the Newton matrix

    } else {
      flag = CVodeSensReInit(cvode_, CV_STAGGERED, sens_);
      if (flag != CV_SUCCESS) fail("CVodeSensReInit", flag, t0);
    }
  } else if (sens_initialized_) {
    CVodeSensToggleOff(cvode_);
  }
}

void CvodeIntegrator::accumulate_stats() {
  long v = 0;
  CVodeGetNumSteps(cvode_, &v);
  stats_.steps += v;
  CVodeGetNumRhsEvals(cvode_, &v);
  stats_.rhs_evals += v;
  CVodeGetNumJacEvals(cvode_, &v);
  stats_.jac_evals += v;
  CVodeGetNumErrTestFails(cvode_, &v);
  stats_.error_test_fails += v;
  CVodeGetNumNonlinSolvConvFails(cvode_, &v);
  stats_.newton_fails += v;
}

void CvodeIntegrator::integrate(double t0, const double* y0, double t1, double* y1) {
  integrate_to_times(t0, y0, {t1}, y1);
}

void CvodeIntegrator::integrate_to_times(double t0, const double* y0,
                                         const std::vector<double>& times, double* out) {
  reinit(t0, y0, false);
  if (times.empty()) return;
  CVodeSetStopTime(cvode_, times.back());
  double t = t0;
  for (size_t k = 0; k < times.size(); ++k) {
    if (times[k] <= t0) {
      for (int i = 0; i < n_; ++i) out[k * n_ + i] = y0[i];
      continue;
    }
    const int flag = CVode(cvode_, times[k], y_.get(), &t, CV_NORMAL);
    if (flag < 0) {
      accumulate_stats();
      fail("CVode", flag, t);
    }
    for (int i = 0; i < n_; ++i) out[k * n_ + i] = NV_Ith_S(y_.get(), i);
  }
  accumulate_stats();
}

void CvodeIntegrator::integrate_with_sensitivity(double t0, const double* y0, double t1, double* y1,
                                                 double* G) {
  reinit(t0, y0, true);
  CVodeSetStopTime(cvode_, t1);
  double t = t0;
  int flag = CVode(cvode_, t1, y_.get(), &t, CV_NORMAL);
  accumulate_stats();
  if (flag < 0) fail("CVode (with sensitivities)", flag, t);
  for (int i = 0; i < n_; ++i) y1[i] = NV_Ith_S(y_.get(), i);
  flag = CVodeGetSens(cvode_, &t, sens_);
  if (flag != CV_SUCCESS) fail("CVodeGetSens", flag, t);
  for (int j = 0; j < n_; ++j) {
    for (int i = 0; i < n_; ++i) G[j * n_ + i] = NV_Ith_S(sens_[j], i);
  }
  CVodeSensToggleOff(cvode_);
}

}  // namespace footloose::solvers
