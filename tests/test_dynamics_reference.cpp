// The general dynamic model of models/dynamics (right-hand side (M7), its Jacobian, the
// steady-state curve) and the autarky initial state of models/transition against the
// independent reference of reference_dynamics.hpp (quadrature and root-finding from the
// primitives, issue 14), at random parameters and states, corners of (M1) and (M5) included.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include "models/dynamics.hpp"
#include "models/transition.hpp"
#include "reference_dynamics.hpp"

using footloose::GeneralModel;
using footloose::Parameters;
using footloose::TradePath;
using footloose::TradePathKind;
using reference::MaxRelError;
using reference::Vector6;

namespace {

// The production state index of each reference component (both follow the order of (M7)).
constexpr int kProductionIndex[6] = {footloose::kCapitalNorth,    footloose::kCapitalSouth,
                                     footloose::kRelocationState, footloose::kValueNorth,
                                     footloose::kValueSouth,      footloose::kRelocationValue};
const char* const kComponentName[6] = {"dK/dt", "dK*/dt", "dw/dt", "dW/dt", "dS/dt", "dP/dt"};

footloose::State to_production(const Vector6& y) {
  footloose::State s{};
  for (int i = 0; i < 6; ++i) s[kProductionIndex[i]] = y[i];
  return s;
}

// Largest |got − want| / scale over a check, the scale being the size of the terms that make up
// the value (so that a value that cancels to ~0 is not compared relative to itself).
struct MaxScaledError {
  std::string name;
  double worst = 0.0;
  long count = 0;
  void add(double got, double want, double scale) {
    const double err = std::fabs(got - want) / std::max(scale, 1e-300);
    worst = std::max(worst, std::isfinite(err) ? err : INFINITY);
    ++count;
  }
  bool within(double tol) const {
    std::printf("[max-scaled-err] %-55s %9.2e over %ld values\n", name.c_str(), worst, count);
    return worst < tol;
  }
};

// Random parameters over the brief's domain: σ ∈ (1.5, 8), β ∈ (1.1, 4), sE ∈ (0.51, 0.95);
// FI such that fI(β−1)/f ∈ (0.05, 1.6), so about a third have a corner (all types sell) in
// autarky; r = 0 one time in five.
struct Draw {
  std::mt19937 rng;
  explicit Draw(unsigned seed) : rng(seed) {}
  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  }
  double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }
  Parameters parameters(double corner_share_max = 1.6) {
    Parameters p;
    p.sigma = uniform(1.5, 8.0);
    const double beta = uniform(1.1, 4.0);
    p.rho = beta * (p.sigma - 1.0);
    p.sE = uniform(0.51, 0.95);
    p.F = uniform(0.3, 3.0);
    p.delta = uniform(0.02, 0.3);
    p.r = uniform(0.0, 1.0) < 0.2 ? 0.0 : uniform(0.0, 0.1);
    p.FI = p.F * uniform(0.05, corner_share_max) / (beta - 1.0);
    p.gamma_E = log_uniform(0.1, 10.0);
    p.gamma_R = log_uniform(0.1, 10.0);
    p.phi0 = 0.0;
    p.phi1 = uniform(0.0, 0.95);
    return p;
  }
};

// φ(t) of the three path kinds written out here (not TradePath::operator()).
double freeness_at(const TradePath& path, double t) {
  switch (path.kind) {
    case TradePathKind::Jump:
      return path.phi1;
    case TradePathKind::Linear:
      return path.phi0 + (path.phi1 - path.phi0) * std::min(1.0, t / path.duration);
    case TradePathKind::Exponential:
      return path.phi1 + (path.phi0 - path.phi1) * std::pow(0.5, t / path.duration);
  }
  return path.phi1;
}

// A random state around the autarky capital stocks with the front aR in a chosen region.
struct DrawnState {
  Parameters p;
  TradePath path;
  double t, phi;
  Vector6 y;
};

enum class FrontRegion {
  Zero,
  Uniform,
  BetweenSouthCutoffs,
  AboveSouthCutoffs,
  BetweenNorthCutoffs
};

