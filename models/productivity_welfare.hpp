// Productivity (paper (10), docs/model.md 2.5) and welfare (docs/model.md 2.6) of a temporary
// equilibrium.
#pragma once

#include "models/market.hpp"
#include "models/parameters.hpp"
#include "models/static_equilibria.hpp"

namespace footloose {

struct ProductivityWelfare {
  double a_bar = 0.0;       // revenue-weighted mean of a over firms producing in the North
  double a_bar_star = 0.0;  // same, South (NaN if no firm produces in the South)
  double omega = 0.0;       // ω = ln(m̄)/(σ−1), m̄ = sE/B
  double omega_star = 0.0;  // ω* = ln(m̄*)/(σ−1), m̄* = (1−sE)/B*
};

// General revenue-weighted form for any (K, K*, aR, φ) and its temporary equilibrium (M5):
// producers in the North are North-born units and South-born units a < aR; a firm's revenue is
// a^{1−σ}B·1[a<aD] + φa^{1−σ}B*·1[a<aX] (and symmetrically for the South).
ProductivityWelfare productivity_welfare(const Parameters& p, const MarketState& s,
                                         const TemporaryEquilibrium& eq);
// The same with the type bounds of s and eq given with their powers (e.g. the cut-offs' from
// the (M5) levels' roots, Pareto::cutoff_powers): no pow.
struct EquilibriumBounds {
  BoundPowers aR, aD, aX, aD_star, aX_star;
};
ProductivityWelfare productivity_welfare(const Parameters& p, const MarketState& s,
                                         const TemporaryEquilibrium& eq,
                                         const EquilibriumBounds& bounds);

// Closed forms of ā, ā* (only to cross-check the general form) when B = B*, so that both
// nations share the cut-offs aD, aX; capital K (North-born), K* (South-born), front aR.
// XX phase (aR ≤ aX ≤ aD), with t ≡ θ/(θ+1):
//   ā  = t [K(aD^{θ+1} + φaX^{θ+1}) + K*(1+φ)aR^{θ+1}] / [K(aD^θ + φaX^θ) + K*(1+φ)aR^θ]
//   ā* = t [aD^{θ+1} − aR^{θ+1} + φ(aX^{θ+1} − aR^{θ+1})] / [aD^θ − aR^θ + φ(aX^θ − aR^θ)]
// DD phase (aX < aR ≤ aD):
//   ā  = t [K(aD^{θ+1} + φaX^{θ+1}) + K*(aR^{θ+1} + φaX^{θ+1})] / [same with θ]
//   ā* = t (aD^{θ+1} − aR^{θ+1}) / (aD^θ − aR^θ)
// Throws std::invalid_argument if aR does not belong to the phase.
struct ProductivityPair {
  double a_bar = 0.0, a_bar_star = 0.0;
};
ProductivityPair productivity_closed_form(const Parameters& p, RelocationPhase phase, double phi,
                                          double K, double K_star, double aD, double aX, double aR);

}  // namespace footloose
