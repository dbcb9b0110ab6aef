#include "models/dynamics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/pareto.hpp"
#include "models/productivity_welfare.hpp"
#include "solvers/scalar_root.hpp"

namespace footloose {

GeneralModel::GeneralModel(const Parameters& p, const TradePath& phi_path)
    : p_(p),
      phi_path_(phi_path),
      phi1_roots_(Pareto(p).cutoff_roots(phi_path.phi1)),
      level_constants_(p) {
  validate(p_);
  if (!(p_.gamma_E > 0.0)) {
    throw ParameterError("gamma_E", p_.gamma_E,
                         "gamma_E > 0 for the dynamic model (gamma_E = 0 is the static HFT case)");
  }
  if (!(p_.gamma_R > 0.0)) {
    throw ParameterError("gamma_R", p_.gamma_R,
                         "gamma_R > 0 for the dynamic model (gamma_R = 0 is the static "
                         "instant-relocation case)");
  }
}

double GeneralModel::threshold_from_state(double w) const {
  return std::min(1.0, std::pow(std::max(w, 0.0), 1.0 / relocation_exponent()));
}
double GeneralModel::threshold_power_from_state(double w) const {
  // aR^θ = min(1, w^{1/(ρ+σ−1)})^θ = min(1, w^{θ/(ρ+σ−1)}) (θ > 0)
  return std::min(1.0, std::pow(std::max(w, 0.0), p_.theta() / relocation_exponent()));
}
BoundPowers GeneralModel::threshold_powers_from_state(double w) const {
  if (!(w < 1.0)) return {1.0, 1.0, 1.0};  // capped (as threshold_from_state, also for NaN)
  if (!(w > 0.0)) return {};
  const double aR = threshold_from_state(w), A = threshold_power_from_state(w);
  return {aR, A, A * std::sqrt(w / A)};  // aR^ρ = aR^θ·aR^{σ−1}, (aR^{σ−1})² = w/aR^θ
}
double GeneralModel::state_from_threshold(double aR) const {
  return std::pow(aR, relocation_exponent());
}

MarketState GeneralModel::market_state(double t, const double* y) const {
  return {y[kCapitalNorth], y[kCapitalSouth], threshold_from_state(y[kRelocationState]),
          phi_path_(t)};
}

double GeneralModel::phi_power(double phi) const {
  return phi == phi_path_.phi1 ? phi1_roots_.power : std::pow(phi, p_.beta() - 1.0);
}
GeneralModel::LevelPowers GeneralModel::level_powers(double B, double B_star, double phi) const {
  const double b1 = p_.beta() - 1.0, f = p_.f();
  return {B,
          B_star,
          phi,
          B > 0.0 ? std::pow(B / f, b1) : 0.0,
          B_star > 0.0 ? std::pow(B_star / f, b1) : 0.0,
          phi_power(phi)};
}
double GeneralModel::north_profit_flow(double B, double B_star, double phi) const {
  return north_profit_flow(level_powers(B, B_star, phi));
}
double GeneralModel::south_profit_flow(double B, double B_star, double phi) const {
  return south_profit_flow(level_powers(B, B_star, phi));
}
double GeneralModel::north_profit_flow(const LevelPowers& l) const {
  const Pareto pareto(p_);  // (M6) π̄N = [J(0,1;B) + J(0,1;φB*)]/σ
  return (pareto.full_profit_integral_of_power(l.B, l.level) +
          pareto.full_profit_integral_of_power(l.phi * l.B_star, l.phi_power * l.level_star)) /
         p_.sigma;
}
double GeneralModel::south_profit_flow(const LevelPowers& l) const {
  const Pareto pareto(p_);  // (M6) π̄S = [J(0,1;B*) + J(0,1;φB)]/σ
  return (pareto.full_profit_integral_of_power(l.B_star, l.level_star) +
          pareto.full_profit_integral_of_power(l.phi * l.B, l.phi_power * l.level)) /
         p_.sigma;
}
double GeneralModel::south_born_value(double S, double P, double aR) const {
  return south_born_value_of_power(S, P, std::pow(aR, p_.theta()));
}
double GeneralModel::south_born_value_of_power(double S, double P, double aR_theta) const {
  return S + p_.c() * aR_theta * P / p_.sigma;  // W* = S + c aR^θ P/σ
}

DemandLevels GeneralModel::demand_levels_at_phi(double phi, const double* y, double aR,
                                                const DemandLevels* guess) const {
  const MarketState ms{y[kCapitalNorth], y[kCapitalSouth], aR, phi, phi_power(phi)};
  DemandLevelDerivatives unused;
  return solve_demand_levels(level_constants_, market_powers(level_constants_.pareto, ms),
                             guess ? *guess : DemandLevels{}, unused);
}

DemandLevels GeneralModel::demand_levels(double t, const double* y,
                                         const DemandLevels* guess) const {
  return demand_levels_at_phi(phi_path_(t), y, threshold_from_state(y[kRelocationState]), guess);
}

DemandLevels GeneralModel::demand_levels(double t, const double* y, const DemandLevels* guess,
                                         DemandLevelDerivatives& derivatives) const {
  const double phi = phi_path_(t);
  const MarketPowers powers{y[kCapitalNorth], y[kCapitalSouth],
                            threshold_power_from_state(y[kRelocationState]), phi, phi_power(phi)};
  return solve_demand_levels(level_constants_, powers, guess ? *guess : DemandLevels{},
                             derivatives);
}

void GeneralModel::rhs(double t, const double* y, const DemandLevels& levels, double* dydt) const {
  rhs_from_levels(phi_path_(t), y, threshold_from_state(y[kRelocationState]), levels, dydt);
}

void GeneralModel::jacobian(double t, const double* y, const DemandLevels& levels,
                            double* J) const {
  jacobian_from_levels(phi_path_(t), y, threshold_from_state(y[kRelocationState]), levels, J);
}

void GeneralModel::rhs_at_phi(double phi, const double* y, double* dydt) const {
  const double aR = threshold_from_state(y[kRelocationState]);
  rhs_from_levels(phi, y, aR, demand_levels_at_phi(phi, y, aR, nullptr), dydt);
}

void GeneralModel::rhs(double t, const double* y, const DemandLevels& levels,
                       const DemandLevelDerivatives& at_levels, double* dydt) const {
  const double phi = phi_path_(t);
  rhs_from_powers(
      y, at_levels.A,
      {levels.B, levels.B_star, phi, at_levels.level, at_levels.level_star, phi_power(phi)}, dydt);
}

void GeneralModel::rhs_from_levels(double phi, const double* y, double aR, const DemandLevels& eq,
                                   double* dydt) const {
  rhs_from_powers(y, std::pow(aR, p_.theta()), level_powers(eq.B, eq.B_star, phi), dydt);
}

void GeneralModel::rhs_from_powers(const double* y, double A, const LevelPowers& powers,
                                   double* dydt) const {
  const double W = y[kValueNorth], S = y[kValueSouth], P = y[kRelocationValue];
  const double FI = p_.FI, gR = p_.gamma_R, rd = p_.discount(), phi = powers.phi;
  capital_growth(y, south_born_value_of_power(S, P, A), dydt);                  // dK/dt, dK*/dt
  dydt[kRelocationState] = (1.0 + 1.0 / p_.beta()) * P / (p_.sigma * gR * FI);  // (M7) dw/dt
  dydt[kValueNorth] = rd * W - north_profit_flow(powers);                       // (M7) dW/dt
  dydt[kValueSouth] = rd * S - south_profit_flow(powers);                       // (M7) dS/dt
  dydt[kRelocationValue] = rd * P - (1.0 - phi) * (powers.B - powers.B_star);   // (M7) dP/dt
}

void GeneralModel::capital_growth(const double* y, double W_star, double* growth) const {
  const double K = y[kCapitalNorth], Ks = y[kCapitalSouth], W = y[kValueNorth];
  const double FI = p_.FI, gE = p_.gamma_E;
  growth[kCapitalNorth] = K * (W / FI - 1.0) / gE;        // (M7) dK/dt
  growth[kCapitalSouth] = Ks * (W_star / FI - 1.0) / gE;  // (M7) dK*/dt
}

void GeneralModel::rhs(double t, const double* y, double* dydt) const {
  rhs_at_phi(phi_path_(t), y, dydt);
}

void GeneralModel::jacobian(double t, const double* y, double* J) const {
  jacobian_at_phi(phi_path_(t), y, J);
}

void GeneralModel::jacobian_at_phi(double phi, const double* y, double* J) const {
  const double aR = threshold_from_state(y[kRelocationState]);
  jacobian_from_levels(phi, y, aR, demand_levels_at_phi(phi, y, aR, nullptr), J);
}

void GeneralModel::jacobian_from_levels(double phi, const double* y, double aR,
                                        const DemandLevels& eq, double* J) const {
  const double K = y[kCapitalNorth], Ks = y[kCapitalSouth], w = y[kRelocationState];
  const double W = y[kValueNorth], S = y[kValueSouth], P = y[kRelocationValue];
  const MarketState ms{K, Ks, aR, phi};
  const DemandLevelDerivatives d = demand_level_derivatives(p_, ms, eq);
  const Pareto pareto(p_);
  const double FI = p_.FI, gE = p_.gamma_E, gR = p_.gamma_R, rd = p_.discount(), sg = p_.sigma;
  const double A = std::pow(aR, p_.theta());
  // dA/dw for A = aR^θ = w^{θ/(ρ+σ−1)} (zero where aR is capped at 1 or w = 0)
  const double dA_dw = (w > 0.0 && aR < 1.0) ? p_.theta() / relocation_exponent() * A / w : 0.0;
  // ∂B/∂(K, K*, w), ∂B*/∂(K, K*, w)
  const double dB[3] = {eq.B * d.dlogB_dK, eq.B * d.dlogB_dK_star, eq.B * d.dlogB_dA * dA_dw};
  const double dBs[3] = {eq.B_star * d.dlogBs_dK, eq.B_star * d.dlogBs_dK_star,
                         eq.B_star * d.dlogBs_dA * dA_dw};
  // envelope of (M3): ∂J(0,1;Z)/∂Z = ∫_0^{κ(Z)} a^{1−σ} dG
  // = c κ(Z)^θ, with κ(zB)^θ = min(1, z^{β−1}(B/f)^{β−1}) of (M1) (θ/(σ−1) = β−1): three powers
  // for the four demand levels
  const LevelPowers powers = level_powers(eq.B, eq.B_star, phi);
  const double phi_power = powers.phi_power, level = powers.level, level_star = powers.level_star;
  const auto dJ = [&](double k_theta) { return pareto.c * std::min(1.0, k_theta); };
  const double dpiN_dB = dJ(level) / sg, dpiN_dBs = phi * dJ(phi_power * level_star) / sg;  // (M6)
  const double dpiS_dBs = dJ(level_star) / sg, dpiS_dB = phi * dJ(phi_power * level) / sg;  // (M6)
  const double W_star = south_born_value(S, P, aR);
  std::fill(J, J + kStateSize * kStateSize, 0.0);
  const auto at = [J](int row, int col) -> double& { return J[row * kStateSize + col]; };
  // (M7) dK/dt = K(W/FI − 1)/γE
  at(kCapitalNorth, kCapitalNorth) = (W / FI - 1.0) / gE;
  at(kCapitalNorth, kValueNorth) = K / (FI * gE);
  // (M7) dK*/dt = K*(W*/FI − 1)/γE, W* = S + c A P/σ
  at(kCapitalSouth, kCapitalSouth) = (W_star / FI - 1.0) / gE;
  at(kCapitalSouth, kValueSouth) = Ks / (FI * gE);
  at(kCapitalSouth, kRelocationValue) = Ks * p_.c() * A / (sg * FI * gE);
  at(kCapitalSouth, kRelocationState) = Ks * p_.c() * P / (sg * FI * gE) * dA_dw;
  // (M7) dw/dt
  at(kRelocationState, kRelocationValue) = (1.0 + 1.0 / p_.beta()) / (sg * gR * FI);
  // (M7) dW/dt, dS/dt, dP/dt through B, B*
  for (int j = 0; j < 3; ++j) {
    at(kValueNorth, j) = -(dpiN_dB * dB[j] + dpiN_dBs * dBs[j]);
    at(kValueSouth, j) = -(dpiS_dB * dB[j] + dpiS_dBs * dBs[j]);
    at(kRelocationValue, j) = -(1.0 - phi) * (dB[j] - dBs[j]);
  }
  at(kValueNorth, kValueNorth) = rd;
  at(kValueSouth, kValueSouth) = rd;
  at(kRelocationValue, kRelocationValue) = rd;
}

PathPoint GeneralModel::outputs(double t, const double* y) const {
  return outputs(t, y, demand_levels(t, y));
}

PathPoint GeneralModel::outputs(double t, const double* y, const DemandLevels& levels) const {
  const Pareto pareto(p_);
  PathPoint o;
  o.t = t;
  o.phi = phi_path_(t);
  o.K = y[kCapitalNorth];
  o.K_star = y[kCapitalSouth];
  o.w = y[kRelocationState];
  o.W = y[kValueNorth];
  o.S = y[kValueSouth];
  o.P = y[kRelocationValue];
  // The type bounds with their powers: aR's from w, the cut-offs (M1) from the roots of B/f,
  // B*/f and φ (κ(φB) from the roots of φ times those of B/f): six pows in all at φ1.
  const CutoffRoots phi_roots = o.phi == phi_path_.phi1 ? phi1_roots_ : pareto.cutoff_roots(o.phi);
  const CutoffRoots north = pareto.cutoff_roots(levels.B / pareto.f);
  const CutoffRoots south = pareto.cutoff_roots(levels.B_star / pareto.f);
  const EquilibriumBounds b{threshold_powers_from_state(o.w), pareto.cutoff_powers(north),
                            pareto.cutoff_powers(phi_roots * south), pareto.cutoff_powers(south),
                            pareto.cutoff_powers(phi_roots * north)};
  o.aR = b.aR.a;
  const MarketState ms{o.K, o.K_star, o.aR, o.phi};
  o.W_star = south_born_value_of_power(o.S, o.P, b.aR.theta);
  TemporaryEquilibrium eq;  // (M5) levels, (M1) cut-offs
  eq.B = o.B = levels.B;
  eq.B_star = o.B_star = levels.B_star;
  eq.aD = o.aD = b.aD.a;
  eq.aX = o.aX = b.aX.a;
  eq.aD_star = o.aD_star = b.aD_star.a;
  eq.aX_star = o.aX_star = b.aX_star.a;
  eq.root_iterations = levels.root_iterations;
  o.sk = o.K / (o.K + o.K_star);
  // Active firms: a unit is active if it sells somewhere from where it produces.
  const BoundPowers zero{};
  const BoundPowers& north_reach = b.aX.a > b.aD.a ? b.aX : b.aD;  // max(aD, aX)
  const BoundPowers& south_reach = b.aX_star.a > b.aD_star.a ? b.aX_star : b.aD_star;
  const BoundPowers& north_made = north_reach.a < b.aR.a ? north_reach : b.aR;  // min(aR, reach)
  const double n_north_born = o.K * pareto.mass(zero, north_reach);
  const double n_south_born =
      o.K_star * (pareto.mass(zero, north_made) + pareto.mass(b.aR, south_reach));
  o.nw = n_north_born + n_south_born;
  o.sn = n_north_born / o.nw;
  double growth[2];  // (M7) dK/dt, dK*/dt (the rest of the rhs is not reported)
  capital_growth(y, o.W_star, growth);
  // u = aR^ρ = w^{ρ/(ρ+σ−1)}: du/dt = aR^{1−σ}P/(σγR FI), aR^{1−σ} = aR^θ/aR^ρ
  o.relocation_flow = o.aR > 0.0 ? b.aR.theta / b.aR.rho * o.P / (p_.sigma * p_.gamma_R * p_.FI)
                                 : (o.P > 0.0 ? INFINITY : 0.0);
  o.entry_rate = growth[kCapitalNorth] / o.K;
  o.entry_rate_star = growth[kCapitalSouth] / o.K_star;
  const ProductivityWelfare pw = productivity_welfare(p_, ms, eq, b);
  o.a_bar = pw.a_bar;
  o.a_bar_star = pw.a_bar_star;
  o.omega = pw.omega;
  o.omega_star = pw.omega_star;
  return o;
}

State GeneralModel::steady_state(double aR, double phi) const {
  // Free entry: π̄N(B̄, B̄) = (r+δ)FI, increasing in B̄.
  const double target = p_.discount() * p_.FI;
  const auto free_entry = [&](double B) { return north_profit_flow(B, B, phi) - target; };
  solvers::ScalarRootOptions opt;
  opt.x_tolerance = 1e-15;
  const double B = solvers::solve_increasing_positive(free_entry, p_.f(), opt).root;
  // (M5) with B = B* is linear in (K, K*): columns are the market sizes of unit stocks.
  const Pareto pareto(p_);
  const double nK = north_market_size(pareto, {1.0, 0.0, aR, phi}, B);
  const double nKs = north_market_size(pareto, {0.0, 1.0, aR, phi}, B);
  const double sK = south_market_size(pareto, {1.0, 0.0, aR, phi}, B);
  const double sKs = south_market_size(pareto, {0.0, 1.0, aR, phi}, B);
  const double a = p_.sE / B, b = (1.0 - p_.sE) / B, det = nK * sKs - nKs * sK;
  if (!(std::fabs(det) > 0.0)) throw std::runtime_error("steady state: singular market system");
  State y{};
  y[kCapitalNorth] = (a * sKs - nKs * b) / det;
  y[kCapitalSouth] = (nK * b - sK * a) / det;
  y[kRelocationState] = state_from_threshold(aR);
  y[kValueNorth] = p_.FI;
  y[kValueSouth] = p_.FI;
  y[kRelocationValue] = 0.0;
  if (!(y[kCapitalNorth] > 0.0 && y[kCapitalSouth] > 0.0)) {
    throw std::runtime_error("steady state at aR = " + std::to_string(aR) +
                             ": no positive capital stocks (outside the curve (M4))");
  }
  return y;
}

}  // namespace footloose
