// The paper's static equilibria (docs/model.md Section 2): the polar cases that the dynamic model
// must reach in its limits. Each function returns a plain result struct; all at a given φ.
#pragma once

#include <optional>
#include <string>

#include "models/parameters.hpp"

namespace footloose {

// 2.1 Autarky, paper (6): per nation, expenditure E = sE (North) or 1 − sE (South).
// Throws ParameterError unless the cut-off is interior: fI(β−1) < f.
struct AutarkyEquilibrium {
  double aD = 0.0;               // aD^ρ = fI(β−1)/f (same in both nations)
  double n = 0.0, n_star = 0.0;  // active firms per nation: E(β−1)/(βf)
  double K = 0.0, K_star = 0.0;  // capital (all created units): E/(β fI)
  double B = 0.0, B_star = 0.0;  // demand levels E/m̄
};
AutarkyEquilibrium autarky(const Parameters& p);

// 2.2 Instantaneous entry/exit, no relocation (HFT), paper (9), at freeness φ.
struct HftEquilibrium {
  double aD = 0.0, aX = 0.0;  // aD^ρ = fI(β−1)/(f(1+φ^β)), aX = φ^{1/(σ−1)} aD
  double nw = 0.0, sn = 0.0;  // active firms in the world and North share
  double Kw = 0.0, K = 0.0, K_star = 0.0;  // capital, Kw = 1/(βfI) for every φ (corner too)
  double B = 0.0, B_star = 0.0;
  bool full_agglomeration = false;  // sn would exceed 1: corner with all firms in the North
  // For the corner: the South domestic/export cut-offs differ from the North's.
  double aD_star = 0.0, aX_star = 0.0;
};
// Interior (sn ≤ 1, i.e. φ^β ≤ (1−sE)/sE) needs fI(β−1) < f(1+φ^β); the corner
// (all capital in the North, K* = 0, Kw = 1/(βfI)) needs sE fI(β−1) < f. Else ParameterError.
HftEquilibrium hft(const Parameters& p, double phi);

// 2.3 Instantaneous relocation, no entry/exit; sn = sE.
enum class RelocationPhase { XX, DD };  // XX: aR ≤ aX (South exports); DD: aR > aX
enum class SelectionReading { Frozen, Instant };
struct RelocationEquilibrium {
  SelectionReading reading = SelectionReading::Instant;
  RelocationPhase phase = RelocationPhase::XX;
  double aD = 0.0, aX = 0.0, aR = 0.0;  // cut-offs and relocation threshold
  double nw = 0.0, sn = 0.0;            // sn = sE (ownership share)
  double B = 0.0, B_star = 0.0;         // B = B* (B > B* when sustained)
  bool sustained = false;               // aR reached aD: every South firm relocated
};
// Capital K, K* stays at autarky (so autarky must be interior: fI(β−1) < f). Frozen reading:
// aD and nw are autarky's; the domestic cut-off condition does not hold (B < f aD^{σ−1}).
// When sustained: aR = aD, all units produce in the North, phase DD; instant reading then has
// aD^ρ = sE fI(β−1)/f, aX^ρ = (1−sE) fI(β−1)/f; frozen reading aX^ρ = (1−sE) aD^ρ.
// Frozen selection: the paper's (17)/(20), aD and nw stay at autarky, y = aX/aD solves
// φ y^{1−σ} − φ y^θ = 1.  Instant selection: aD, aX at HFT values, aR by (17)/(20).
RelocationEquilibrium instant_relocation(const Parameters& p, double phi, SelectionReading reading);

// (18) partition point φP = (1−sE)/sE (aR = aX), in either reading.
double phi_partition(const Parameters& p);
// Sustain points (aR = aD, DD phase): instant selection φS = ((1−sE)/sE)^{1/β};
// frozen selection solves y^θ sE φ/(1−sE) = 1 with y(φ) — std::nullopt if none in [0,1).
double phi_sustain_instant(const Parameters& p);
std::optional<double> phi_sustain_frozen(const Parameters& p);

// 2.4 The paper's general-sn formulas as printed (built on its (16)).
struct PaperGeneralSn {
  double nw = 0.0;              // (21) nw = (1−1/β)/(f(sn/sE + φ^β))
  double aD = 0.0;              // (22) aD^ρ = fI(β−1)/(f[β(sn/sE−1)+1+φ^β])
  double aD_reloc_pow = 0.0;    // (25) (aD_reloc)^{1−σ}
  double aD_noreloc_pow = 0.0;  // (25) (aD_noreloc)^{1−σ}
  double mstar_ratio = 0.0;     // (26) m̄*_reloc/m̄*_noreloc
};
// Throws ParameterError if sn ∉ (0, 1] or (22) gives no interior cut-off.
PaperGeneralSn paper_general_sn(const Parameters& p, double phi, double sn);

// 2.4 Corrected: with the full (M4) every equilibrium on the curve has HFT nw, aD, aX;
// (sn, aR) on (M4). Given sn in [sE, sn_HFT] (or aR in [0, aR of
// (17)/(20)]) return the point of the curve. Needs φ below the sustain point
// ((1−sE)/sE)^{1/β} and an interior HFT cut-off; else ParameterError.
struct CurvePoint {
  double sn = 0.0, aR = 0.0;
  double nw = 0.0, aD = 0.0, aX = 0.0;
  double mbar = 0.0, mbar_star = 0.0;  // price-index bases m̄ = sE/B, m̄* = (1−sE)/B*
  RelocationPhase phase = RelocationPhase::XX;
};
CurvePoint corrected_curve_at_sn(const Parameters& p, double phi, double sn);
CurvePoint corrected_curve_at_aR(const Parameters& p, double phi, double aR);

}  // namespace footloose
