// Validity of the single relocation front on a solved path (docs/model.md Section 3: V0, V1, V2).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "models/dynamics.hpp"
#include "models/static_equilibria.hpp"
#include "solvers/worker_team.hpp"

namespace footloose {

struct ValidityCheck {
  bool ok = true;
  double margin = 0.0;  // smallest slack (negative where violated)
  double time = 0.0;    // where the margin is smallest
  double type = 0.0;    // V2: the type a with the largest gain there
  bool evaluated = false;
};

// "NAME: ok (what, smallest margin m at t = x[, type a = y])" (or VIOLATED, or not evaluated),
// one line of a validity report.
void append_check_line(std::ostream& os, const char* name, const ValidityCheck& check,
                       const char* what);

struct ValidityReport {
  ValidityCheck v0;  // P(t) ≥ 0 on the whole path
  ValidityCheck v1;  // aR(t) ≤ min(aX(s), aX*(s)) for all s ≥ t
  ValidityCheck v2;  // max_{a > aR(t)} v(a,t) ≤ v(aR(t), t)
  bool all_ok() const { return v0.ok && v1.ok && (!v2.evaluated || v2.ok); }
  std::string report() const;
};

// path: outputs on an increasing time grid ending at the horizon, where the economy is at (or
// very near) a steady state with B = B*. Tolerances are relative to the scale of each quantity.
// team (or nullptr): V2's independent work through it (the same bits).
ValidityReport check_validity(const Parameters& p, const std::vector<PathPoint>& path,
                              bool evaluate_v2, int type_grid_size,
                              solvers::WorkerTeam* team = nullptr);

// V1 and V2 in the instant-relocation limit (γR → 0, instant selection: B = B*, one aX), for the
// equilibrium e at freeness φ: V1 is aR ≤ aX (the XX phase, φ ≤ φP); V2 is
// aR ≤ (1−φ)^{1/(σ−1)} aX. V0 holds there (P = 0). A sustained e (aR = aD) is outside the
// single-front model whatever these say.
struct StaticValidity {
  bool v1 = false, v2 = false;
  double v2_margin = 0.0;  // (1−φ)^{1/(σ−1)} aX − aR: negative where V2 fails
};
StaticValidity static_validity(const Parameters& p, double phi, const RelocationEquilibrium& e);

}  // namespace footloose
