// `footloose experiment paper`: the paper's figures and results beside the general model
// (docs/experiments.md). Files: paper_fig3.csv, paper_weights.csv, paper_beta.csv,
// paper_result5.csv, paper_welfare.csv, paper_transition_welfare.csv.
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/dynamics.hpp"
#include "models/productivity_welfare.hpp"
#include "models/static_equilibria.hpp"
#include "src/experiment.hpp"
#include "src/path_report.hpp"
#include "src/sweep.hpp"

namespace footloose {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Operating profit flow (times σ) of type a at demand levels (local, foreign) with freeness φ.
double profit(double a, double local, double foreign, double phi, double f, double sigma) {
  const double x = std::pow(a, 1.0 - sigma);
  return std::max(x * local - f, 0.0) + std::max(phi * x * foreign - f, 0.0);
}

// Revenue weight (per unit a^{1−σ} dG) of type a among firms producing in each nation.
std::pair<double, double> revenue_weights(double a, const PathPoint& s) {
  const double home = (a < s.aD ? s.B : 0.0) + (a < s.aX ? s.phi * s.B_star : 0.0);
  const double north = s.K * home + (a < s.aR ? s.K_star * home : 0.0);
  const double south = a >= s.aR ? s.K_star * ((a < s.aD_star ? s.B_star : 0.0) + (a < s.aX_star ? s.phi * s.B : 0.0)) : 0.0;
  return {north, south};
}

// ρ = β(σ−1); F raised where needed to keep the autarky cut-off interior (fI(β−1) < f). Cut-offs
// then all scale by a common factor, which changes neither φP, φS nor the sign of dā*/dφ.
Parameters with_beta(const Parameters& p, double beta) {
  Parameters q = p;
  q.rho = beta * (p.sigma - 1.0);
  q.F = std::max(p.F, 2.0 * p.FI * (beta - 1.0));
  return q;
}

}  // namespace

