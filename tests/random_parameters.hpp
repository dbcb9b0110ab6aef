// Random model parameters for the tests that check the model's functions at many points.
#pragma once

#include <cmath>
#include <random>

#include "models/parameters.hpp"

namespace footloose::testing {

// σ ∈ (2, 6), ρ/(σ−1) ∈ (1.2, 3.7), sE ∈ (0.52, 0.82), δ ∈ (0.05, 0.25), r ∈ (0, 0.05),
// γE ∈ (0.1, 10), γR ∈ (0.1, 100) log-uniform; the rest at the baseline.
inline Parameters random_parameters(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Parameters p;
  p.sigma = 2.0 + 4.0 * u(rng);
  p.rho = (p.sigma - 1.0) * (1.2 + 2.5 * u(rng));
  p.sE = 0.52 + 0.3 * u(rng);
  p.delta = 0.05 + 0.2 * u(rng);
  p.r = 0.05 * u(rng);
  p.gamma_E = std::pow(10.0, -1.0 + 2.0 * u(rng));
  p.gamma_R = std::pow(10.0, -1.0 + 3.0 * u(rng));
  return p;
}

}  // namespace footloose::testing
