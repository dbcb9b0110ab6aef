// Productivity (paper (10), MODEL.md 2.5) and welfare (MODEL.md 2.6) of a temporary equilibrium.
#pragma once

#include "models/market.hpp"
#include "models/parameters.hpp"

namespace footloose {

struct ProductivityWelfare {
  double a_bar = 0.0;       // revenue-weighted mean of a over firms producing in the North
  double a_bar_star = 0.0;  // same, South
  double omega = 0.0;       // ω = ln(m̄)/(σ−1), m̄ = sE/B
  double omega_star = 0.0;  // ω* = ln(m̄*)/(σ−1), m̄* = (1−sE)/B*
};

// General revenue-weighted form for any (K, K*, aR, φ) and its temporary equilibrium (M5):
// producers in the North are North-born units and South-born units a < aR; a firm's revenue is
// a^{1−σ}B·1[a<aD] + φa^{1−σ}B*·1[a<aX] (and symmetrically for the South).
ProductivityWelfare productivity_welfare(const Parameters& p, const MarketState& s,
                                         const TemporaryEquilibrium& eq);

}  // namespace footloose
