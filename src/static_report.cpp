#include "src/static_report.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "src/config_schema.hpp"
#include "src/format.hpp"

namespace footloose {

namespace {

const char* phase_name(RelocationPhase phase) {
  return phase == RelocationPhase::XX ? "XX" : "DD";
}

GeneralSnComparison compare_general_sn(const Parameters& p, double phi, double sn,
                                       const HftEquilibrium& hft) {
  GeneralSnComparison row;
  row.sn = sn;
  row.paper = paper_general_sn(p, phi, sn);
  const CurvePoint point = corrected_curve_at_sn(p, phi, sn);
  const double mbar_star_without_relocation = (1.0 - p.sE) / hft.B_star;
  row.corrected.nw = point.nw;
  row.corrected.aD = point.aD;
  row.corrected.aD_reloc_pow = std::pow(point.aD, 1.0 - p.sigma);
  row.corrected.aD_noreloc_pow = std::pow(hft.aD, 1.0 - p.sigma);
  row.corrected.mstar_ratio = point.mbar_star / mbar_star_without_relocation;
  row.aR_on_curve = point.aR;
  return row;
}

nlohmann::ordered_json parameters_json(const RunConfig& config) {
  nlohmann::ordered_json out;
  for (const auto& key : config_schema())
    if (key.group == KeyGroup::Model) out[key.name] = std::get<double>(*key.get(config));
  return out;
}

nlohmann::ordered_json relocation_json(const RelocationEquilibrium& e) {
  return {{"phase", phase_name(e.phase)},
          {"aD", e.aD},
          {"aX", e.aX},
          {"aR", e.aR},
          {"nw", e.nw},
          {"sn", e.sn},
          {"B", e.B},
          {"B_star", e.B_star},
          {"sustained", e.sustained}};
}

nlohmann::ordered_json general_sn_json(const PaperGeneralSn& g) {
  return {{"nw", g.nw},
          {"aD", g.aD},
          {"aD_reloc_pow", g.aD_reloc_pow},
          {"aD_noreloc_pow", g.aD_noreloc_pow},
          {"mstar_ratio", g.mstar_ratio}};
}

nlohmann::ordered_json optional_json(const std::optional<double>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

// Table helpers (src/format.hpp): a label column, then one or two value columns.
std::string number(double x) {
  return table_number(x);
}
void heading(std::ostream& out, const std::string& title) {
  out << "\n" << title << "\n";
}
void row(std::ostream& out, const std::string& label, const std::string& first,
         const std::string& second = "") {
  print_row(out, label, first, second);
}
void row(std::ostream& out, const std::string& label, double first) {
  row(out, label, number(first));
}
void row(std::ostream& out, const std::string& label, double first, double second) {
  row(out, label, number(first), number(second));
}
std::string yes_no(bool flag) {
  return flag ? "yes" : "no";
}

void print_parameters(std::ostream& out, const StaticReport& report) {
  const Parameters& p = report.config.params;
  out << "Static equilibria at phi = phi1 = " << number(report.phi)
      << " (docs/model.md Section 2)\n";
  out << "parameters:";
  for (const auto& key : config_schema())
    if (key.group == KeyGroup::Model)
      out << " " << key.name << "=" << key_value_text(key.get(report.config));
  out << "\nderived:    beta=" << number(p.beta()) << " theta=" << number(p.theta())
      << " c=" << number(p.c()) << " f=" << number(p.f()) << " fI=" << number(p.fI()) << "\n";
}

void print_autarky_and_hft(std::ostream& out, const StaticReport& report) {
  const auto& a = report.autarky;
  heading(out, "Autarky, paper (6)");
  row(out, "aD", a.aD);
  row(out, "n, n* (active firms)", a.n, a.n_star);
  row(out, "K, K* (capital)", a.K, a.K_star);
  row(out, "B, B*", a.B, a.B_star);
  const auto& h = report.hft;
  heading(out, "HFT: instant entry/exit, no relocation, paper (9)");
  row(out, "aD, aX", h.aD, h.aX);
  row(out, "nw, sn", h.nw, h.sn);
  row(out, "Kw; K, K*", number(h.Kw), number(h.K) + ", " + number(h.K_star));
  row(out, "B, B*", h.B, h.B_star);
  row(out, "full agglomeration (sn = 1)", yes_no(h.full_agglomeration));
  if (h.full_agglomeration) row(out, "aD*, aX* (South cut-offs)", h.aD_star, h.aX_star);
}

void print_relocation(std::ostream& out, const StaticReport& report) {
  const auto& i = report.instant_selection;
  const auto& f = report.frozen_selection;
  heading(out, "Instant relocation, no entry/exit, sn = sE (Section 2.3)");
  row(out, "", "instant selection", "frozen selection (17)");
  row(out, "phase (XX: aR <= aX, DD: aR > aX)", phase_name(i.phase), phase_name(f.phase));
  row(out, "aD", i.aD, f.aD);
  row(out, "aX", i.aX, f.aX);
  row(out, "aR", i.aR, f.aR);
  row(out, "nw", i.nw, f.nw);
  row(out, "sn", i.sn, f.sn);
  row(out, "B = B*", i.B, f.B);
  row(out, "sustained (aR reached aD)", yes_no(i.sustained), yes_no(f.sustained));
  heading(out, "Thresholds");
  row(out, "phi_P partition (18)", report.phi_partition);
  row(out, "phi_S sustain, instant selection", report.phi_sustain_instant);
  row(out, "phi_S sustain, frozen selection",
      report.phi_sustain_frozen ? number(*report.phi_sustain_frozen) : std::string("none"));
}

void print_general_sn(std::ostream& out, const StaticReport& report) {
  heading(out, "Paper's general-sn formulas (21),(22),(25),(26) vs the corrected curve (M4)");
  if (report.general_sn.empty())
    out << "  not computed: phi1 >= phi_S (instant selection), where the curve (M4) is one point\n";
  for (const auto& c : report.general_sn) {
    std::string where = "sn = " + number(c.sn);
    if (c.sn == report.config.params.sE) where += " (= sE)";
    if (c.sn == report.hft.sn) where += " (= sn_HFT)";
    out << " " << where << "\n";
    row(out, "", "paper, from (16)", "corrected, from (M4)");
    row(out, "nw (21)", c.paper.nw, c.corrected.nw);
    row(out, "aD (22)", c.paper.aD, c.corrected.aD);
    row(out, "aD_reloc^(1-sigma) (25)", c.paper.aD_reloc_pow, c.corrected.aD_reloc_pow);
    row(out, "aD_noreloc^(1-sigma) (25)", c.paper.aD_noreloc_pow, c.corrected.aD_noreloc_pow);
    row(out, "m*_reloc / m*_noreloc (26)", c.paper.mstar_ratio, c.corrected.mstar_ratio);
    row(out, "aR on the (M4) curve", "", number(c.aR_on_curve));
  }
}

}  // namespace

StaticReport compute_static_report(const RunConfig& config) {
  const Parameters& p = config.params;
  StaticReport report;
  report.config = config;
  report.phi = p.phi1;
  report.autarky = autarky(p);
  report.hft = hft(p, report.phi);
  report.instant_selection = instant_relocation(p, report.phi, SelectionReading::Instant);
  report.frozen_selection = instant_relocation(p, report.phi, SelectionReading::Frozen);
  report.phi_partition = phi_partition(p);
  report.phi_sustain_instant = phi_sustain_instant(p);
  report.phi_sustain_frozen = phi_sustain_frozen(p);
  // The curve (M4) runs from (sE, aR of (17)) to (sn_HFT, 0); past phi_S it is a single point.
  if (report.phi < report.phi_sustain_instant) {
    const double sn_hft = report.hft.sn;
    report.general_sn.push_back(compare_general_sn(p, report.phi, p.sE, report.hft));
    if (sn_hft > p.sE) {
      report.general_sn.push_back(
          compare_general_sn(p, report.phi, 0.5 * (p.sE + sn_hft), report.hft));
      report.general_sn.push_back(compare_general_sn(p, report.phi, sn_hft, report.hft));
    }
  }
  return report;
}

nlohmann::ordered_json static_report_json(const StaticReport& report) {
  const Parameters& p = report.config.params;
  const auto& a = report.autarky;
  const auto& h = report.hft;
  nlohmann::ordered_json out;
  out["model"] = "docs/model.md Section 2: static equilibria at phi = phi1";
  out["phi"] = report.phi;
  out["parameters"] = parameters_json(report.config);
  out["derived"] = {
      {"beta", p.beta()}, {"theta", p.theta()}, {"c", p.c()}, {"f", p.f()}, {"fI", p.fI()}};
  out["autarky"] = {{"aD", a.aD},         {"n", a.n}, {"n_star", a.n_star}, {"K", a.K},
                    {"K_star", a.K_star}, {"B", a.B}, {"B_star", a.B_star}};
  out["hft"] = {{"aD", h.aD},           {"aX", h.aX},
                {"nw", h.nw},           {"sn", h.sn},
                {"Kw", h.Kw},           {"K", h.K},
                {"K_star", h.K_star},   {"B", h.B},
                {"B_star", h.B_star},   {"full_agglomeration", h.full_agglomeration},
                {"aD_star", h.aD_star}, {"aX_star", h.aX_star}};
  out["instant_selection"] = relocation_json(report.instant_selection);
  out["frozen_selection"] = relocation_json(report.frozen_selection);
  out["phi_partition"] = report.phi_partition;
  out["phi_sustain_instant"] = report.phi_sustain_instant;
  out["phi_sustain_frozen"] = optional_json(report.phi_sustain_frozen);
  out["general_sn"] = nlohmann::ordered_json::array();
  for (const auto& c : report.general_sn)
    out["general_sn"].push_back({{"sn", c.sn},
                                 {"paper", general_sn_json(c.paper)},
                                 {"corrected", general_sn_json(c.corrected)},
                                 {"aR_on_curve", c.aR_on_curve}});
  return out;
}

void print_static_report(std::ostream& out, const StaticReport& report) {
  print_parameters(out, report);
  print_autarky_and_hft(out, report);
  print_relocation(out, report);
  print_general_sn(out, report);
}

}  // namespace footloose
