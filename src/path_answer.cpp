#include "src/path_answer.hpp"

#include <cmath>

namespace footloose {

namespace {

// The single-front results (sequential or optimal timing) share their fields.
template <class FrontResult>
PathAnswer front_answer(const FrontResult& r, double rho) {
  PathAnswer a;
  a.converged = r.converged;
  a.trustworthy = r.trustworthy();
  a.termination = solvers::to_string(r.bvp.termination);
  a.message = r.message;
  if (!r.converged) return a;
  a.sn_inf = r.sn_inf;
  a.sk_inf = r.sk_inf;
  a.lambda_R = r.lambda_R;
  a.aR_inf = r.aR_inf;
  a.moved_share = std::pow(r.aR_inf, rho);
  if (r.error_estimate.available) a.error_estimate = r.error_estimate.path;
  return a;
}

}  // namespace

PathAnswer path_answer(const TransitionResult& r, double rho) {
  return front_answer(r, rho);
}

PathAnswer path_answer(const TypeResolvedResult& r) {
  PathAnswer a;
  a.converged = r.converged;
  a.trustworthy = r.trustworthy();
  a.termination = solvers::to_string(r.fixed_point.termination);
  a.message = r.message.empty() ? r.fixed_point.brief_report() : r.message;
  if (!r.converged) return a;
  a.sn_inf = r.sn_inf;
  a.sk_inf = r.sk_inf;
  a.lambda_R = r.lambda_R;
  a.moved_share = r.U_inf;
  return a;
}

PathAnswer path_answer(const OptimalTimingResult& r, double rho) {
  return front_answer(r, rho);
}

}  // namespace footloose
