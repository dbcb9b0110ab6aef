// Every static equilibrium of docs/model.md Section 2 at φ = phi1, as one report: computed once,
// then printed as a readable table or written as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <vector>

#include "models/static_equilibria.hpp"
#include "src/config.hpp"

namespace footloose {

// The paper's general-sn formulas (built on its (16)) beside the corrected curve (M4), at one sn.
struct GeneralSnComparison {
  double sn = 0.0;
  PaperGeneralSn paper;
  PaperGeneralSn corrected;  // same quantities from the (M4) curve; mstar_ratio against HFT
  double aR_on_curve = 0.0;
};

struct StaticReport {
  RunConfig config;
  double phi = 0.0;  // = phi1
  AutarkyEquilibrium autarky;
  HftEquilibrium hft;
  RelocationEquilibrium instant_selection, frozen_selection;
  double phi_partition = 0.0;
  double phi_sustain_instant = 0.0;
  std::optional<double> phi_sustain_frozen;  // nullopt: no sustain point in [0, 1)
  // sn = sE first (where (16) and (M4) coincide), then points along the curve up to sn_HFT where
  // they differ; empty when phi >= phi_sustain_instant (the curve is then a single point).
  std::vector<GeneralSnComparison> general_sn;
};

StaticReport compute_static_report(const RunConfig& config);
nlohmann::ordered_json static_report_json(const StaticReport& report);
void print_static_report(std::ostream& out, const StaticReport& report);

}  // namespace footloose
