// The analytic Jacobian of (M7) (GeneralModel::jacobian: implicit-function derivatives of the
// temporary equilibrium (M5) and the envelope of (M3)) against central differences of the
// right-hand side, which re-solve (M5) at every perturbed state.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "models/dynamics.hpp"
#include "solvers/linearization.hpp"
#include "tests/random_parameters.hpp"

using namespace footloose;

namespace {

// Largest entry error relative to the row's scale (max |J_ij| · typical_j over the row).
double jacobian_error(const GeneralModel& model, double phi, const State& y) {
  double analytic[kStateSize * kStateSize];
  model.jacobian_at_phi(phi, y.data(), analytic);
  std::vector<double> yy(y.begin(), y.end()), typical(kStateSize);
  for (int j = 0; j < kStateSize; ++j) typical[j] = std::max(std::fabs(y[j]), 1e-3);
  typical[kRelocationState] = y[kRelocationState];  // w = aR^{ρ+σ−1} is tiny: step relative to it
  // steps small enough not to cross a cut-off kink, large enough for (M5)'s 1e-15 root accuracy
  const Eigen::MatrixXd fd = solvers::jacobian_central(
      [&](const double* x, double* f) { model.rhs_at_phi(phi, x, f); }, yy, typical, 1e-6);
  double worst = 0.0;
  for (int i = 0; i < kStateSize; ++i) {
    double scale = 1e-12;
    for (int j = 0; j < kStateSize; ++j) scale = std::max(scale, std::fabs(fd(i, j)) * typical[j]);
    for (int j = 0; j < kStateSize; ++j) {
      worst =
          std::max(worst, std::fabs(analytic[i * kStateSize + j] - fd(i, j)) * typical[j] / scale);
    }
  }
  return worst;
}

}  // namespace

TEST_CASE("Analytic Jacobian of (M7) matches central differences", "[dynamics][jacobian]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double worst = 0.0;
  int points = 0;
  for (int k = 0; k < 300; ++k) {
    const Parameters p = footloose::testing::random_parameters(rng);
    const double phi = 0.05 + 0.6 * u(rng);
    const GeneralModel model(p, {TradePathKind::Jump, phi, phi, 0.0});
    State y{};
    y[kCapitalNorth] = (0.2 + u(rng)) / p.fI();
    y[kCapitalSouth] = (0.2 + u(rng)) / p.fI();
    y[kRelocationState] = model.state_from_threshold(0.05 + 0.8 * u(rng));
    y[kValueNorth] = p.FI * (0.8 + 0.4 * u(rng));
    y[kValueSouth] = p.FI * (0.8 + 0.4 * u(rng));
    y[kRelocationValue] = p.FI * 0.1 * (u(rng) - 0.3);
    const double e = jacobian_error(model, phi, y);
    // a point within a difference step of a cut-off kink has one-sided derivatives: skip those
    // (they show up as O(1) errors); count them to make sure they are rare
    if (e > 1e-3) continue;
    worst = std::max(worst, e);
    ++points;
  }
  INFO("points compared: " << points << ", worst relative error " << worst);
  CHECK(points >= 270);
  CHECK(worst < 1e-6);
}

TEST_CASE("Analytic Jacobian at the baseline long run gives docs/model.md's eigenvalues",
          "[dynamics][jacobian]") {
  Parameters p;  // baseline; long run aR∞ = 0.4434 (docs/model.md Section 4)
  const GeneralModel model(p, {TradePathKind::Jump, p.phi1, p.phi1, 0.0});
  const State y = model.steady_state(0.443378910604, p.phi1);
  double J[kStateSize * kStateSize];
  model.jacobian_at_phi(p.phi1, y.data(), J);
  Eigen::MatrixXd M(kStateSize, kStateSize);
  for (int i = 0; i < kStateSize; ++i)
    for (int j = 0; j < kStateSize; ++j) M(i, j) = J[i * kStateSize + j];
  Eigen::VectorXd ev = M.eigenvalues().real();
  std::sort(ev.data(), ev.data() + ev.size());
  // docs/model.md: stable eigenvalues about −1.8 and −0.27, one zero (the curve), r + δ = 0.1
  CHECK(ev(0) == Approx(-1.8).margin(0.01));
  CHECK(ev(1) == Approx(-0.27).margin(0.005));
  CHECK(std::fabs(ev(2)) < 1e-8);
  CHECK(ev(3) == Approx(0.1).margin(1e-8));
}
