// paper (10) type by type (docs/model.md 2.5): the revenue weight of each type among the firms
// producing in each nation, the integrand of the revenue-weighted productivity ā, ā* that
// productivity_welfare (models/productivity_welfare.hpp) computes in closed form. Used by
// experiment `paper` (Figures 2 and 5).
#pragma once

#include "models/dynamics.hpp"

namespace footloose {

// Revenue of type a per unit a^{1−σ} dG at the instant x, summed over the producers in each nation:
// North producers are the North-born units (mass K) and the South-born a < aR (K*), South producers
// the South-born a ≥ aR. A unit producing in the North sells B at home if a < aD and φB* abroad if
// a < aX; in the South B* if a < aD* and φB if a < aX*.
struct RevenueWeights {
  double north = 0.0, south = 0.0;
};
RevenueWeights revenue_weights(const PathPoint& x, double a);

}  // namespace footloose
