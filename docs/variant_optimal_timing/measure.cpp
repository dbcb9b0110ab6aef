// The measured tables of docs/variant_optimal_timing.md: sequential (solve_transition) against
// optimal (Nash) timing (solve_optimal_timing), default options of both, baseline calibration.
// Build and run (from the repository root, against a built libfootloose_core.a):
//   g++ -std=c++17 -O2 -I. -I/usr/include/eigen3 docs/variant_optimal_timing/measure.cpp
//     <build>/libfootloose_core.a -lsundials_cvodes -lsundials_kinsol -lsundials_nvecserial
//     -lsundials_sunlinsoldense -lsundials_sunlinsolspgmr -lsundials_sunlinsolspbcgs
//     -lsundials_sunmatrixdense -lsundials_generic -lquadmath -o measure && ./measure
// (one command line).
#include <cmath>
#include <cstdio>

#include "models/optimal_timing.hpp"
#include "solvers/collocation.hpp"

using namespace footloose;

namespace {

// First t with u = aR^ρ = u∞/2 on the sequential path's collocation cubic (bisection).
double sequential_half_time(const Parameters& p, const TradePath& path, const TransitionResult& r) {
  TransitionOptions o;
  o.start_time = 0.0;
  const auto pb = make_path_problem(p, path, {}, o, r.aR_inf);
  const double w_half = std::pow(0.5 * std::pow(r.aR_inf, p.rho), (p.rho + p.sigma - 1.0) / p.rho);
  double lo = 0.0, hi = r.horizon;
  for (int it = 0; it < 80; ++it) {
    const double mid = 0.5 * (lo + hi);
    const double w =
        solvers::evaluate_collocation_solution(pb->bvp, r.bvp.solution, {mid})[kRelocationState];
    (w < w_half ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

const char* flag(bool ok) {
  return ok ? "ok" : "FLAG";
}

void row(const Parameters& p, const char* label) {
  const TradePath path{TradePathKind::Jump, p.phi0, p.phi1, 0.0};
  const TransitionResult seq = solve_transition(p, path, {}, TransitionOptions{});
  const OptimalTimingResult nash = solve_optimal_timing(p, path, {}, OptimalTimingOptions{});
  if (!seq.converged || !nash.converged) {
    std::printf("| %s | FAILED: %s / %s |\n", label, seq.message.c_str(), nash.message.c_str());
    return;
  }
  const double ratio = (1.0 - nash.lambda_R) / (1.0 - seq.lambda_R);
  std::printf(
      "| %s | %.6f | %.6f | %.4f | %.6f | %.6f | %.5f | %.3e | %.4f | %.4f | V0 %s V1 %s V2 %s | "
      "NV2 %s B>=B* %s V1 %s surplus %s | saddle %s/%s | %.1e / %.1e | %.2f / %.2f |\n",
      label, seq.lambda_R, nash.lambda_R, ratio, seq.sk_inf, nash.sk_inf, nash.q0, nash.omega0,
      sequential_half_time(p, path, seq), nash.half_relocation_time, flag(seq.validity.v0.ok),
      flag(seq.validity.v1.ok), flag(seq.validity.v2.ok), flag(nash.validity.nv2.ok),
      flag(nash.validity.demand_order.ok), flag(nash.validity.v1.ok),
      flag(nash.validity.surplus.ok), flag(seq.saddle.ok), flag(nash.saddle.ok),
      seq.error_estimate.lambda_R, nash.error_estimate.lambda_R, seq.solve_seconds,
      nash.solve_seconds);
}

}  // namespace

// Nash only, other calibrations: does the solve converge, and what do the checks say.
void other_calibration(const char* label, const Parameters& p) {
  const TradePath path{TradePathKind::Jump, p.phi0, p.phi1, 0.0};
  const OptimalTimingResult r = solve_optimal_timing(p, path, {}, OptimalTimingOptions{});
  if (!r.converged) {
    std::printf("| %s | FAILED: %s |\n", label, r.message.c_str());
    return;
  }
  std::printf("| %s | %.6f | %.5f | %.3e | %.4f | %s %s %s %s | %s | %.1e | %d | %.2f |\n", label,
              r.lambda_R, r.q0, r.omega0, r.half_relocation_time, flag(r.validity.nv2.ok),
              flag(r.validity.demand_order.ok), flag(r.validity.v1.ok), flag(r.validity.surplus.ok),
              flag(r.saddle.ok), r.error_estimate.path, r.bvp.intervals, r.solve_seconds);
}

int main() {
  std::printf(
      "| case | lambda_R seq | lambda_R Nash | (1-lR)Nash/(1-lR)seq | sk_inf seq | sk_inf Nash | "
      "q0 | Omega(0) | t_half seq | t_half Nash | validity seq | validity Nash | saddle | "
      "err lambda_R seq/Nash | seconds seq/Nash |\n");
  for (double ratio : {0.01, 1.0, 100.0, 1e4}) {
    Parameters p;
    p.gamma_E = 1.0;
    p.gamma_R = ratio;
    char label[64];
    std::snprintf(label, sizeof label, "gR/gE = %g", ratio);
    row(p, label);
  }
  for (double phi1 : {0.1, 0.2, 0.4, 0.6}) {
    Parameters p;
    p.phi1 = phi1;
    char label[64];
    std::snprintf(label, sizeof label, "phi1 = %g", phi1);
    row(p, label);
  }
  std::printf(
      "\n| calibration | lambda_R | q0 | Omega(0) | t_half | NV2 B>=B* V1 surplus | saddle | "
      "error (scaled) | intervals | seconds |\n");
  const auto with = [](auto change) {
    Parameters p;
    change(p);
    return p;
  };
  other_calibration("sigma = 5 (beta 1.5)", with([](Parameters& p) { p.sigma = 5; }));
  other_calibration("rho = 5 (beta 5/3)", with([](Parameters& p) { p.rho = 5; }));
  other_calibration("rho = 8 (beta 8/3)", with([](Parameters& p) { p.rho = 8; }));
  other_calibration("rho = 3.6 (beta 1.2)", with([](Parameters& p) { p.rho = 3.6; }));
  other_calibration("sE = 0.7", with([](Parameters& p) { p.sE = 0.7; }));
  other_calibration("r = 0.05", with([](Parameters& p) { p.r = 0.05; }));
  other_calibration("delta = 0.3", with([](Parameters& p) { p.delta = 0.3; }));
  other_calibration("gamma_R = 1e-3", with([](Parameters& p) { p.gamma_R = 1e-3; }));
  other_calibration("gamma_R = 1e6", with([](Parameters& p) { p.gamma_R = 1e6; }));
  other_calibration("gamma_E = 1e-2", with([](Parameters& p) { p.gamma_E = 1e-2; }));
  other_calibration("phi1 = 0.05", with([](Parameters& p) { p.phi1 = 0.05; }));
  other_calibration("phi1 = 0.8", with([](Parameters& p) { p.phi1 = 0.8; }));
}