DrawnState draw_state(Draw& draw, int index) {
  DrawnState d;
  d.p = draw.parameters();
  const reference::DynamicEconomy e(d.p);
  // trade paths: jumps (to φ = 0 one time in eight), linear and exponential ramps at random t
  switch (index % 4) {
    case 0:
      d.path = {TradePathKind::Jump, 0.0, index % 8 == 0 ? 0.0 : d.p.phi1, 0.0};
      break;
    case 1:
      d.path = {TradePathKind::Jump, 0.0, d.p.phi1, 0.0};
      break;
    case 2:
      d.path = {TradePathKind::Linear, draw.uniform(0.0, 0.95), d.p.phi1, draw.uniform(0.5, 5.0)};
      break;
    default:
      d.path = {TradePathKind::Exponential, draw.uniform(0.0, 0.95), d.p.phi1,
                draw.uniform(0.5, 5.0)};
      break;
  }
  d.t = draw.uniform(0.0, 8.0);
  d.phi = freeness_at(d.path, d.t);
  const Vector6 autarky = reference::autarky_state(e);
  auto& y = d.y;
  // wide enough that a small K or K* pushes its demand level above f (cut-offs capped at 1)
  y[reference::kK] = autarky[reference::kK] * std::exp(draw.uniform(-1.5, 1.0));
  y[reference::kKStar] = autarky[reference::kKStar] * std::exp(draw.uniform(-1.5, 1.0));
  y[reference::kValueW] = d.p.FI * draw.uniform(0.5, 1.5);
  y[reference::kValueS] = d.p.FI * draw.uniform(0.5, 1.5);
  y[reference::kValueP] = d.p.FI * draw.uniform(-0.5, 0.5);  // both signs
  const double exponent = d.p.rho + d.p.sigma - 1.0;
  double aR = draw.uniform(0.0, 0.99);
  const auto region = static_cast<FrontRegion>((index / 8) % 5);
  if (region == FrontRegion::Zero) aR = 0.0;
  // the cut-offs move with aR: a few fixed-point passes to land in the wanted region
  for (int pass = 0; pass < 4 && region != FrontRegion::Zero && region != FrontRegion::Uniform;
       ++pass) {
    const reference::State s{y[reference::kK], y[reference::kKStar], aR, d.phi};
    const reference::Equilibrium q = reference::temporary_equilibrium(e, s);
    if (region == FrontRegion::BetweenSouthCutoffs) {  // South-born exporters moved, not all
      aR = q.aX_star + draw.uniform(0.2, 0.8) * (q.aD_star - q.aX_star);
    } else if (region == FrontRegion::AboveSouthCutoffs) {  // every South-born seller moved
      aR = std::min(0.99, std::max(q.aD_star, q.aX_star) * draw.uniform(1.02, 1.3));
    } else {  // between the North's export and domestic cut-offs
      aR = std::min(q.aX, q.aD) + draw.uniform(0.2, 0.8) * std::fabs(q.aD - q.aX);
    }
  }
  aR = std::min(aR, 0.99);
  y[reference::kW] = std::pow(aR, exponent);
  return d;
}

// Corners reached by the drawn states (each must be hit often enough to mean something).
struct CornerCounts {
  int front_zero = 0, all_south_sellers_moved = 0, between_cutoffs = 0, capped = 0, no_trade = 0,
      negative_P = 0, exports_only_moved = 0, moved_above_north_domestic = 0;
  void add(const DrawnState& d, const reference::RightHandSide& ref) {
    const auto& q = ref.eq;
    const double aR = ref.aR;
    front_zero += aR == 0.0;
    all_south_sellers_moved += aR > std::max(q.aD_star, q.aX_star) && aR < 1.0;
    between_cutoffs += (aR > q.aX_star && aR < q.aD_star) || (aR > q.aX && aR < q.aD);
    exports_only_moved += aR > q.aX && aR < q.aD;  // moved types that no longer export South
    moved_above_north_domestic += aR > q.aD;       // moved types that do not sell at all
    capped += q.aD == 1.0 || q.aD_star == 1.0 || q.aX == 1.0 || q.aX_star == 1.0;
    no_trade += d.phi == 0.0;
    negative_P += d.y[reference::kValueP] < 0.0;
  }
  std::string summary() const {
    return "aR = 0: " + std::to_string(front_zero) +
           ", aR > max(aD*, aX*): " + std::to_string(all_south_sellers_moved) +
           ", aR between an export and a domestic cut-off: " + std::to_string(between_cutoffs) +
           " (North's: " + std::to_string(exports_only_moved) + ")" +
           ", aR > aD: " + std::to_string(moved_above_north_domestic) +
           ", a cut-off capped at 1: " + std::to_string(capped) +
           ", phi = 0: " + std::to_string(no_trade) + ", P < 0: " + std::to_string(negative_P);
  }
};

