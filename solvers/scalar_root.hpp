// Safeguarded scalar root-finding: bracket expansion + Brent's method (inverse quadratic
// interpolation and secant steps, falling back to bisection). Generic numerics only.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace footloose::solvers {

struct ScalarRootOptions {
  double x_tolerance = 4.0 * std::numeric_limits<double>::epsilon();  // relative, on x
  double f_tolerance = 0.0;  // absolute on |f|; 0 = run to the x tolerance
  int max_iterations = 200;
  int max_bracket_expansions = 200;
  double expansion_factor = 4.0;  // multiplicative expansion (for a positive variable)
};

struct ScalarRootResult {
  double root = std::numeric_limits<double>::quiet_NaN();
  double residual = std::numeric_limits<double>::quiet_NaN();
  int iterations = 0;
  bool converged = false;
};

class ScalarRootError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Brent's method on [a, b] with f(a)·f(b) ≤ 0.
template <class F>
ScalarRootResult brent(F&& f, double a, double b, const ScalarRootOptions& opt = {}) {
  double fa = f(a), fb = f(b);
  ScalarRootResult res;
  if (fa == 0.0) return {a, 0.0, 0, true};
  if (fb == 0.0) return {b, 0.0, 0, true};
  if ((fa > 0.0) == (fb > 0.0)) {
    std::ostringstream os;
    os << "brent: root not bracketed: f(" << a << ") = " << fa << ", f(" << b << ") = " << fb;
    throw ScalarRootError(os.str());
  }
  double c = a, fc = fa, d = b - a, e = d;
  for (int it = 1; it <= opt.max_iterations; ++it) {
    if ((fb > 0.0) == (fc > 0.0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (std::fabs(fc) < std::fabs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol = 2.0 * opt.x_tolerance * std::fabs(b) + 1e-300;
    const double m = 0.5 * (c - b);
    if (std::fabs(m) <= tol || fb == 0.0 || std::fabs(fb) <= opt.f_tolerance) {
      return {b, fb, it, true};
    }
    if (std::fabs(e) >= tol && std::fabs(fa) > std::fabs(fb)) {
      double p, q, r;
      const double s = fb / fa;
      if (a == c) {  // secant
        p = 2.0 * m * s;
        q = 1.0 - s;
      } else {  // inverse quadratic interpolation
        q = fa / fc;
        r = fb / fc;
        p = s * (2.0 * m * q * (q - r) - (b - a) * (r - 1.0));
        q = (q - 1.0) * (r - 1.0) * (s - 1.0);
      }
      if (p > 0.0)
        q = -q;
      else
        p = -p;
      if (2.0 * p < std::min(3.0 * m * q - std::fabs(tol * q), std::fabs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += std::fabs(d) > tol ? d : (m > 0.0 ? tol : -tol);
    fb = f(b);
  }
  res.root = b;
  res.residual = fb;
  res.iterations = opt.max_iterations;
  res.converged = false;
  return res;
}

// Root of an increasing function on (0, ∞): expands [lo, hi] geometrically from a guess until
// it brackets the root, then runs Brent. Throws ScalarRootError if no bracket is found.
template <class F>
ScalarRootResult solve_increasing_positive(F&& f, double guess, const ScalarRootOptions& opt = {}) {
  if (!(guess > 0.0) || !std::isfinite(guess)) guess = 1.0;
  double lo = guess / opt.expansion_factor, hi = guess * opt.expansion_factor;
  double flo = f(lo), fhi = f(hi);
  int n = 0;
  while (flo > 0.0 && n++ < opt.max_bracket_expansions) {
    hi = lo;
    fhi = flo;
    lo /= opt.expansion_factor;
    flo = f(lo);
  }
  while (fhi < 0.0 && n++ < opt.max_bracket_expansions) {
    lo = hi;
    flo = fhi;
    hi *= opt.expansion_factor;
    fhi = f(hi);
  }
  if (flo > 0.0 || fhi < 0.0) {
    std::ostringstream os;
    os << "solve_increasing_positive: no sign change found in [" << lo << ", " << hi << "]";
    throw ScalarRootError(os.str());
  }
  return brent(f, lo, hi, opt);
}

// Safeguarded Newton for a function g that increases with slope at least slope_min > 0
// everywhere (where g is finite). g(u0) then brackets the root: it lies between u0 and
// u0 − g(u0)/slope_min. Newton steps that leave the current bracket, and non-finite values,
// fall back to bisection. value_and_slope(u) returns {g(u), g'(u)}; g may be −∞ (treated as
// "root is above u"). Converged when the step or the bracket is below x_tolerance·max(1, |u|);
// a Newton step that small is taken without evaluating g after it (residual: g before it).
//
// Quadratic acceptance: curvature_bound(u, next) returns M ≥ |g''| on the segment from the last
// evaluated point u to the Newton step's end next, with g twice differentiable there (+∞ when
// the caller cannot tell, e.g. a kink in between). Taylor about u, where the step cancels
// g + g'·step: |g(next)| ≤ ½M·step², and the slope bound gives |next − root| ≤ |g(next)|/slope_min.
// When that is below the tolerance, next is returned without evaluating g there.
template <class F, class Curvature>
ScalarRootResult newton_increasing(F&& value_and_slope, double u0, double slope_min,
                                   const ScalarRootOptions& opt, Curvature&& curvature_bound) {
  ScalarRootResult res;
  auto [g, dg] = value_and_slope(u0);
  double lo = -std::numeric_limits<double>::infinity(),
         hi = std::numeric_limits<double>::infinity();
  double u = u0;
  for (int it = 1; it <= opt.max_iterations; ++it) {
    if (g == 0.0) return {u, 0.0, it, true};
    if (g > 0.0)
      hi = std::min(hi, u);
    else
      lo = std::max(lo, u);
    if (std::isfinite(g)) {  // the slope bound closes the bracket
      if (g > 0.0)
        lo = std::max(lo, u - g / slope_min);
      else
        hi = std::min(hi, u - g / slope_min);
    }
    double next = std::isfinite(g) && dg > 0.0 && std::isfinite(dg) ? u - g / dg : NAN;
    const bool newton_step = next > lo && next < hi;
    if (!newton_step) {  // outside the bracket (or NaN): bisect, or expand up
      next = std::isfinite(lo) && std::isfinite(hi) ? 0.5 * (lo + hi)
                                                    : (std::isfinite(lo) ? lo + 1.0 : hi - 1.0);
    }
    const double step = next - u;
    const double tol = opt.x_tolerance * std::max(1.0, std::fabs(next));
    if (std::fabs(step) <= tol && std::isfinite(g)) return {next, g, it, true};
    if (newton_step &&
        0.5 * curvature_bound(u, next) * step * step <= tol * slope_min) {  // |next − root| ≤ tol
      return {next, g, it, true};
    }
    u = next;
    std::tie(g, dg) = value_and_slope(u);
    if (std::fabs(step) <= tol || hi - lo <= tol) {
      return {u, g, it, std::isfinite(g)};
    }
  }
  res.root = u;
  res.residual = g;
  res.iterations = opt.max_iterations;
  res.converged = false;
  return res;
}

// The same without a curvature bound: every step but a tiny one is evaluated.
template <class F>
ScalarRootResult newton_increasing(F&& value_and_slope, double u0, double slope_min,
                                   const ScalarRootOptions& opt = {}) {
  return newton_increasing(std::forward<F>(value_and_slope), u0, slope_min, opt,
                           [](double, double) { return std::numeric_limits<double>::infinity(); });
}

}  // namespace footloose::solvers
