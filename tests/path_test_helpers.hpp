// Small helpers shared by the tests that solve transition paths.
#pragma once

#include "models/transition.hpp"

namespace footloose::testing {

// The jump φ0 → φ1 at t = 0 of the parameters.
inline TradePath jump(const Parameters& p) {
  return {TradePathKind::Jump, p.phi0, p.phi1, 0.0};
}

// Default options with the given BVP method.
inline TransitionOptions with_method(PathMethod m) {
  TransitionOptions o;
  o.method = m;
  return o;
}

// The baseline path (the jump 0 -> 0.4 from autarky, default options) solved cold at sE = 0.601:
// the neighbour the warm-start tests start the baseline (sE = 0.6) from.
inline TransitionResult baseline_neighbour() {
  Parameters neighbour;
  neighbour.sE = 0.601;
  return solve_transition(neighbour, TradePath{}, InitialStateSpec{}, TransitionOptions{});
}

}  // namespace footloose::testing