// Size of the terms of each component of (M7), the scale of its comparison.
Vector6 rhs_scales(const reference::DynamicEconomy& e, double phi, const Vector6& y,
                   const reference::RightHandSide& ref) {
  const double c_aR_theta = reference::revenue_integral(e, 0.0, ref.aR);
  Vector6 s{};
  s[reference::kK] = y[reference::kK] * (std::fabs(y[reference::kValueW]) / e.FI + 1.0) / e.gamma_E;
  s[reference::kKStar] = y[reference::kKStar] *
                         ((std::fabs(y[reference::kValueS]) +
                           c_aR_theta * std::fabs(y[reference::kValueP]) / e.sigma) /
                              e.FI +
                          1.0) /
                         e.gamma_E;
  s[reference::kW] = std::fabs(ref.dydt[reference::kW]);
  s[reference::kValueW] = e.discount * std::fabs(y[reference::kValueW]) + ref.eq.profit_north;
  s[reference::kValueS] = e.discount * std::fabs(y[reference::kValueS]) + ref.eq.profit_south;
  s[reference::kValueP] =
      e.discount * std::fabs(y[reference::kValueP]) + (1.0 - phi) * (ref.eq.B + ref.eq.B_star);
  return s;
}

// Relative distance of the state to the nearest kink of (M7): aR at one of the four cut-offs,
// or a demand level at the cap of (M1) (cut-off reaching 1).
double distance_to_kink(const reference::RightHandSide& ref, double phi, double f) {
  const auto& q = ref.eq;
  double d = INFINITY;
  for (double cut : {q.aD, q.aX, q.aD_star, q.aX_star}) {
    if (cut > 0.0 && ref.aR > 0.0) d = std::min(d, std::fabs(ref.aR - cut) / cut);
  }
  for (double level : {q.B, phi * q.B_star, q.B_star, phi * q.B}) {
    if (level > 0.0) d = std::min(d, std::fabs(std::log(level / f)));
  }
  return d;
}

// tanh-sinh and TOMS 748 give the reference to about 2e-14 (measured); 1e-10 leaves a margin.
constexpr int kRhsStates = 600;
constexpr double kRhsTol = 1e-10;

}  // namespace

