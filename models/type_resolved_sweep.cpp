#include "models/type_resolved_sweep.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>

#include "models/moved_market.hpp"
#include "models/water_filling.hpp"

namespace footloose {

namespace {

// (1 − e^{−x}(1 + x))/x², by its series where the closed form cancels.
double phi2(double x) {
  if (x < 1e-2) {
    double term = 1.0, sum = 0.0;  // Σ_k (−x)^k (k+1)/(k+2)!
    double factorial = 2.0;
    for (int k = 0; k < 8; ++k) {
      sum += term * (k + 1) / factorial;
      term *= -x;
      factorial *= (k + 3);
    }
    return sum;
  }
  return (-std::expm1(-x) - x * std::exp(-x)) / (x * x);
}

}  // namespace

std::vector<double> geometric_time_mesh(double first_step, double growth, double max_step,
                                        double horizon) {
  std::vector<double> t{0.0};
  double h = first_step;
  while (t.back() < horizon) {
    double next = t.back() + h;
    if (next >= horizon - 0.5 * h) next = horizon;  // no sliver at the end
    t.push_back(next);
    h = std::min(h * growth, max_step);
  }
  return t;
}

TypeResolvedSweep::TypeResolvedSweep(const Parameters& p, const TradePath& phi_path,
                                     const TypeGrid& grid, std::vector<double> times,
                                     TypeResolvedStart start, bool freeze_capital, double smoothing)
    : p_(p),
      phi_path_(phi_path),
      grid_(grid),
      flows_(p, phi_path),
      t_(std::move(times)),
      start_(std::move(start)),
      freeze_capital_(freeze_capital),
      smoothing_(smoothing),
      cells_(static_cast<std::size_t>(grid.cells())) {
  weights_.resize(cells_);
  for (std::size_t i = 0; i < cells_; ++i) weights_[i] = grid.weight(static_cast<int>(i));
  const std::size_t n = t_.size();
  K_.assign(n, start_.K);
  K_star_.assign(n, start_.K_star);
  chi_.assign(n, 0.0);
  width_.assign(n, 0.0);
  W_.assign(n, 0.0);
  S_.assign(n, 0.0);
  W_star_.assign(n, 0.0);
  m_.assign(n * cells_, 0.0);
  v_.assign(n * cells_, 0.0);
}

std::vector<double> TypeResolvedSweep::initial_guess() const {
  const std::size_t n = t_.size();
  std::vector<double> Z(2 * n);
  const MovedMoment moved(grid_, start_.shares);
  double B = 0.0, Bs = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const DemandLevels eq = solve_moved_demand_levels(p_, start_.K, start_.K_star, phi_path_(t_[k]),
                                                      moved, B, Bs);  // (M5g)
    B = Z[k] = eq.B;
    Bs = Z[n + k] = eq.B_star;
  }
  return Z;
}

void TypeResolvedSweep::backward(const std::vector<double>& Z) {
  // dv_i/dt = d v_i − g_i, dW/dt = d W − π̄N, dS/dt = d S − π̄S ((A-ODE), (M6)), integrated
  // exactly backward with the forcing linear in t on each step; truncation at T: v = g/d etc.
  const std::size_t n = t_.size();
  const double d = p_.discount();
  std::vector<double> g_next(cells_), g_here(cells_);
  const auto forcing = [&](std::size_t k, std::vector<double>& g, double& piN, double& piS) {
    const double phi = phi_path_(t_[k]), B = Z[k], Bs = Z[n + k];
    grid_.cell_gains(B, Bs, phi, g);             // (G2)
    piN = flows_.north_profit_flow(B, Bs, phi);  // (M6)
    piS = flows_.south_profit_flow(B, Bs, phi);  // (M6)
  };
  double piN_next, piS_next, piN, piS;
  forcing(n - 1, g_next, piN_next, piS_next);
  double* v_end = &v_[row(static_cast<int>(n) - 1)];
  for (std::size_t i = 0; i < cells_; ++i) v_end[i] = g_next[i] / d;  // (A5) truncation
  W_[n - 1] = piN_next / d;
  S_[n - 1] = piS_next / d;
  for (std::size_t k = n - 1; k-- > 0;) {
    forcing(k, g_here, piN, piS);
    const double h = t_[k + 1] - t_[k], x = d * h;
    const double decay = std::exp(-x), e0 = -std::expm1(-x) / d, e1 = h * phi2(x);
    const double* v_next = &v_[row(static_cast<int>(k) + 1)];
    double* v_here = &v_[row(static_cast<int>(k))];
    for (std::size_t i = 0; i < cells_; ++i) {
      v_here[i] = decay * v_next[i] + g_here[i] * e0 + (g_next[i] - g_here[i]) * e1;
    }
    W_[k] = decay * W_[k + 1] + piN * e0 + (piN_next - piN) * e1;
    S_[k] = decay * S_[k + 1] + piS * e0 + (piS_next - piS) * e1;
    std::swap(g_here, g_next);
    piN_next = piN;
    piS_next = piS;
  }
}

