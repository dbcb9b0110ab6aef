// `footloose stress --n N --seed S [--json OUT] [--time-limit SEC] [--jobs J]`: robustness of the
// path solver over the whole valid parameter domain (issue 5 §3). N points are drawn
// reproducibly (std::mt19937_64 seeded by --seed), each is solved by solve_transition in its own
// forked child process (a crash, abort or hang cannot take the run down; a watchdog SIGKILLs a
// child still running at the time limit + grace), and every point is classified: valid, flagged
// (converged, a saddle/V0/V1/V2 check fails), failed (did not converge, or threw), crashed,
// timed_out; and separately `silent` (converged, but the scaled residual misses the tolerance the
// solver documents). docs/stress.md describes the domain, the rules and the output.
#pragma once

#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "models/parameters.hpp"
#include "src/cli.hpp"

namespace footloose {

// ---- the domain (bench/stress_domain.cpp) ----

// One drawn point: the parameters and the draws they were built from.
struct StressPoint {
  int index = 0;
  Parameters params;       // phi0 = 0, autarky initial state, jump to phi1 at t = 0
  double beta = 0;         // ρ = β(σ − 1)
  double gamma_ratio = 0;  // γR/γE (γE = 1, γR = ratio)
  double phi_share = 0;    // φ1/φP
  double cutoff_q = 0;     // q = FI(β−1)/F = autarky aD^ρ
  int redraws = 0;         // rejected draws before this one (should stay 0)
};

// Ranges of the draws (docs/stress.md, "Domain").
struct StressDomain {
  double sigma_min = 2.0, sigma_max = 8.0;
  double beta_min = 1.1, beta_max = 4.0;
  double sE_min = 0.51, sE_max = 0.8;
  double phi_share_min = 0.01, phi_share_max = 0.99;     // φ1 = share · φP, φP = (1 − sE)/sE
  double log10_ratio_min = -3.0, log10_ratio_max = 7.0;  // γR/γE, log-uniform
  double delta_min = 0.02, delta_max = 0.3;
  double r_min = 0.0, r_max = 0.1;
  double F_min = 0.5, F_max = 5.0;    // F log-uniform
  double q_min = 0.05, q_max = 0.95;  // q = FI(β−1)/F: autarky aD^ρ; HFT aD^ρ = q/(1+φ1^β)
  std::string description() const;
};

// N points from the seed; point i depends only on (seed, i) draws in order, so a run with a larger
// N starts with the points of a smaller one. Every point passes validate() and has interior
// autarky and HFT cut-offs (checked with models/static_equilibria; a failing draw is redrawn).
std::vector<StressPoint> draw_stress_points(int n, std::uint64_t seed,
                                            const StressDomain& domain = StressDomain{});

// The config file (`footloose path --config`) that reproduces a point.
std::string stress_point_toml(const StressPoint& point);

// ---- the command (bench/stress.cpp) ----

enum class StressClass { Valid, Flagged, Failed, Crashed, TimedOut };
const char* to_string(StressClass c);

// A message with its numbers replaced by '#', whitespace squeezed: similar failures group.
std::string message_pattern(const std::string& message);

Command add_stress_command(CLI::App& parent, std::ostream& out);

}  // namespace footloose
