#include "models/static_equilibria.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/pareto.hpp"
#include "solvers/scalar_root.hpp"

namespace footloose {

namespace {

void require_phi(double phi) {
  if (!(phi >= 0.0 && phi < 1.0)) throw ParameterError("phi", phi, "0 <= phi < 1");
}

// Domestic cut-off condition a^{1−σ}B = f solved for the demand level B at an interior cut-off a.
double demand_at_cutoff(const Parameters& p, double a) {
  return p.f() * std::pow(a, p.sigma - 1.0);  // cut-off condition a^{1−σ}B = f
}

// World capital when both free-entry conditions hold, or at autarky.
double world_capital(const Parameters& p) {
  return 1.0 / (p.beta() * p.fI());  // (9) Kw = 1/(βfI)
}

void require_autarky_interior(const Parameters& p) {
  if (!(p.fI() * (p.beta() - 1.0) < p.f())) {
    throw ParameterError("FI", p.FI,
                         "FI(beta-1) < F: the autarky closed form (6) needs an interior cut-off "
                         "aD < 1 (fI(beta-1) < f)");
  }
}

// HFT cut-offs and active firms at freeness φ, paper (9); requires an interior aD.
struct HftCore {
  double aD, aX, nw;
};
HftCore hft_core(const Parameters& p, double phi) {
  const double b = p.beta(), x = std::pow(phi, b);
  const double aD_rho = p.fI() * (b - 1.0) / (p.f() * (1.0 + x));  // paper (9)
  if (!(aD_rho < 1.0)) {
    throw ParameterError("FI", p.FI,
                         "fI(beta-1) < f(1+phi^beta): the HFT closed form (9) needs an interior "
                         "cut-off aD < 1 (phi = " +
                             std::to_string(phi) + ")");
  }
  HftCore h;
  h.aD = std::pow(aD_rho, 1.0 / p.rho);
  h.aX = std::pow(phi, 1.0 / (p.sigma - 1.0)) * h.aD;  // paper (9) aX = φ^{1/(σ−1)} aD
  h.nw = (1.0 - 1.0 / b) / (p.f() * (1.0 + x));        // paper (9)
  return h;
}

// All varieties produced in the North by Kw = 1/(βfI) units; (M5) with no South producers gives
// aD^ρ = sE fI(β−1)/f and aX^ρ = (1−sE) fI(β−1)/f (B from the North market, B* from the South's).
struct AgglomeratedCore {
  double aD, aX;
};
AgglomeratedCore agglomerated_core(const Parameters& p) {
  const double scale = p.fI() * (p.beta() - 1.0) / p.f();
  if (!(p.sE * scale < 1.0)) {
    throw ParameterError("FI", p.FI,
                         "sE fI(beta-1) < f: full agglomeration needs an interior aD < 1");
  }
  // (M5) with K* = 0 (or aR ≥ aD) and Kw = 1/(βfI), both cut-offs interior
  return {std::pow(p.sE * scale, 1.0 / p.rho), std::pow((1.0 - p.sE) * scale, 1.0 / p.rho)};
}

// Frozen selection: y = aX/aD solves φ y^{1−σ} − φ y^θ = 1 (y = 0 at φ = 0).
double frozen_export_ratio(const Parameters& p, double phi) {
  if (phi <= 0.0) return 0.0;
  const auto g = [&](double y) {
    return phi * std::pow(y, 1.0 - p.sigma) - phi * std::pow(y, p.theta()) - 1.0;  // frozen (17)
  };
  // g is decreasing, g(1) = −1 < 0 and g(lo) ≥ (2^{σ−1}−1)(1+φ) > 0 at this lo.
  const double lo = 0.5 * std::pow(phi / (1.0 + phi), 1.0 / (p.sigma - 1.0));
  solvers::ScalarRootOptions opt;
  opt.x_tolerance = 1e-16;
  const auto r = solvers::brent(g, lo, 1.0, opt);
  if (!r.converged) throw std::runtime_error("frozen export cut-off: root-finder did not converge");
  return r.root;
}

// aR^θ of the paper's (17) (XX phase) or (20) (DD phase) at sn = sE, with the phase.
struct Threshold {
  double aR_theta;
  RelocationPhase phase;
};
Threshold relocation_threshold(const Parameters& p, double phi, double aX) {
  const double sE = p.sE, aX_th = std::pow(aX, p.theta());
  if (phi <= phi_partition(p)) {
    return {aX_th * (2.0 * sE - 1.0) * phi / ((1.0 - phi) * (1.0 - sE)),
            RelocationPhase::XX};  // paper (17)
  }
  return {aX_th * sE * phi / (1.0 - sE), RelocationPhase::DD};  // paper (20)
}

// (M4) written as gap(sn, u) = LHS − RHS with u = aR^θ; affine in sn and in u.
double m4_gap(const Parameters& p, RelocationPhase phase, double phi, double aD, double aX,
              double sn, double u) {
  const double sE = p.sE, aD_th = std::pow(aD, p.theta()), aX_th = std::pow(aX, p.theta());
  if (phase == RelocationPhase::XX) {
    return (1.0 - sn) * (1.0 - phi) * u - (sn + sE - 1.0) * phi * aX_th -
           (sE - sn) * aD_th;  // (M4)
  }
  return (1.0 - sn) * u - sE * phi * aX_th - (sE - sn) * aD_th;  // (M4) DD phase
}

}  // namespace

AutarkyEquilibrium autarky(const Parameters& p) {
  validate(p);
  require_autarky_interior(p);
  const double b = p.beta();
  AutarkyEquilibrium e;
  e.aD = std::pow(p.fI() * (b - 1.0) / p.f(), 1.0 / p.rho);  // paper (6)
  e.n = p.sE * (b - 1.0) / (b * p.f());                      // paper (6)
  e.n_star = (1.0 - p.sE) * (b - 1.0) / (b * p.f());
  e.K = p.sE * world_capital(p);  // K = n/aD^ρ = E/(βfI)
  e.K_star = (1.0 - p.sE) * world_capital(p);
  e.B = e.B_star = demand_at_cutoff(p, e.aD);
  return e;
}

HftEquilibrium hft(const Parameters& p, double phi) {
  validate(p);
  require_phi(phi);
  const double x = std::pow(phi, p.beta());
  HftEquilibrium e;
  e.Kw = world_capital(p);
  if (p.sE * (1.0 + x) <= 1.0) {  // interior: sn ≤ 1
    const HftCore h = hft_core(p, phi);
    e.aD = e.aD_star = h.aD;
    e.aX = e.aX_star = h.aX;
    e.nw = h.nw;
    e.sn = 0.5 + (p.sE - 0.5) * (1.0 + x) / (1.0 - x);  // paper (9)
    e.K = e.sn * e.Kw;
    e.K_star = e.Kw - e.K;
    e.B = e.B_star = demand_at_cutoff(p, e.aD);
    return e;
  }
  // Full agglomeration (φ^β > (1−sE)/sE): free entry of North units, no South units.
  const AgglomeratedCore a = agglomerated_core(p);
  const Pareto pareto(p);
  e.full_agglomeration = true;
  e.aD = a.aD;
  e.aX = a.aX;
  e.K = e.Kw;
  e.K_star = 0.0;
  e.sn = 1.0;
  e.nw = e.K * std::pow(e.aD, p.rho);
  e.B = demand_at_cutoff(p, e.aD);
  e.B_star = demand_at_cutoff(p, e.aX) / phi;  // export cut-off φ aX^{1−σ} B* = f
  e.aD_star = pareto.cutoff(e.B_star);
  e.aX_star = pareto.cutoff(phi * e.B);
  return e;
}

double phi_partition(const Parameters& p) {
  validate(p);
  return (1.0 - p.sE) / p.sE;  // paper (18)
}

double phi_sustain_instant(const Parameters& p) {
  validate(p);
  return std::pow((1.0 - p.sE) / p.sE, 1.0 / p.beta());  // paper φS = ((1−sE)/sE)^{1/β}
}

std::optional<double> phi_sustain_frozen(const Parameters& p) {
  validate(p);
  // frozen sustain point: y^θ sE φ/(1−sE) = 1 (aR = aD in (20))
  const auto excess = [&](double phi) {
    return std::pow(frozen_export_ratio(p, phi), p.theta()) * p.sE * phi / (1.0 - p.sE) - 1.0;
  };
  // excess is increasing in φ, negative at φP; its supremum on [0,1) is its value at φ = 1.
  if (!(excess(1.0) > 0.0)) return std::nullopt;
  solvers::ScalarRootOptions opt;
  opt.x_tolerance = 1e-15;
  const auto r = solvers::brent(excess, phi_partition(p), 1.0, opt);
  if (!r.converged) throw std::runtime_error("frozen sustain point: root-finder did not converge");
  return r.root;
}

RelocationEquilibrium instant_relocation(const Parameters& p, double phi,
                                         SelectionReading reading) {
  const AutarkyEquilibrium aut = autarky(p);  // validates p; capital stays at autarky
  require_phi(phi);
  const double Kw = aut.K + aut.K_star;
  RelocationEquilibrium e;
  e.reading = reading;
  e.sn = p.sE;
  if (reading == SelectionReading::Instant) {
    const HftCore h = hft_core(p, phi);
    e.aD = h.aD;
    e.aX = h.aX;
  } else {
    e.aD = aut.aD;
    e.aX = frozen_export_ratio(p, phi) * aut.aD;
  }
  const Threshold t = relocation_threshold(p, phi, e.aX);
  e.phase = t.phase;
  if (t.aR_theta <= std::pow(e.aD, p.theta())) {
    e.aR = std::pow(t.aR_theta, 1.0 / p.theta());
    e.nw = Kw * std::pow(e.aD, p.rho);  // active units: Kw G(aD)
    // (15) summed over both markets with B = B*: 1 = B c Kw (aD^θ + φ aX^θ)
    e.B = e.B_star =
        1.0 / (p.c() * Kw * (std::pow(e.aD, p.theta()) + phi * std::pow(e.aX, p.theta())));
    return e;
  }
  // Past the sustain point: every South-born unit produces in the North (aR = aD), B > B*.
  e.sustained = true;
  e.phase = RelocationPhase::DD;
  if (reading == SelectionReading::Instant) {
    const AgglomeratedCore a = agglomerated_core(p);
    e.aD = a.aD;
    e.aX = a.aX;
    e.B = demand_at_cutoff(p, e.aD);
  } else {
    // Frozen aD, nw: (15) with all units in the North; export cut-off gives aX^ρ = (1−sE) aD^ρ.
    e.aX = std::pow(1.0 - p.sE, 1.0 / p.rho) * e.aD;
    e.B = p.sE / (p.c() * Kw * std::pow(e.aD, p.theta()));  // (15) North: m̄ = c Kw aD^θ
  }
  e.aR = e.aD;
  e.nw = Kw * std::pow(e.aD, p.rho);
  e.B_star = demand_at_cutoff(p, e.aX) / phi;  // export cut-off φ aX^{1−σ} B* = f
  return e;
}

PaperGeneralSn paper_general_sn(const Parameters& p, double phi, double sn) {
  validate(p);
  require_phi(phi);
  if (!(sn > 0.0 && sn <= 1.0)) throw ParameterError("sn", sn, "0 < sn <= 1");
  const double b = p.beta(), x = std::pow(phi, b), f = p.f(), fI = p.fI();
  const double denom22 = b * (sn / p.sE - 1.0) + 1.0 + x;
  if (!(denom22 > 0.0)) {
    throw ParameterError("sn", sn, "beta(sn/sE - 1) + 1 + phi^beta > 0 for the paper's (22)");
  }
  PaperGeneralSn g;
  g.nw = (1.0 - 1.0 / b) / (f * (sn / p.sE + x));        // paper (21)
  const double aD_rho = fI * (b - 1.0) / (f * denom22);  // paper (22)
  if (!(aD_rho < 1.0))
    throw ParameterError("FI", p.FI, "an interior cut-off aD < 1 in the paper's (22)");
  g.aD = std::pow(aD_rho, 1.0 / p.rho);
  g.aD_reloc_pow = std::pow(f * denom22 / (fI * (b - 1.0)), 1.0 / b);      // paper (25) reloc
  g.aD_noreloc_pow = std::pow(f * (1.0 + x) / (fI * (b - 1.0)), 1.0 / b);  // paper (25) no reloc
  g.mstar_ratio = std::pow(1.0 + b * (sn / p.sE - 1.0) / (1.0 + x), 1.0 / b);  // paper (26)
  return g;
}

namespace {
CurvePoint curve_base(const Parameters& p, double phi) {
  validate(p);
  require_phi(phi);
  if (!(phi < phi_sustain_instant(p))) {
    throw ParameterError("phi", phi,
                         "phi < ((1-sE)/sE)^(1/beta): beyond the sustain point HFT is full "
                         "agglomeration and the steady-state curve (M4) is a single point");
  }
  const HftCore h = hft_core(p, phi);
  CurvePoint c;
  c.nw = h.nw;
  c.aD = h.aD;
  c.aX = h.aX;
  const double B = demand_at_cutoff(p, h.aD);  // B = B* on the curve
  c.mbar = p.sE / B;
  c.mbar_star = (1.0 - p.sE) / B;
  return c;
}

[[noreturn]] void off_curve(const char* what, double value, double lo, double hi) {
  throw ParameterError(what, value,
                       "a point of the steady-state curve (M4): " + std::string(what) + " in [" +
                           std::to_string(lo) + ", " + std::to_string(hi) + "]");
}
}  // namespace

CurvePoint corrected_curve_at_sn(const Parameters& p, double phi, double sn) {
  CurvePoint c = curve_base(p, phi);
  const double sn_hft = hft(p, phi).sn;
  const double slack = 1e-13;
  if (!(sn >= p.sE - slack && sn <= sn_hft + slack)) off_curve("sn", sn, p.sE, sn_hft);
  c.sn = sn;
  // (M4) is affine in u = aR^θ: u = −gap(sn,0)/(gap(sn,1) − gap(sn,0)); DD if u exceeds aX^θ.
  // Near sn_HFT the right side cancels; a u within rounding of the aD^θ-sized terms is 0.
  const double noise = 16.0 * std::numeric_limits<double>::epsilon() * std::pow(c.aD, p.theta());
  const auto solve_u = [&](RelocationPhase ph) {
    const double g0 = m4_gap(p, ph, phi, c.aD, c.aX, sn, 0.0);
    const double slope = m4_gap(p, ph, phi, c.aD, c.aX, sn, 1.0) - g0;
    return std::fabs(g0) <= noise ? 0.0 : -g0 / slope;
  };
  double u = solve_u(RelocationPhase::XX);
  c.phase = RelocationPhase::XX;
  if (u > std::pow(c.aX, p.theta())) {
    u = solve_u(RelocationPhase::DD);
    c.phase = RelocationPhase::DD;
  }
  c.aR = std::pow(std::max(u, 0.0), 1.0 / p.theta());
  return c;
}

CurvePoint corrected_curve_at_aR(const Parameters& p, double phi, double aR) {
  CurvePoint c = curve_base(p, phi);
  const double aR_max = std::pow(relocation_threshold(p, phi, c.aX).aR_theta, 1.0 / p.theta());
  if (!(aR >= 0.0 && aR <= aR_max * (1.0 + 1e-13))) off_curve("aR", aR, 0.0, aR_max);
  c.aR = aR;
  c.phase = aR <= c.aX ? RelocationPhase::XX : RelocationPhase::DD;
  // (M4) is affine in sn: sn = −gap(0,u)/(gap(1,u) − gap(0,u)).
  const double u = std::pow(aR, p.theta());
  const double g0 = m4_gap(p, c.phase, phi, c.aD, c.aX, 0.0, u);
  c.sn = -g0 / (m4_gap(p, c.phase, phi, c.aD, c.aX, 1.0, u) - g0);
  return c;
}

}  // namespace footloose