bool TypeResolvedSweep::forward(const std::vector<double>& Z, std::vector<double>& out) {
  const std::size_t n = t_.size();
  const double FI = p_.FI, gE = p_.gamma_E, gR = p_.gamma_R;
  std::vector<double> shares = start_.shares;
  std::vector<int> order;
  std::vector<double> gains(cells_);
  std::copy(shares.begin(), shares.end(), m_.begin());
  K_[0] = start_.K;
  K_star_[0] = start_.K_star;
  const auto south_born_value = [&](std::size_t k) {  // W* = S + Σ w_i m_i v_i   (A-ODE)
    const double* v = &v_[row(static_cast<int>(k))];
    double sum = 0.0;
    for (std::size_t i = 0; i < cells_; ++i) sum += weights_[i] * shares[i] * v[i];
    return S_[k] + sum;
  };
  W_star_[0] = south_born_value(0);
  {  // (M5g) at t = 0: the initial state
    const MovedMoment moved(grid_, shares);
    const DemandLevels eq =
        solve_moved_demand_levels(p_, K_[0], K_star_[0], phi_path_(t_[0]), moved, Z[0], Z[n]);
    out[0] = eq.B;
    out[n] = eq.B_star;
  }
  for (std::size_t k = 0; k + 1 < n; ++k) {
    const double h = t_[k + 1] - t_[k];
    const double* v = &v_[row(static_cast<int>(k) + 1)];
    // (A-ODE) implicit Euler: water-filling on the gains at t_{k+1}
    gains.assign(v, v + cells_);
    // ramp width ε = smoothing·h·max v over cells not yet full (0: the exact rule)
    double top = 0.0;
    for (std::size_t i = 0; i < cells_; ++i) {
      if (shares[i] < 1.0) top = std::max(top, gains[i]);
    }
    const double width = smoothing_ * h * top;
    const WaterFillingStep step =
        water_filling_step(weights_, gains, gR * FI / h, shares, order, width);
    chi_[k + 1] = step.chi;
    width_[k + 1] = width;
    std::copy(shares.begin(), shares.end(),
              m_.begin() + static_cast<std::ptrdiff_t>(row(static_cast<int>(k) + 1)));
    W_star_[k + 1] = south_born_value(k + 1);
    if (freeze_capital_) {
      K_[k + 1] = K_[k];
      K_star_[k + 1] = K_star_[k];
    } else {  // (A-ODE) dK/dt = K(W/FI − 1)/γE, dK*/dt = K*(W*/FI − 1)/γE: implicit Euler in log K
      K_[k + 1] = K_[k] * std::exp(h * (W_[k + 1] / FI - 1.0) / gE);
      K_star_[k + 1] = K_star_[k] * std::exp(h * (W_star_[k + 1] / FI - 1.0) / gE);
    }
    const MovedMoment moved(grid_, shares);  // (M5g) at t_{k+1}
    const DemandLevels eq = solve_moved_demand_levels(
        p_, K_[k + 1], K_star_[k + 1], phi_path_(t_[k + 1]), moved, Z[k + 1], Z[n + k + 1]);
    out[k + 1] = eq.B;
    out[n + k + 1] = eq.B_star;
  }
  chi_[0] = n > 1 ? chi_[1] : 0.0;
  return true;
}

bool TypeResolvedSweep::operator()(const std::vector<double>& Z, std::vector<double>& out) {
  for (double z : Z) {
    if (!(z > 0.0) || !std::isfinite(z)) return false;
  }
  out.assign(Z.size(), 0.0);
  try {
    backward(Z);
    return forward(Z, out);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace footloose
