// First guesses of the aggregate path Z = (B(t_n), B*(t_n)) for the type-resolved fixed point
// (models/type_resolved.hpp): the single-front (M7) path of solve_transition on the mesh.
#pragma once

#include <string>
#include <vector>

#include "models/dynamics.hpp"
#include "models/parameters.hpp"
#include "models/trade_path.hpp"

namespace footloose {

struct SingleFrontGuess {
  bool usable = false;    // converged and trustworthy (V0–V2, saddle, horizon)
  std::vector<double> Z;  // B at the mesh times, then B* (empty unless the path converged)
  double aR_inf = 0;      // the front's long-run threshold
  std::string note;       // why it is not usable, or a one-line summary
};

// B, B* of a path (increasing t) linearly interpolated at `times`, held constant beyond its ends.
std::vector<double> aggregate_path_on_mesh(const std::vector<PathPoint>& path,
                                           const std::vector<double>& times);

// solve_transition (collocation, default options, `time_limit` seconds) for the same shock.
SingleFrontGuess single_front_guess(const Parameters& p, const TradePath& phi_path,
                                    const InitialStateSpec& initial,
                                    const std::vector<double>& times, double time_limit);

}  // namespace footloose