TEST_CASE("(M5)-(M7) right-hand side equals the quadrature reference at random states",
          "[dynamics][reference]") {
  Draw draw(20240614u);
  MaxRelError levels{"(M5) B, B* vs reference"};
  MaxRelError cutoffs{"(M1) aD, aX, aD*, aX* vs reference"};
  MaxRelError profits{"(M6) pi_N, pi_S vs reference"};
  MaxRelError south_value{"W* = S + c aR^theta P/sigma vs reference"};
  MaxScaledError components[6] = {{"(M7) dK/dt"}, {"(M7) dK*/dt"}, {"(M7) dw/dt"},
                                  {"(M7) dW/dt"}, {"(M7) dS/dt"},  {"(M7) dP/dt"}};
  CornerCounts corners;
  for (int i = 0; i < kRhsStates; ++i) {
    const DrawnState d = draw_state(draw, i);
    const reference::DynamicEconomy e(d.p);
    const reference::RightHandSide ref = reference::rhs(e, d.phi, d.y);
    corners.add(d, ref);
    const GeneralModel model(d.p, d.path);
    const footloose::State y = to_production(d.y);
    double dydt[footloose::kStateSize];
    model.rhs(d.t, y.data(), dydt);
    const footloose::PathPoint out = model.outputs(d.t, y.data());
    INFO("state " << i << ": sigma " << d.p.sigma << ", rho " << d.p.rho << ", phi " << d.phi
                  << ", aR " << ref.aR);
    REQUIRE(out.phi == Approx(d.phi).epsilon(1e-14));
    levels.add(out.B, ref.eq.B);
    levels.add(out.B_star, ref.eq.B_star);
    cutoffs.add(out.aD, ref.eq.aD);
    cutoffs.add(out.aX, ref.eq.aX);
    cutoffs.add(out.aD_star, ref.eq.aD_star);
    cutoffs.add(out.aX_star, ref.eq.aX_star);
    profits.add(model.north_profit_flow(out.B, out.B_star, d.phi), ref.eq.profit_north);
    profits.add(model.south_profit_flow(out.B, out.B_star, d.phi), ref.eq.profit_south);
    south_value.add(out.W_star, ref.W_star);
    const Vector6 scale = rhs_scales(e, d.phi, d.y, ref);
    for (int k = 0; k < 6; ++k) {
      components[k].add(dydt[kProductionIndex[k]], ref.dydt[k], scale[k]);
    }
  }
  INFO("corners: " << corners.summary());
  std::printf("[corners] %s\n", corners.summary().c_str());
  CHECK(corners.front_zero >= 60);
  CHECK(corners.all_south_sellers_moved >= 40);
  CHECK(corners.between_cutoffs >= 150);
  CHECK(corners.exports_only_moved >= 60);
  CHECK(corners.moved_above_north_domestic >= 20);
  CHECK(corners.capped >= 100);
  CHECK(corners.no_trade >= 40);
  CHECK(corners.negative_P >= 150);
  CHECK(levels.within(kRhsTol));
  CHECK(cutoffs.within(kRhsTol));
  CHECK(profits.within(kRhsTol));
  CHECK(south_value.within(kRhsTol));
  for (int k = 0; k < 6; ++k) {
    INFO(kComponentName[k]);
    CHECK(components[k].within(kRhsTol));
  }
}

TEST_CASE("Analytic Jacobian of (M7) equals central differences of the reference right-hand side",
          "[dynamics][reference][jacobian]") {
  Draw draw(777u);
  constexpr int kStates = 300;
  // Central differences with steps 1e-5 relative to each state (a capital stock, w itself, FI
  // for the co-states). Near a kink of (M7) — aR at a cut-off, a cut-off at its cap 1 — the
  // derivative is one-sided and a difference straddling it is meaningless: states within a
  // relative distance 1e-3 of a kink (about 100 times the largest shift of aR or of a cut-off
  // the steps cause) are skipped and counted. States drawn with aR = 0 (w = 0) are moved to a
  // small front aR ∈ (0.001, 0.05): A = aR^θ = w^{θ/(ρ+σ−1)} has an infinite slope at w = 0.
  constexpr double kStep = 1e-5, kKinkMargin = 1e-3;
  double worst = 0.0;
  std::string worst_entry;
  int compared = 0, near_kink = 0, small_front = 0;
  for (int i = 0; i < kStates; ++i) {
    DrawnState d = draw_state(draw, i);
    if (d.y[reference::kW] == 0.0) {
      d.y[reference::kW] = std::pow(draw.log_uniform(1e-3, 0.05), d.p.rho + d.p.sigma - 1.0);
      ++small_front;
    }
    const reference::DynamicEconomy e(d.p);
    const reference::RightHandSide ref = reference::rhs(e, d.phi, d.y);
    if (distance_to_kink(ref, d.phi, d.p.f()) < kKinkMargin) {
      ++near_kink;
      continue;
    }
    const GeneralModel model(d.p, d.path);
    const footloose::State y = to_production(d.y);
    double analytic[footloose::kStateSize * footloose::kStateSize];
    model.jacobian(d.t, y.data(), analytic);
    Vector6 typical{};
    for (int j = 0; j < 6; ++j) typical[j] = std::fabs(d.y[j]);
    for (int j : {reference::kValueW, reference::kValueS, reference::kValueP}) typical[j] = d.p.FI;
    double fd[6][6];  // fd[i][j] = ∂(reference rhs)_i/∂y_j
    for (int j = 0; j < 6; ++j) {
      const double h = kStep * typical[j];
      Vector6 up = d.y, down = d.y;
      up[j] += h, down[j] -= h;
      const Vector6 f_up = reference::rhs(e, d.phi, up).dydt;
      const Vector6 f_down = reference::rhs(e, d.phi, down).dydt;
      for (int k = 0; k < 6; ++k) fd[k][j] = (f_up[k] - f_down[k]) / (2.0 * h);
    }
    // error of each entry relative to the row's scale, max_j |∂f_k/∂y_j|·typical_j
    for (int k = 0; k < 6; ++k) {
      double row_scale = 1e-300;
      for (int j = 0; j < 6; ++j) row_scale = std::max(row_scale, std::fabs(fd[k][j]) * typical[j]);
      for (int j = 0; j < 6; ++j) {
        const double got =
            analytic[kProductionIndex[k] * footloose::kStateSize + kProductionIndex[j]];
        const double err = std::fabs(got - fd[k][j]) * typical[j] / row_scale;
        if (!(err <= worst)) {
          worst = err;
          std::ostringstream os;
          os << "state " << i << ", d(" << kComponentName[k] << ")/dy_" << j << ": analytic " << got
             << ", differences " << fd[k][j] << ", aR " << ref.aR << ", phi " << d.phi;
          worst_entry = os.str();
        }
      }
    }
    ++compared;
  }
  std::printf(
      "[max-scaled-err] %-55s %9.2e over %d states (%d skipped near a kink, %d moved "
      "from aR = 0)\n",
      "(M7) Jacobian vs differences of the reference", worst, compared, near_kink, small_front);
  INFO("worst entry: " << worst_entry);
  CHECK(worst < 1e-6);
  CHECK(near_kink <= kStates / 10);
  CHECK(compared >= 270);
}

