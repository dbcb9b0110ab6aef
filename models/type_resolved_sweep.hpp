// One sweep Φ(Z) of the type-resolved relocation fixed point (EXTENSION.md A8): given the
// aggregate path Z = (B(t_n), B*(t_n)) on a time mesh, (1) backward, the co-states v_i, W, S by
// an exact exponential integrator with gains piecewise linear in t, (2) forward, implicit Euler
// for the moved shares m_i (water-filling), K and K*, (3) (M5g) at each node: the new Z.
#pragma once

#include <vector>

#include "models/dynamics.hpp"
#include "models/parameters.hpp"
#include "models/trade_path.hpp"
#include "models/type_grid.hpp"

namespace footloose {

struct TypeResolvedStart {
  double K = 0, K_star = 0;
  std::vector<double> shares;  // m_i(0)
};

// Time mesh of A8: t_0 = 0, t_1 = first_step, steps growing by `growth`, capped at max_step,
// last node at the horizon.
std::vector<double> geometric_time_mesh(double first_step, double growth, double max_step,
                                        double horizon);

// p: γE > 0 (GeneralModel supplies the (M6) flows), even when capital is frozen.
class TypeResolvedSweep {
 public:
  TypeResolvedSweep(const Parameters& p, const TradePath& phi_path, const TypeGrid& grid,
                    std::vector<double> times, TypeResolvedStart start, bool freeze_capital,
                    double smoothing = 0.0);

  int nodes() const { return static_cast<int>(t_.size()); }
  const std::vector<double>& times() const { return t_; }
  // Z for no moves and capital held at its initial value: (M5g) at each node's φ.
  std::vector<double> initial_guess() const;
  // Φ(Z) into out (same layout: B_0 … B_N, B*_0 … B*_N); false if it cannot be evaluated
  // (a non-positive demand level, or (M5g) without a root).
  bool operator()(const std::vector<double>& Z, std::vector<double>& out);

  // The record of the last sweep, per node n (shares and gains per node and cell, row-major).
  double K(int n) const { return K_[static_cast<std::size_t>(n)]; }
  double K_star(int n) const { return K_star_[static_cast<std::size_t>(n)]; }
  double chi(int n) const { return chi_[static_cast<std::size_t>(n)]; }
  double ramp_width(int n) const {
    return width_[static_cast<std::size_t>(n)];
  }  // ε of the step to n
  double W(int n) const { return W_[static_cast<std::size_t>(n)]; }
  double S(int n) const { return S_[static_cast<std::size_t>(n)]; }
  double W_star(int n) const { return W_star_[static_cast<std::size_t>(n)]; }
  const double* shares(int n) const { return &m_[row(n)]; }
  const double* gains(int n) const { return &v_[row(n)]; }

 private:
  std::size_t row(int n) const { return static_cast<std::size_t>(n) * cells_; }
  void backward(const std::vector<double>& Z);
  bool forward(const std::vector<double>& Z, std::vector<double>& out);

  Parameters p_;
  TradePath phi_path_;
  const TypeGrid& grid_;
  GeneralModel flows_;  // (M6) π̄N, π̄S
  std::vector<double> t_;
  TypeResolvedStart start_;
  bool freeze_capital_;
  double smoothing_;  // ramp width of the water-filling step per unit time, relative to max v
  std::size_t cells_;
  std::vector<double> weights_;
  std::vector<double> K_, K_star_, chi_, width_, W_, S_, W_star_, m_, v_;
};

}  // namespace footloose