void experiment_paper(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> betas = config.numbers("beta", {1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0});
  const std::vector<double> result5_betas = config.numbers("result5_beta", {1.2, 2.0, 4.0, 8.0});
  const std::vector<double> welfare_ratios = config.numbers("gamma_ratio", {0.01, 0.1, 1.0, 100.0, 1e4});
  const double time_limit = config.number("time_limit", 60.0);
  const int type_points = config.integer("type_points", 400);
  config.reject_unknown_keys();
  const Parameters& p = model.params;
  std::ostream& md = context.summary;
  const double f = p.f();

  // ---- transition solves: baseline and the welfare comparison across γR/γE ----
  TransitionOptions options = transition_options(model);
  options.time_limit = time_limit;
  std::vector<std::vector<SweepPoint>> chains(2);
  std::vector<std::vector<double>> chain_ratios(2);
  std::vector<double> up, down;
  for (double r : welfare_ratios) (r >= 1.0 ? up : down).push_back(r);
  std::sort(up.begin(), up.end());
  std::sort(down.rbegin(), down.rend());
  if (up.empty() || up.front() != 1.0) up.insert(up.begin(), 1.0);  // the baseline is always solved
  for (int c = 0; c < 2; ++c) {
    std::vector<double> ratios = c == 0 ? up : down;
    if (c == 1 && !ratios.empty()) ratios.insert(ratios.begin(), 1.0);  // warm start from the baseline
    for (double r : ratios) {
      SweepPoint s;
      s.params = p;
      s.params.gamma_R = p.gamma_E * r;
      RunConfig rc = model;
      rc.params = s.params;
      s.phi_path = trade_path(rc);
      s.initial = initial_state(rc);
      s.options = options;
      chains[c].push_back(s);
      chain_ratios[c].push_back(r);
    }
  }
  SweepSettings settings;
  settings.threads = context.threads;
  settings.progress = context.progress;
  settings.label = "paper";
  settings.keep_paths = true;
  settings.max_consecutive_failures = 0;
  const auto outcomes = run_sweep(chains, settings);
  const SweepOutcome& base = outcomes[0][0];
  if (base.status == SweepStatus::Failed || base.status == SweepStatus::Skipped)
    throw PathNotSolved("paper: the baseline path did not converge: " + base.error);
  const TransitionResult& r = base.result;
  const PathPoint& start = r.path.front();
  GeneralModel at_phi1(p, TradePath{TradePathKind::Jump, p.phi1, p.phi1, 0.0});

  // ---- Figure 3: relocation gains at the initial point ----
  // Paper (13)-(14): vX = a^{1−σ}(1−φ)(B−B*)/σ for a < aX, vD = a^{1−σ}(B−B*)/σ for aX < a < aD
  // (flows; the paper's present values are these over r+δ when B, B* stay put). The true flow
  // gain uses each location's own cut-offs: [π_N(a) − π_S(a)]; the true PV gain integrates it
  // along the solved path, v(a, 0) = ∫ e^{−(r+δ)t} gain(a, t) dt.
  {
    TextTable t;
    t.columns = {"a", "vX_paper", "vD_paper", "gain_flow_t0", "gain_pv_t0", "pv_paper_frozen", "aX", "aX_star", "aD", "aD_star", "aR_inf", "sigma"};
    const double disc = p.discount();
    double below_aX = kNaN, above_aXs = kNaN;  // PV gain × a^{σ−1} on either side of the band
    for (int i = 1; i <= type_points; ++i) {
      const double a = start.aD * 1.02 * i / type_points;
      const double x = std::pow(a, 1.0 - p.sigma) / p.sigma;
      const double vX = a <= start.aX ? x * (1 - start.phi) * (start.B - start.B_star) : kNaN;
      const double vD = a > start.aX && a <= start.aD ? x * (start.B - start.B_star) : kNaN;
      const double flow = (profit(a, start.B, start.B_star, start.phi, f, p.sigma) -
                           profit(a, start.B_star, start.B, start.phi, f, p.sigma)) / p.sigma;
      double pv = 0.0;
      for (std::size_t k = 1; k < r.path.size(); ++k) {
        const PathPoint& u = r.path[k - 1];
        const PathPoint& v = r.path[k];
        const double gu = (profit(a, u.B, u.B_star, u.phi, f, p.sigma) - profit(a, u.B_star, u.B, u.phi, f, p.sigma)) / p.sigma;
        const double gv = (profit(a, v.B, v.B_star, v.phi, f, p.sigma) - profit(a, v.B_star, v.B, v.phi, f, p.sigma)) / p.sigma;
        pv += 0.5 * (v.t - u.t) * (gu * std::exp(-disc * u.t) + gv * std::exp(-disc * v.t));
      }
      const double pv_scaled = pv * std::pow(a, p.sigma - 1.0);
      if (a < start.aX) below_aX = pv_scaled;
      if (a > start.aX_star && std::isnan(above_aXs)) above_aXs = pv_scaled;
      t.rows.push_back({cell(a), cell(vX), cell(vD), cell(flow), cell(pv), cell(flow / disc), cell(start.aX),
                        cell(start.aX_star), cell(start.aD), cell(start.aD_star), cell(r.aR_inf), cell(p.sigma)});
    }
    write_text_table(context.file("_fig3.csv"), t);
    const double jump = 1.0 / (1.0 - start.phi);
    md << "## Figure 3: relocation gains at t = 0 (baseline)\n\n"
       << "At t = 0+ (autarky capital, phi = " << fmt(p.phi1) << "): B = " << fmt(start.B) << ", B* = "
       << fmt(start.B_star) << "; export cut-offs differ: aX = " << fmt(start.aX) << " (North to South), aX* = "
       << fmt(start.aX_star) << " (South to North); aD = " << fmt(start.aD) << ", aD* = " << fmt(start.aD_star)
       << ". The paper's (13)-(14) jump by 1/(1-phi) = " << fmt(jump, 4)
       << " at aX (they do not touch as its text says). The true gain flow, with each location's own cut-offs, is "
          "continuous; it falls with a up to aX, then (between aX and aX*) follows a^(1-sigma)((1-phi)B - B*) + f "
          "rather than a^(1-sigma)(1-phi)(B-B*). Present value along the solved path, scaled by a^(sigma-1): "
       << fmt(below_aX, 4) << " below aX, " << fmt(above_aXs, 4) << " above aX* (ratio " << fmt(above_aXs / below_aX, 4)
       << "; the t = 0 flows alone give 1/(1-phi)). Unscaled, the gain is NOT monotone in a: it rises across "
          "[aX, aX*], so types just below aX gain less than types just above aX* (see paper_fig3.csv and "
          "docs/findings.md). Relocation in order of efficiency (Result 2, the single front) therefore holds only "
          "while the front stays below that band; on the baseline path it does (V2 holds; the front stops at "
          "aR_inf = "
       << fmt(r.aR_inf, 4) << " < aX).\n\n";
  }

  // ---- Figures 2 and 5: revenue weights on a^{1−σ}dG before and after ----
  {
    const RelocationEquilibrium reloc = instant_relocation(p, p.phi1, SelectionReading::Instant);
    GeneralModel at_phi0(p, TradePath{TradePathKind::Jump, p.phi0, p.phi0, 0.0});
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
    for (const auto& c : cases) t.columns.insert(t.columns.end(), {"north_" + c.first, "south_" + c.first});
    // Normalise each weight so that ∫ weight · a^{1−σ} dG = 1 (a revenue-share density).
    std::vector<std::pair<double, double>> totals(cases.size(), {0.0, 0.0});
    const int n = type_points;
    std::vector<double> grid;
    for (int i = 1; i <= n; ++i) grid.push_back(double(i) / n);
    for (std::size_t k = 0; k < cases.size(); ++k)
      for (double a : grid) {
        const auto w = revenue_weights(a, cases[k].second);
        const double dens = p.rho * std::pow(a, p.rho - p.sigma) / n;  // a^{1−σ} g(a) da
        totals[k].first += w.first * dens;
        totals[k].second += w.second * dens;
      }
    for (double a : grid) {
      std::vector<std::string> row{cell(a), cell(std::pow(a, 1.0 - p.sigma + p.rho))};
      for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto w = revenue_weights(a, cases[k].second);
        row.push_back(cell(w.first / totals[k].first));
        row.push_back(cell(totals[k].second > 0 ? w.second / totals[k].second : kNaN));
      }
      t.rows.push_back(row);
    }
    write_text_table(context.file("_weights.csv"), t);
    md << "## Figures 2 and 5: weights on a^(1-sigma+rho)\n\n"
       << "Revenue weight of each type among producers (normalised to integrate to one against a^(1-sigma) dG) "
          "before (autarky) and after (HFT = Figure 2; instant relocation = Figure 5; the general model's long run). "
          "Mean a: North " << fmt(cases[0].second.a_bar, 4) << " -> " << fmt(cases[1].second.a_bar, 4) << " (HFT), "
       << fmt(cases[2].second.a_bar, 4) << " (instant relocation), " << fmt(cases[3].second.a_bar, 4)
       << " (general); South " << fmt(cases[0].second.a_bar_star, 4) << " -> " << fmt(cases[1].second.a_bar_star, 4)
       << ", " << fmt(cases[2].second.a_bar_star, 4) << ", " << fmt(cases[3].second.a_bar_star, 4)
       << ". With relocation the South loses its best types [0, aR): its mean a rises above autarky's.\n\n";
  }

  // ---- Result 4: partition and sustain points against β ----
  {
    TextTable t;
    t.columns = {"beta", "rho", "F", "phi_P", "phi_S_instant", "phi_S_frozen"};
    md << "## Result 4: partition and sustain points against beta\n\n| beta | phi_P | phi_S (instant) | phi_S (frozen) |\n|---|---|---|---|\n";
    for (double b : betas) {
      Parameters q = with_beta(p, b);
      double sf = kNaN;
      std::string sf_text = "none";
      try {
        if (const auto s = phi_sustain_frozen(q)) sf = *s, sf_text = fmt(*s, 5);
      } catch (const std::exception& e) {
        sf_text = "error";
      }
      t.rows.push_back({cell(b), cell(q.rho), cell(q.F), cell(phi_partition(q)), cell(phi_sustain_instant(q)), cell(sf)});
      md << "| " << fmt(b) << " | " << fmt(phi_partition(q), 5) << " | " << fmt(phi_sustain_instant(q), 5) << " | "
         << sf_text << " |\n";
    }
    md << "\nphi_P = (1-sE)/sE does not depend on beta; the sustain point ((1-sE)/sE)^(1/beta) rises with beta "
          "(Result 4: less agglomeration at any phi); the frozen-selection sustain point, where it exists, too. "
          "(F is raised to 2 FI (beta-1) where the baseline F would make the autarky cut-off a corner; this rescales "
          "all cut-offs and changes none of these points.)\n\n";
    write_text_table(context.file("_beta.csv"), t);
  }

  // ---- Result 5: ā* in the DD phase against φ ----
  {
    TextTable t;
    t.columns = {"beta", "reading", "phi", "a_bar", "a_bar_star", "phase"};
    md << "## Result 5: South productivity in the DD phase\n\nInstant relocation, capital at autarky; a_bar* = "
          "theta/(theta+1)(aD^(theta+1) - aR^(theta+1))/(aD^theta - aR^theta) between phi_P and the sustain point. "
          "Sign of d a_bar*/d phi (positive = freer trade lowers South productivity):\n\n"
          "| beta | reading | phi range | d a_bar*/d phi at the start | at the end |\n|---|---|---|---|---|\n";
    for (double b : result5_betas) {
      const Parameters q = with_beta(p, b);
      const AutarkyEquilibrium aut = autarky(q);
      for (const SelectionReading reading : {SelectionReading::Instant, SelectionReading::Frozen}) {
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
            const ProductivityPair pr = productivity_closed_form(q, RelocationPhase::DD, phi, aut.K, aut.K_star, e.aD, e.aX, e.aR);
            curve.push_back({phi, pr.a_bar_star});
            t.rows.push_back({cell(b), reading == SelectionReading::Instant ? "instant" : "frozen", cell(phi),
                              cell(pr.a_bar), cell(pr.a_bar_star), "DD"});
          } catch (const std::exception&) {
          }
        }
        const auto slope = [&](std::size_t i) {
          return (curve[i + 1].second - curve[i].second) / (curve[i + 1].first - curve[i].first);
        };
        md << "| " << fmt(b) << " | " << (reading == SelectionReading::Instant ? "instant" : "frozen") << " | ";
        if (curve.size() >= 2)
          md << fmt(curve.front().first, 3) << "-" << fmt(curve.back().first, 3) << " | " << fmt(slope(0), 3) << " | "
             << fmt(slope(curve.size() - 2), 3) << " |\n";
        else
          md << "no DD interior | - | - |\n";
      }
    }
    md << "\n";
    write_text_table(context.file("_result5.csv"), t);
  }

  // ---- Results 6 and 7: small-nation welfare ----
  {
    TextTable t;
    t.columns = {"phi", "sn", "mstar_ratio_paper_26", "mstar_ratio_corrected", "omega_star_hft", "omega_star_autarky"};
    const HftEquilibrium h1 = hft(p, p.phi1);
    const AutarkyEquilibrium aut = autarky(p);
    const double omega_aut = std::log((1 - p.sE) / aut.B_star) / (p.sigma - 1);
    md << "## Results 6 and 7: small-nation welfare\n\n";
    const double phi_top = std::min(0.95 * phi_sustain_instant(p), 0.95);
    bool r6 = true;
    double prev = -1e300;
    for (int i = 0; i <= 40; ++i) {
      const double phi = phi_top * i / 40;
      const HftEquilibrium h = hft(p, phi);
      const double omega_star = std::log((1 - p.sE) / h.B_star) / (p.sigma - 1);
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
        t.rows.push_back({cell(phi), cell(sn), cell(paper), cell(corrected), cell(omega_star), cell(omega_aut)});
      }
    }
    write_text_table(context.file("_welfare.csv"), t);
    const PaperGeneralSn at_hft = paper_general_sn(p, p.phi1, h1.sn);
    md << "Result 6 (long-run omega* = ln(m*)/(sigma-1) rises with phi, HFT = any point of the curve): "
       << (r6 ? "holds" : "FAILS") << " on phi in [0, " << fmt(phi_top, 3) << "] (omega* from " << fmt(omega_aut, 5)
       << " in autarky).\n\n(26) at phi = " << fmt(p.phi1) << ", sn = sn_HFT = " << fmt(h1.sn, 5)
       << ": paper m*_reloc/m*_noreloc = " << fmt(at_hft.mstar_ratio, 6)
       << "; corrected (M4): 1 for every sn on the curve (long-run welfare does not depend on sn).\n\n";

    // Transition-path welfare: ∫ (ω*(t) − ω*∞) dt (r = 0: undiscounted; else e^{−rt}).
    TextTable tw;
    tw.columns = {"gamma_ratio", "status", "sn_inf", "lambda_R", "omega_star_inf", "omega_inf", "integral_omega_star_gap", "integral_omega_gap"};
    md << "Result 7 along the transition (phi 0 -> " << fmt(p.phi1)
       << "): long-run omega* is the same whatever gamma_R/gamma_E; the transitional gain "
          "integral of (omega*(t) - omega*_inf) dt"
       << (p.r > 0 ? " discounted at r" : " (r = 0: undiscounted)") << " differs:\n\n"
       << "| gamma_R/gamma_E | sn_inf | lambda_R | omega*_inf | int (omega* - omega*_inf) dt | int (omega - omega_inf) dt | status |\n|---|---|---|---|---|---|---|\n";
    std::vector<std::pair<double, const SweepOutcome*>> all;
    for (int c = 0; c < 2; ++c)
      for (std::size_t j = 0; j < chains[c].size(); ++j)
        if (!(c == 1 && j == 0)) all.push_back({chain_ratios[c][j], &outcomes[c][j]});
    std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [ratio, o] : all) {
      const bool solved = o->status == SweepStatus::Valid || o->status == SweepStatus::Invalid;
      double gs = kNaN, g = kNaN;
      if (solved) {
        gs = g = 0;
        const auto& path = o->result.path;
        const double ws = path.back().omega_star, wn = path.back().omega;
        for (std::size_t k = 1; k < path.size(); ++k) {
          const double h = path[k].t - path[k - 1].t;
          const double eu = std::exp(-p.r * path[k - 1].t), ev = std::exp(-p.r * path[k].t);
          gs += 0.5 * h * ((path[k - 1].omega_star - ws) * eu + (path[k].omega_star - ws) * ev);
          g += 0.5 * h * ((path[k - 1].omega - wn) * eu + (path[k].omega - wn) * ev);
        }
      }
      const auto num = [&](double x) { return solved ? x : kNaN; };
      tw.rows.push_back({cell(ratio), to_string(o->status), cell(num(o->result.sn_inf)), cell(num(o->result.lambda_R)),
                         cell(solved ? o->result.path.back().omega_star : kNaN), cell(solved ? o->result.path.back().omega : kNaN),
                         cell(gs), cell(g)});
      md << "| " << fmt(ratio) << " | " << (solved ? fmt(o->result.sn_inf) : "-") << " | "
         << (solved ? fmt(o->result.lambda_R, 5) : "-") << " | " << (solved ? fmt(o->result.path.back().omega_star) : "-")
         << " | " << fmt(gs, 4) << " | " << fmt(g, 4) << " | " << to_string(o->status) << " |\n";
    }
    md << "\n";
    write_text_table(context.file("_transition_welfare.csv"), tw);
  }
}

}  // namespace footloose
