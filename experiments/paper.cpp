// Experiment `paper` (docs/experiments.md): the paper's figures and results beside the general
// model. Settings: experiments/paper.toml (optional). Files: paper_fig3.csv, paper_weights.csv,
// paper_beta.csv, paper_result5.csv, paper_welfare.csv, paper_transition_welfare.csv; plot:
// plot_paper.py. The summary states a result only where the computed numbers support it.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <sstream>

#include "models/dynamics.hpp"
#include "models/productivity_welfare.hpp"
#include "models/relocation_gain.hpp"
#include "models/revenue_weights.hpp"
#include "models/static_equilibria.hpp"
#include "models/welfare_path.hpp"
#include "src/experiment.hpp"
#include "src/path_report.hpp"

namespace footloose {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ρ = β(σ−1); F raised where needed to keep the autarky cut-off interior (fI(β−1) < f). Cut-offs
// then all scale by a common factor, which changes neither φP, φS nor the sign of dā*/dφ.
Parameters with_beta(const Parameters& p, double beta) {
  Parameters q = p;
  q.rho = beta * (p.sigma - 1.0);
  q.F = std::max(p.F, 2.0 * p.FI * (beta - 1.0));
  return q;
}

// True if the values rise (weakly, by more than −tolerance) in the order given.
bool rising(const std::vector<double>& values, double tolerance = 1e-12) {
  for (std::size_t i = 1; i < values.size(); ++i)
    if (values[i] < values[i - 1] - tolerance) return false;
  return true;
}

// The transition paths at every γR/γE of `ratios` (and 1, the baseline, always), in increasing
// ratio: the baseline as the anchor, warm-started chains up and down from it.
struct WelfarePaths {
  std::vector<double> ratios;
  std::vector<SweepOutcome> outcomes;
  const SweepOutcome& baseline() const {
    return outcomes[std::lower_bound(ratios.begin(), ratios.end(), 1.0) - ratios.begin()];
  }
};

WelfarePaths solve_welfare_paths(const ExperimentContext& context, const RunConfig& model,
                                 std::vector<double> ratios, double time_limit) {
  TransitionOptions options = transition_options(model);
  options.time_limit = time_limit;
  options.threads = 1;  // solved as a sweep: one chain per worker thread
  std::sort(ratios.begin(), ratios.end());
  if (!std::binary_search(ratios.begin(), ratios.end(), 1.0))
    ratios.insert(std::lower_bound(ratios.begin(), ratios.end(), 1.0), 1.0);
  AnchoredLine line;
  line.anchor = std::lower_bound(ratios.begin(), ratios.end(), 1.0) - ratios.begin();
  for (double ratio : ratios) {
    RunConfig c = model;
    c.params.gamma_R = model.params.gamma_E * ratio;
    line.points.push_back(sweep_point(c, options));
  }
  SweepSettings settings;
  settings.threads = context.threads;
  settings.progress = context.progress;
  settings.label = "paper";
  settings.keep_paths = true;
  settings.max_consecutive_failures = 0;
  WelfarePaths paths{ratios, std::move(run_anchored_lines({line}, {{0}}, settings)[0])};
  const SweepOutcome& base = paths.baseline();
  if (!base.solved())
    throw PathNotSolved("paper: the baseline path did not converge: " + base.error);
  return paths;
}

// ---- Figure 3: relocation gains at the initial point ----
// The paper's (13)-(14) beside the true gain with each location's own cut-offs (docs/model.md
// 3.11): its flow at t = 0+ and its present value v(a, 0) along the solved path.
void figure3(ExperimentContext& context, const Parameters& p, const TransitionResult& r,
             int type_points) {
  const PathPoint& start = r.path.front();
  TextTable t;
  t.columns = {"a",  "vX_paper", "vD_paper", "gain_flow_t0", "gain_pv_t0", "pv_paper_frozen",
               "aX", "aX_star",  "aD",       "aD_star",      "aR_inf",     "sigma"};
  const double disc = p.discount();
  double below_aX = kNaN, above_aXs = kNaN;  // PV gain × a^{σ−1} on either side of the band
  double pv_below_aX = kNaN, pv_above_aXs = kNaN;  // the same, unscaled
  bool flow_falls_below_aX = true;
  double previous_flow = kNaN;
  for (int i = 1; i <= type_points; ++i) {
    const double a = start.aD * 1.02 * i / type_points;
    const PaperRelocationGain paper = paper_relocation_gain_flow(p, start, a);
    const double flow = relocation_gain_flow(p, start, a);
    const double pv = relocation_gain_value(p, r.path, a)[0];
    const double pv_scaled = pv * std::pow(a, p.sigma - 1.0);
    if (a < start.aX) {
      below_aX = pv_scaled, pv_below_aX = pv;
      if (flow > previous_flow) flow_falls_below_aX = false;
      previous_flow = flow;
    }
    if (a > start.aX_star && std::isnan(above_aXs)) above_aXs = pv_scaled, pv_above_aXs = pv;
    t.rows.push_back({cell(a), cell(paper.exporter), cell(paper.domestic), cell(flow), cell(pv),
                      cell(flow / disc), cell(start.aX), cell(start.aX_star), cell(start.aD),
                      cell(start.aD_star), cell(r.aR_inf), cell(p.sigma)});
  }
  write_text_table(context.file("_fig3.csv"), t);

  const double jump = 1.0 / (1.0 - start.phi);
  std::ostream& md = context.summary;
  md << "## Figure 3: relocation gains at t = 0 (baseline)\n\n"
     << "At t = 0+ (autarky capital, phi = " << fmt(p.phi1) << "): B = " << fmt(start.B)
     << ", B* = " << fmt(start.B_star) << "; export cut-offs differ: aX = " << fmt(start.aX)
     << " (North to South), aX* = " << fmt(start.aX_star)
     << " (South to North); aD = " << fmt(start.aD) << ", aD* = " << fmt(start.aD_star) << ". ";
  if (jump > 1.0 && start.B != start.B_star)
    md << "The paper's (13)-(14) jump by 1/(1-phi) = " << fmt(jump, 4)
       << " at aX (they do not touch as its text says). ";
  else
    md << "The paper's (13)-(14) meet at aX here (1/(1-phi) = " << fmt(jump, 4) << "). ";
  if (flow_falls_below_aX && start.aX < start.aX_star)
    md << "The true gain flow, with each location's own cut-offs, is continuous; it falls with a "
          "up to aX, then "
          "(between aX and aX*) follows a^(1-sigma)((1-phi)B - B*) + f rather than "
          "a^(1-sigma)(1-phi)(B-B*). ";
  else
    md << "The true gain flow (each location's own cut-offs) is in paper_fig3.csv; it "
       << (flow_falls_below_aX ? "falls" : "does not fall throughout") << " with a up to aX. ";
  md << "Present value along the solved path, scaled by a^(sigma-1): " << fmt(below_aX, 4)
     << " below aX, " << fmt(above_aXs, 4) << " above aX* (ratio " << fmt(above_aXs / below_aX, 4)
     << "; the t = 0 flows alone give 1/(1-phi)). ";
  const bool rises_across_band = pv_above_aXs > pv_below_aX;
  if (rises_across_band)
    md << "Unscaled, the gain is NOT monotone in a: it rises across [aX, aX*], so types just below "
          "aX gain less "
          "than types just above aX* (see paper_fig3.csv and docs/findings.md). Relocation in "
          "order of efficiency "
          "(Result 2, the single front) therefore holds only while the front stays below that "
          "band; ";
  else
    md << "Unscaled, the present-value gain is " << fmt(pv_below_aX, 4) << " just below aX and "
       << fmt(pv_above_aXs, 4)
       << " just above aX*: it does not rise across [aX, aX*] on this grid. ";
  const ValidityCheck& v2 = r.validity.v2;
  if (v2.evaluated && v2.ok && r.aR_inf < start.aX)
    md << (rises_across_band ? "on the baseline path it does" : "On the baseline path")
       << " (V2 holds; the front "
       << "stops at aR_inf = " << fmt(r.aR_inf, 4) << " < aX).\n\n";
  else
    md << (rises_across_band ? "on" : "On") << " the baseline path V2 is "
       << (!v2.evaluated ? "not evaluated"
           : v2.ok       ? "ok"
                         : "VIOLATED")
       << " (smallest margin " << fmt(v2.margin, 3)
       << ") and the front stops at aR_inf = " << fmt(r.aR_inf, 4) << " (aX = " << fmt(start.aX, 4)
       << ").\n\n";
}

// ---- Figures 2 and 5: revenue weights on a^{1−σ}dG before and after ----
void figures2_5(ExperimentContext& context, const RunConfig& model, const TransitionResult& r,
                int type_points) {
  const Parameters& p = model.params;
  const RelocationEquilibrium reloc = instant_relocation(p, p.phi1, SelectionReading::Instant);
  GeneralModel at_phi0(p, TradePath{TradePathKind::Jump, p.phi0, p.phi0, 0.0});
  GeneralModel at_phi1(p, TradePath{TradePathKind::Jump, p.phi1, p.phi1, 0.0});
  const State y0 = initial_states(p, initial_state(model));
  const State y_hft = at_phi1.steady_state(0.0, p.phi1);
  const State y_rel = at_phi1.steady_state(reloc.aR, p.phi1);
  const std::vector<std::pair<std::string, PathPoint>> cases = {
      {"pre", at_phi0.outputs(0.0, y0.data())},
      {"post_hft", at_phi1.outputs(0.0, y_hft.data())},
      {"post_instant_relocation", at_phi1.outputs(0.0, y_rel.data())},
      {"post_general", at_phi1.outputs(0.0, r.long_run.data())}};
  TextTable t;
  t.columns = {"a", "a_pow_1_minus_sigma_plus_rho"};
  for (const auto& c : cases)
    t.columns.insert(t.columns.end(), {"north_" + c.first, "south_" + c.first});
  // Normalise each weight so that ∫ weight · a^{1−σ} dG = 1 (a revenue-share density): Riemann sum
  // on the grid a = i/n with dG = ρ a^{ρ−1} da (docs/model.md Section 1).
  std::vector<RevenueWeights> totals(cases.size());
  const int n = type_points;
  std::vector<double> grid;
  for (int i = 1; i <= n; ++i) grid.push_back(double(i) / n);
  for (std::size_t k = 0; k < cases.size(); ++k)
    for (double a : grid) {
      const RevenueWeights w = revenue_weights(cases[k].second, a);
      const double dens = p.rho * std::pow(a, p.rho - p.sigma) / n;  // a^{1−σ} g(a) da
      totals[k].north += w.north * dens;
      totals[k].south += w.south * dens;
    }
  for (double a : grid) {
    std::vector<std::string> row{cell(a), cell(std::pow(a, 1.0 - p.sigma + p.rho))};
    for (std::size_t k = 0; k < cases.size(); ++k) {
      const RevenueWeights w = revenue_weights(cases[k].second, a);
      row.push_back(cell(w.north / totals[k].north));
      row.push_back(cell(totals[k].south > 0 ? w.south / totals[k].south : kNaN));
    }
    t.rows.push_back(row);
  }
  write_text_table(context.file("_weights.csv"), t);
  std::ostream& md = context.summary;
  md << "## Figures 2 and 5: weights on a^(1-sigma+rho)\n\n"
     << "Revenue weight of each type among producers (normalised to integrate to one against "
        "a^(1-sigma) dG) "
        "before (autarky) and after (HFT = Figure 2; instant relocation = Figure 5; the general "
        "model's long run). "
        "Mean a: North "
     << fmt(cases[0].second.a_bar, 4) << " -> " << fmt(cases[1].second.a_bar, 4) << " (HFT), "
     << fmt(cases[2].second.a_bar, 4) << " (instant relocation), " << fmt(cases[3].second.a_bar, 4)
     << " (general); South " << fmt(cases[0].second.a_bar_star, 4) << " -> "
     << fmt(cases[1].second.a_bar_star, 4) << ", " << fmt(cases[2].second.a_bar_star, 4) << ", "
     << fmt(cases[3].second.a_bar_star, 4) << ".";
  const double autarky_south = cases[0].second.a_bar_star;
  if (cases[2].second.a_bar_star > autarky_south && cases[3].second.a_bar_star > autarky_south)
    md << " With relocation the South loses its best types [0, aR): its mean a rises above "
          "autarky's.\n\n";
  else
    md << " With relocation the South's mean a does not rise above autarky's in both cases.\n\n";
}

// ---- Result 4: partition and sustain points against β ----
void result4(ExperimentContext& context, const Parameters& p, const std::vector<double>& betas) {
  TextTable t;
  t.columns = {"beta", "rho", "F", "phi_P", "phi_S_instant", "phi_S_frozen"};
  std::ostream& md = context.summary;
  md << "## Result 4: partition and sustain points against beta\n\n| beta | phi_P | phi_S "
        "(instant) | phi_S (frozen) |\n|---|---|---|---|\n";
  std::vector<std::array<double, 4>> by_beta;  // beta, φP, φS instant, φS frozen (NaN: none)
  for (double b : betas) {
    Parameters q = with_beta(p, b);
    double sf = kNaN;
    std::string sf_text = "none";
    try {
      if (const auto s = phi_sustain_frozen(q)) sf = *s, sf_text = fmt(*s, 5);
    } catch (const std::exception&) {
      sf_text = "error";
    }
    t.rows.push_back({cell(b), cell(q.rho), cell(q.F), cell(phi_partition(q)),
                      cell(phi_sustain_instant(q)), cell(sf)});
    md << "| " << fmt(b) << " | " << fmt(phi_partition(q), 5) << " | "
       << fmt(phi_sustain_instant(q), 5) << " | " << sf_text << " |\n";
    by_beta.push_back({b, phi_partition(q), phi_sustain_instant(q), sf});
  }
  std::sort(by_beta.begin(), by_beta.end());
  std::vector<double> partition, instant, frozen;
  for (const auto& row : by_beta) {
    partition.push_back(row[1]);
    instant.push_back(row[2]);
    if (!std::isnan(row[3])) frozen.push_back(row[3]);
  }
  const auto [lo, hi] = std::minmax_element(partition.begin(), partition.end());
  md << "\n";
  if (partition.empty() || *hi - *lo <= 1e-12 * std::abs(*hi))
    md << "phi_P = (1-sE)/sE does not depend on beta; ";
  else
    md << "phi_P varies with beta here (from " << fmt(*lo, 6) << " to " << fmt(*hi, 6) << "); ";
  if (rising(instant))
    md << "the sustain point ((1-sE)/sE)^(1/beta) rises with beta (Result 4: less agglomeration at "
          "any phi); ";
  else
    md << "the sustain point ((1-sE)/sE)^(1/beta) does not rise with beta on this grid; ";
  if (frozen.size() < 2)
    md << "the frozen-selection sustain point exists for " << frozen.size() << " of the "
       << betas.size() << " values of beta. ";
  else if (rising(frozen))
    md << "the frozen-selection sustain point, where it exists, too. ";
  else
    md << "the frozen-selection sustain point, where it exists, does not rise with beta. ";
  md << "(F is raised to 2 FI (beta-1) where the baseline F would make the autarky cut-off a "
        "corner; this rescales "
        "all cut-offs and changes none of these points.)\n\n";
  write_text_table(context.file("_beta.csv"), t);
}

// ---- Result 5: ā* in the DD phase against φ ----
void result5(ExperimentContext& context, const Parameters& p, const std::vector<double>& betas) {
  TextTable t;
  t.columns = {"beta", "reading", "phi", "a_bar", "a_bar_star", "phase"};
  std::ostream& md = context.summary;
  md << "## Result 5: South productivity in the DD phase\n\nInstant relocation, capital at "
        "autarky; a_bar* = "
        "theta/(theta+1)(aD^(theta+1) - aR^(theta+1))/(aD^theta - aR^theta) between phi_P and the "
        "sustain point. "
        "Sign of d a_bar*/d phi (positive = freer trade lowers South productivity):\n\n"
        "| beta | reading | phi range | d a_bar*/d phi at the start | at the end "
        "|\n|---|---|---|---|---|\n";
  for (double b : betas) {
    const Parameters q = with_beta(p, b);
    const AutarkyEquilibrium aut = autarky(q);
    for (const SelectionReading reading : {SelectionReading::Instant, SelectionReading::Frozen}) {
      const char* name = reading == SelectionReading::Instant ? "instant" : "frozen";
      const double lo = phi_partition(q);
      double hi = reading == SelectionReading::Instant ? phi_sustain_instant(q) : 0.999;
      if (reading == SelectionReading::Frozen) {
        try {
          if (const auto s = phi_sustain_frozen(q)) hi = *s;
        } catch (...) {
        }
      }
      std::vector<std::pair<double, double>> curve;
      const int m = 60;
      for (int i = 1; i < m; ++i) {
        const double phi = lo + (hi - lo) * i / m;
        try {
          const RelocationEquilibrium e = instant_relocation(q, phi, reading);
          if (e.phase != RelocationPhase::DD || e.sustained) continue;
          const ProductivityPair pr = productivity_closed_form(q, RelocationPhase::DD, phi, aut.K,
                                                               aut.K_star, e.aD, e.aX, e.aR);
          curve.push_back({phi, pr.a_bar_star});
          t.rows.push_back({cell(b), name, cell(phi), cell(pr.a_bar), cell(pr.a_bar_star), "DD"});
        } catch (const std::exception&) {
        }
      }
      const auto slope = [&](std::size_t i) {
        return (curve[i + 1].second - curve[i].second) / (curve[i + 1].first - curve[i].first);
      };
      md << "| " << fmt(b) << " | " << name << " | ";
      if (curve.size() >= 2)
        md << fmt(curve.front().first, 3) << "-" << fmt(curve.back().first, 3) << " | "
           << fmt(slope(0), 3) << " | " << fmt(slope(curve.size() - 2), 3) << " |\n";
      else
        md << "no DD interior | - | - |\n";
    }
  }
  md << "\n";
  write_text_table(context.file("_result5.csv"), t);
}

// ---- Result 6 and (26): long-run small-nation welfare ----
void result6(ExperimentContext& context, const Parameters& p) {
  TextTable t;
  t.columns = {"phi",
               "sn",
               "mstar_ratio_paper_26",
               "mstar_ratio_corrected",
               "omega_star_hft",
               "omega_star_autarky"};
  const HftEquilibrium h1 = hft(p, p.phi1);
  const double omega_aut = welfare_index(p, 1 - p.sE, autarky(p).B_star);
  const double phi_top = std::min(0.95 * phi_sustain_instant(p), 0.95);
  bool r6 = true;
  double prev = -1e300, corrected_deviation = 0.0;  // largest |corrected ratio − 1|
  int corrected_points = 0;
  for (int i = 0; i <= 40; ++i) {
    const double phi = phi_top * i / 40;
    const HftEquilibrium h = hft(p, phi);
    const double omega_star = welfare_index(p, 1 - p.sE, h.B_star);
    if (omega_star < prev - 1e-12) r6 = false;
    prev = omega_star;
    for (int j = 0; j <= 4; ++j) {
      const double sn = p.sE + (h.sn - p.sE) * j / 4;
      double paper = kNaN, corrected = kNaN;
      try {
        paper = paper_general_sn(p, phi, sn).mstar_ratio;
        corrected = corrected_curve_at_sn(p, phi, sn).mbar_star / ((1 - p.sE) / h.B_star);
      } catch (const std::exception&) {
      }
      if (std::isfinite(corrected)) {
        corrected_deviation = std::max(corrected_deviation, std::abs(corrected - 1.0));
        ++corrected_points;
      }
      t.rows.push_back(
          {cell(phi), cell(sn), cell(paper), cell(corrected), cell(omega_star), cell(omega_aut)});
    }
  }
  write_text_table(context.file("_welfare.csv"), t);
  const PaperGeneralSn at_hft = paper_general_sn(p, p.phi1, h1.sn);
  std::ostream& md = context.summary;
  md << "## Results 6 and 7: small-nation welfare\n\n"
     << "Result 6 (long-run omega* = ln(m*)/(sigma-1) rises with phi, HFT = any point of the "
        "curve): "
     << (r6 ? "holds" : "FAILS") << " on phi in [0, " << fmt(phi_top, 3) << "] (omega* from "
     << fmt(omega_aut, 5) << " in autarky).\n\n(26) at phi = " << fmt(p.phi1)
     << ", sn = sn_HFT = " << fmt(h1.sn, 5)
     << ": paper m*_reloc/m*_noreloc = " << fmt(at_hft.mstar_ratio, 6) << "; corrected (M4): ";
  if (corrected_points > 0 && corrected_deviation <= 1e-9)
    md << "1 for every sn on the curve (long-run welfare does not depend on sn).\n\n";
  else
    md << "largest |ratio - 1| = " << fmt(corrected_deviation, 3) << " over " << corrected_points
       << " points of the curve (paper_welfare.csv).\n\n";
}

// ---- Result 7 along transition paths: ∫ (ω*(t) − ω*∞) e^{−rt} dt ----
void result7(ExperimentContext& context, const Parameters& p, const WelfarePaths& paths) {
  TextTable tw;
  tw.columns = {"gamma_ratio",
                "status",
                "sn_inf",
                "lambda_R",
                "omega_star_inf",
                "omega_inf",
                "integral_omega_star_gap",
                "integral_omega_gap"};
  // ω* at each solved path's long-run steady state (the path's last point is T away from it) and
  // the integrals ∫ (ω* − ω*∞) e^{−rt} dt.
  std::vector<double> long_run, gains;
  const GeneralModel at_phi1(p, TradePath{TradePathKind::Jump, p.phi1, p.phi1, 0.0});
  std::ostringstream rows;
  for (std::size_t i = 0; i < paths.ratios.size(); ++i) {
    const double ratio = paths.ratios[i];
    const SweepOutcome& o = paths.outcomes[i];
    const bool solved = o.solved();
    const auto num = [&](double x) { return solved ? x : kNaN; };
    const double gs =
        solved ? welfare_gap_integral(o.result.path, &PathPoint::omega_star, p.r) : kNaN;
    const double g = solved ? welfare_gap_integral(o.result.path, &PathPoint::omega, p.r) : kNaN;
    if (solved)
      long_run.push_back(at_phi1.outputs(0.0, o.result.long_run.data()).omega_star),
          gains.push_back(gs);
    tw.rows.push_back({cell(ratio), to_string(o.status), cell(num(o.result.sn_inf)),
                       cell(num(o.result.lambda_R)),
                       cell(solved ? o.result.path.back().omega_star : kNaN),
                       cell(solved ? o.result.path.back().omega : kNaN), cell(gs), cell(g)});
    rows << "| " << fmt(ratio) << " | " << (solved ? fmt(o.result.sn_inf) : "-") << " | "
         << (solved ? fmt(o.result.lambda_R, 5) : "-") << " | "
         << (solved ? fmt(o.result.path.back().omega_star) : "-") << " | " << fmt(gs, 4) << " | "
         << fmt(g, 4) << " | " << to_string(o.status) << " |\n";
  }
  const auto spread = [](const std::vector<double>& x) {
    return x.empty()
               ? 0.0
               : *std::max_element(x.begin(), x.end()) - *std::min_element(x.begin(), x.end());
  };
  std::ostream& md = context.summary;
  md << "Result 7 along the transition (phi " << fmt(p.phi0) << " -> " << fmt(p.phi1) << "): ";
  if (long_run.size() >= 2 && spread(long_run) <= 1e-9 * std::abs(long_run.front()))
    md << "long-run omega* is the same whatever gamma_R/gamma_E; ";
  else
    md << "long-run omega* (at the steady states) spans " << fmt(spread(long_run), 3)
       << " over the " << long_run.size() << " solved gamma_R/gamma_E; ";
  md << "the transitional gain integral of (omega*(t) - omega*_inf) dt"
     << (p.r > 0 ? " discounted at r" : " (r = 0: undiscounted)")
     << (gains.size() >= 2 && spread(gains) > 0 ? " differs" : " is") << ":\n\n"
     << "| gamma_R/gamma_E | sn_inf | lambda_R | omega*_inf | int (omega* - omega*_inf) dt | int "
        "(omega - omega_inf) dt | status |\n|---|---|---|---|---|---|---|\n"
     << rows.str() << "\n";
  write_text_table(context.file("_transition_welfare.csv"), tw);
}

void run_paper(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> betas =
      config.numbers("beta", {1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0});
  const std::vector<double> result5_betas = config.numbers("result5_beta", {1.2, 2.0, 4.0, 8.0});
  const std::vector<double> welfare_ratios =
      config.numbers("gamma_ratio", {0.01, 0.1, 1.0, 100.0, 1e4});
  const double time_limit = config.number("time_limit", 60.0);
  const int type_points = config.integer("type_points", 400);
  config.reject_unknown_keys();

  const WelfarePaths paths = solve_welfare_paths(context, model, welfare_ratios, time_limit);
  const TransitionResult& baseline = paths.baseline().result;
  figure3(context, model.params, baseline, type_points);
  figures2_5(context, model, baseline, type_points);
  result4(context, model.params, betas);
  result5(context, model.params, result5_betas);
  result6(context, model.params);
  result7(context, model.params, paths);
}

}  // namespace
}  // namespace footloose

FOOTLOOSE_REGISTER_EXPERIMENT(
    "paper", "the paper's Figures 2, 3, 5 and Results 4-7 beside the general model",
    footloose::run_paper);