TEST_CASE("Steady states on the curve (M4) equal the reference and are rest points of (M7)",
          "[dynamics][reference][steady]") {
  Draw draw(4242u);
  MaxRelError capital{"steady state K, K* vs reference"};
  MaxRelError front{"steady state w vs reference"};
  MaxScaledError at_rest_reference{"reference (M7) at the reference steady state"};
  MaxScaledError at_rest_production{"reference (M7) at the production steady state"};
  int found = 0, absent = 0, attempts = 0;
  while (found < 50 && attempts < 400) {
    ++attempts;
    Parameters p = draw.parameters();
    const double phi = attempts % 10 == 0 ? 0.0 : draw.uniform(0.0, 0.95);
    const double aR = attempts % 7 == 0 ? 0.0 : draw.uniform(0.0, 0.9);
    const reference::DynamicEconomy e(p);
    const reference::SteadyState ref = reference::steady_state(e, aR, phi);
    const GeneralModel model(p, {TradePathKind::Jump, phi, phi, 0.0});
    INFO("attempt " << attempts << ": aR " << aR << ", phi " << phi << ", K " << ref.y[0] << ", K* "
                    << ref.y[1]);
    // a point where a stock is within rounding of 0 may fall either side: not compared
    if (std::min(std::fabs(ref.y[0]), std::fabs(ref.y[1])) < 1e-9 * (ref.y[0] + ref.y[1])) continue;
    if (!ref.exists) {
      ++absent;
      CHECK_THROWS_AS(model.steady_state(aR, phi), std::runtime_error);
      continue;
    }
    ++found;
    footloose::State y{};
    REQUIRE_NOTHROW(y = model.steady_state(aR, phi));
    capital.add(y[footloose::kCapitalNorth], ref.y[reference::kK]);
    capital.add(y[footloose::kCapitalSouth], ref.y[reference::kKStar]);
    front.add(y[footloose::kRelocationState], ref.y[reference::kW]);
    CHECK(y[footloose::kValueNorth] == p.FI);
    CHECK(y[footloose::kValueSouth] == p.FI);
    CHECK(y[footloose::kRelocationValue] == 0.0);
    Vector6 production{};
    for (int k = 0; k < 6; ++k) production[k] = y[kProductionIndex[k]];
    for (const auto& [state, check] : {std::make_pair(ref.y, &at_rest_reference),
                                       std::make_pair(production, &at_rest_production)}) {
      const reference::RightHandSide r = reference::rhs(e, phi, state);
      const Vector6 scale = rhs_scales(e, phi, state, r);
      for (int k = 0; k < 6; ++k) {
        // dw/dt = 0 exactly (P = 0); its scale |dw/dt| is 0: compare with the P-scale instead
        check->add(r.dydt[k], 0.0, k == reference::kW ? 1.0 : scale[k]);
      }
    }
  }
  INFO("steady states compared " << found << ", absent (a stock <= 0) " << absent);
  std::printf("[steady] %d compared, %d absent (production threw as it should)\n", found, absent);
  CHECK(found >= 50);
  CHECK(absent >= 5);
  CHECK(capital.within(1e-8));
  CHECK(front.within(1e-12));
  CHECK(at_rest_reference.within(1e-10));
  CHECK(at_rest_production.within(1e-8));
}

namespace {
// Autarky initial state against the reference (free entry and market clearing at φ = 0 in each
// nation), and a rest point of the reference (M7) at φ = 0. FI is drawn so that
// fI(β−1)/f ∈ (share_min, share_max): below 1 the autarky cut-off aD is interior, above 1 every
// type sells (aD = 1). initial_states may refuse a parameter set (ParameterError) but must never
// return a state that is not the autarky steady state.
void check_autarky(Draw& draw, double share_min, double share_max, const char* name) {
  MaxRelError capital{std::string("initial_states autarky K, K* vs reference, ") + name};
  MaxScaledError at_rest{std::string("reference (M7), phi = 0, at initial_states, ") + name};
  MaxScaledError reference_at_rest{std::string("reference (M7), phi = 0, at its autarky, ") + name};
  int refused = 0;
  for (int i = 0; i < 50; ++i) {
    Parameters p = draw.parameters();
    p.FI = p.F * draw.uniform(share_min, share_max) / (p.beta() - 1.0);
    const reference::DynamicEconomy e(p);
    const Vector6 ref = reference::autarky_state(e);
    {
      const reference::RightHandSide r = reference::rhs(e, 0.0, ref);
      const Vector6 scale = rhs_scales(e, 0.0, ref, r);
      for (int k = 0; k < 6; ++k) {
        reference_at_rest.add(r.dydt[k], 0.0, k == reference::kW ? 1.0 : scale[k]);
      }
    }
    footloose::State y{};
    try {
      y = footloose::initial_states(p, footloose::InitialStateSpec{});
    } catch (const footloose::ParameterError&) {
      ++refused;
      continue;
    }
    capital.add(y[footloose::kCapitalNorth], ref[reference::kK]);
    capital.add(y[footloose::kCapitalSouth], ref[reference::kKStar]);
    CHECK(y[footloose::kRelocationState] == 0.0);
    CHECK(y[footloose::kValueNorth] == p.FI);
    CHECK(y[footloose::kValueSouth] == p.FI);
    CHECK(y[footloose::kRelocationValue] == 0.0);
    Vector6 production{};
    for (int k = 0; k < 6; ++k) production[k] = y[kProductionIndex[k]];
    const reference::RightHandSide r = reference::rhs(e, 0.0, production);
    const Vector6 scale = rhs_scales(e, 0.0, production, r);
    for (int k = 0; k < 6; ++k) at_rest.add(r.dydt[k], 0.0, k == reference::kW ? 1.0 : scale[k]);
  }
  std::printf("[autarky] %s: %d of 50 refused with ParameterError\n", name, refused);
  CHECK(reference_at_rest.within(1e-10));
  CHECK(capital.within(1e-10));
  CHECK(at_rest.within(1e-10));
}
}  // namespace

TEST_CASE("Autarky initial state equals free entry and market clearing at phi = 0",
          "[dynamics][reference][initial]") {
  Draw draw(99u);
  check_autarky(draw, 0.05, 0.98, "interior aD");
}

// Found by this test: initial_states used the closed form (2.1) K = E/(β fI), which holds only
// for an interior autarky cut-off; when fI(β−1) ≥ f every type sells and free entry gives
// K = E/(f + fI). It now solves free entry and (M5) at φ = 0 (the curve point aR = 0).
TEST_CASE("Autarky initial state at a corner cut-off (fI(beta-1) >= f: every type sells)",
          "[dynamics][reference][initial]") {
  Draw draw(100u);
  check_autarky(draw, 1.02, 2.0, "aD = 1");
}
