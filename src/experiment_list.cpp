// The registered experiments of `footloose experiment` (docs/experiments.md). Each reads its
// settings, solves (sweeps in parallel with warm starts, src/sweep.hpp), writes CSV files and
// appends markdown to context.summary; plotting is experiments/plot_NAME.py.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>

#include "models/dynamics.hpp"
#include "models/productivity_welfare.hpp"
#include "models/static_equilibria.hpp"
#include "src/experiment.hpp"
#include "src/path_columns.hpp"
#include "src/path_report.hpp"
#include "src/static_report.hpp"
#include "src/sweep.hpp"

namespace footloose {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Column set shared by every sweep CSV: status, convergence, validity and long-run values.
std::vector<std::string> outcome_columns() {
  return {"status", "valid", "converged", "saddle_ok", "v0_ok", "v1_ok", "v2_ok", "v2_margin",
          "sn_inf", "sk_inf", "aR_inf", "lambda_R", "sn_hft", "seconds"};
}

std::vector<std::string> outcome_cells(const SweepOutcome& o) {
  const TransitionResult& r = o.result;
  const bool solved = o.status == SweepStatus::Valid || o.status == SweepStatus::Invalid;
  const auto num = [&](double x) { return cell(solved ? x : kNaN); };
  const auto flag = [&](bool x) { return solved ? std::string(x ? "1" : "0") : std::string("nan"); };
  return {to_string(o.status),
          o.status == SweepStatus::Valid ? "1" : "0",
          solved ? "1" : "0",
          flag(r.saddle.ok),
          flag(r.validity.v0.ok),
          flag(r.validity.v1.ok),
          solved && r.validity.v2.evaluated ? flag(r.validity.v2.ok) : "nan",
          solved && r.validity.v2.evaluated ? cell(r.validity.v2.margin) : "nan",
          num(r.sn_inf),
          num(r.sk_inf),
          num(r.aR_inf),
          num(r.lambda_R),
          num(r.sn_hft),
          cell(o.seconds)};
}

TransitionOptions sweep_options(ExperimentConfig& config, const RunConfig& model) {
  TransitionOptions options = transition_options(model);
  options.time_limit = config.number("time_limit", 20.0);
  return options;
}

SweepSettings sweep_settings(const ExperimentContext& context, const std::string& label,
                             ExperimentConfig& config) {
  SweepSettings s;
  s.threads = context.threads;
  s.progress = context.progress;
  s.label = label;
  s.max_consecutive_failures = config.integer("max_consecutive_failures", 2);
  return s;
}

// Anchor chains are solved first, with their paths kept (they warm-start the main chains) and
// without skipping after failures.
std::vector<std::vector<SweepOutcome>> run_anchor_sweep(const std::vector<std::vector<SweepPoint>>& chains,
                                                        SweepSettings settings, const std::string& label) {
  settings.label = label;
  settings.keep_paths = true;
  settings.max_consecutive_failures = 0;
  return run_sweep(chains, settings);
}

// Failed/skipped points, listed in the summary (never dropped silently).
struct FailureLog {
  std::vector<std::string> lines;
  std::size_t failed = 0, skipped = 0, invalid = 0, valid = 0;
  void add(const std::string& where, const SweepOutcome& o) {
    switch (o.status) {
      case SweepStatus::Valid: ++valid; return;
      case SweepStatus::Invalid: ++invalid; return;
      case SweepStatus::Failed: ++failed; break;
      case SweepStatus::Skipped: ++skipped; break;
    }
    std::string message = o.error.substr(0, 160);
    for (char& c : message)
      if (c == '\n' || c == '|') c = ' ';
    lines.push_back("- " + where + ": " + to_string(o.status) + " — " + message);
  }
  void write(std::ostream& md) const {
    md << "Points: " << valid << " valid (trustworthy), " << invalid
       << " converged but flagged (saddle or V0/V1/V2), " << failed << " failed to converge, " << skipped
       << " skipped after repeated failures.\n\n";
    if (!lines.empty()) {
      md << "Failed and skipped points (status column of the CSV):\n\n";
      for (const auto& line : lines) md << line << "\n";
      md << "\n";
    }
  }
};

// ---------------------------------------------------------------------------------------------
// 1. baseline: the transition path with HFT and instant-relocation reference levels
// ---------------------------------------------------------------------------------------------
void experiment_baseline(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.whole_as_model();  // experiments/baseline.toml: a path config
  const PathReport report = compute_path_report(model);
  const TransitionResult& r = report.result;
  const Parameters& p = model.params;
  write_csv(context.file(".csv"), path_csv(r.path));

  // Reference levels: initial state (at φ0), HFT and instant relocation (instant selection) at φ1.
  GeneralModel at_phi1(p, TradePath{TradePathKind::Jump, p.phi1, p.phi1, 0.0});
  GeneralModel at_phi0(p, TradePath{TradePathKind::Jump, p.phi0, p.phi0, 0.0});
  const RelocationEquilibrium reloc = instant_relocation(p, p.phi1, SelectionReading::Instant);
  const State y_hft = at_phi1.steady_state(0.0, p.phi1);
  const State y_reloc = at_phi1.steady_state(reloc.aR, p.phi1);
  const State y_initial = initial_states(p, initial_state(model));
  TextTable reference;
  reference.columns.push_back("level");
  for (const auto& column : path_columns) reference.columns.push_back(column.name);
  const auto add_level = [&](const std::string& name, const PathPoint& point) {
    std::vector<std::string> row{name};
    for (const auto& column : path_columns) row.push_back(cell(point.*column.member));
    reference.rows.push_back(row);
  };
  add_level("initial", at_phi0.outputs(0.0, y_initial.data()));
  add_level("hft", at_phi1.outputs(0.0, y_hft.data()));
  add_level("instant_relocation", at_phi1.outputs(0.0, y_reloc.data()));
  add_level("long_run", at_phi1.outputs(0.0, r.long_run.data()));
  write_text_table(context.file("_reference.csv"), reference);

  // Speeds: time for sn, aR and sk to cover half of their total move.
  const auto half_time = [&](double PathPoint::*member) {
    const double start = r.path.front().*member, end = r.path.back().*member;
    for (const auto& point : r.path)
      if (std::abs(point.*member - start) >= 0.5 * std::abs(end - start)) return point.t;
    return kNaN;
  };
  std::ostream& md = context.summary;
  md << "Parameters: sigma = " << p.sigma << ", rho = " << p.rho << ", sE = " << p.sE << ", phi " << p.phi0
     << " -> " << p.phi1 << ", gamma_E = " << p.gamma_E << ", gamma_R = " << p.gamma_R << ".\n\n"
     << "| quantity | value |\n|---|---|\n"
     << "| sn_inf | " << fmt(r.sn_inf) << " |\n| sk_inf | " << fmt(r.sk_inf) << " |\n"
     << "| aR_inf (instant relocation: " << fmt(reloc.aR) << ") | " << fmt(r.aR_inf) << " |\n"
     << "| sn_HFT | " << fmt(r.sn_hft) << " |\n| lambda_R | " << fmt(r.lambda_R) << " |\n"
     << "| half-time of aR | " << fmt(half_time(&PathPoint::aR), 3) << " |\n"
     << "| half-time of sk | " << fmt(half_time(&PathPoint::sk), 3) << " |\n"
     << "| P(0) | " << fmt(r.initial_state[kRelocationValue]) << " |\n"
     << "| solve time (s) | " << fmt(r.solve_seconds, 3) << " |\n\n"
     << "Verdict: " << trust_line(r) << ".\n\n"
     << "Files: `baseline.csv` (the path, columns of `footloose path --csv`), `baseline_reference.csv` "
        "(levels: initial, hft, instant_relocation, long_run; same columns).\n";
  *context.out << "sn_inf = " << fmt(r.sn_inf) << ", lambda_R = " << fmt(r.lambda_R) << ", " << trust_line(r)
               << "\n";
}

// ---------------------------------------------------------------------------------------------
// 2. lambda_r: λR and sn∞ against γR/γE for several φ1 and sE
// ---------------------------------------------------------------------------------------------
void experiment_lambda_r(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> phi1s = config.numbers("phi1", {0.2, 0.3, 0.4});
  const std::vector<double> sEs = config.numbers("sE", {0.6, 0.7});
  std::vector<double> ratios = config.numbers("gamma_ratio", {});
  if (ratios.empty()) ratios = {1.0};
  std::sort(ratios.begin(), ratios.end());
  const double anchor = config.number("anchor_ratio", 1.0);  // chains start here (cold start)
  const double gamma_E = config.number("gamma_E", model.params.gamma_E);
  TransitionOptions options = sweep_options(config, model);
  SweepSettings settings = sweep_settings(context, "lambda_r", config);
  config.reject_unknown_keys();

  // Stage 1: the anchor points (ratio nearest anchor_ratio), one chain per sE along φ1 from the
  // largest φ1 down (a cold start is hardest for small shocks). Stage 2: from each anchor, one
  // chain up and one down in the ratio, warm-started from it.
  std::size_t a = 0;
  for (std::size_t i = 0; i < ratios.size(); ++i)
    if (std::abs(std::log(ratios[i] / anchor)) < std::abs(std::log(ratios[a] / anchor))) a = i;
  const auto make_point = [&](double phi1, double sE, double ratio) {
    SweepPoint s;
    s.params = model.params;
    s.params.phi1 = phi1;
    s.params.sE = sE;
    s.params.gamma_E = gamma_E;
    s.params.gamma_R = gamma_E * ratio;
    RunConfig c = model;
    c.params = s.params;
    s.phi_path = trade_path(c);
    s.initial = initial_state(c);
    s.options = options;
    return s;
  };
  std::vector<double> phi_desc = phi1s;
  std::sort(phi_desc.rbegin(), phi_desc.rend());
  std::vector<std::vector<SweepPoint>> anchor_chains;
  for (double sE : sEs) {
    std::vector<SweepPoint> chain;
    for (double phi1 : phi_desc) chain.push_back(make_point(phi1, sE, ratios[a]));
    anchor_chains.push_back(chain);
  }
  const auto anchors = run_anchor_sweep(anchor_chains, settings, "lambda_r anchors");

  struct Key {
    double phi1, sE;
    const SweepOutcome* anchor;
    std::size_t chain_up, chain_down;
  };
  std::vector<Key> keys;
  std::vector<std::vector<SweepPoint>> chains;
  std::vector<std::vector<std::size_t>> chain_index;  // chain position → ratio index
  std::vector<const TransitionResult*> warm;
  for (std::size_t e = 0; e < sEs.size(); ++e)
    for (std::size_t k = 0; k < phi_desc.size(); ++k) {
      const double sE = sEs[e], phi1 = phi_desc[k];
      const SweepOutcome* anchor_outcome = &anchors[e][k];
      const bool solved = anchor_outcome->status == SweepStatus::Valid || anchor_outcome->status == SweepStatus::Invalid;
      Key key{phi1, sE, anchor_outcome, 0, 0};
      std::vector<SweepPoint> up, down;
      std::vector<std::size_t> up_i, down_i;
      for (std::size_t i = a + 1; i < ratios.size(); ++i) up.push_back(make_point(phi1, sE, ratios[i])), up_i.push_back(i);
      for (std::size_t i = a; i-- > 0;) down.push_back(make_point(phi1, sE, ratios[i])), down_i.push_back(i);
      key.chain_up = chains.size();
      chains.push_back(up), chain_index.push_back(up_i), warm.push_back(solved ? &anchor_outcome->result : nullptr);
      key.chain_down = chains.size();
      chains.push_back(down), chain_index.push_back(down_i), warm.push_back(solved ? &anchor_outcome->result : nullptr);
      keys.push_back(key);
    }
  const auto outcomes = run_sweep(chains, settings, warm);

  TextTable table;
  table.columns = {"phi1", "sE", "gamma_ratio", "gamma_E", "gamma_R"};
  for (const auto& c : outcome_columns()) table.columns.push_back(c);
  FailureLog log;
  std::ostream& md = context.summary;
  md << "lambda_R = (sn_HFT - sn_inf)/(sn_HFT - sE) against gamma_R/gamma_E (gamma_E = " << fmt(gamma_E)
     << ", gamma_R = ratio x gamma_E), " << ratios.size() << " ratios from " << fmt(ratios.front()) << " to "
     << fmt(ratios.back()) << "; other parameters: baseline unless set in [model]. The points at ratio "
     << fmt(ratios[a]) << " are solved first, one chain per sE along phi1 downwards (warm starts); from each, "
        "one chain up and one down in the ratio, each point warm-started from its neighbour; time limit " << fmt(options.time_limit) << " s per point.\n\n"
     << "| phi1 | sE | lambda_R at 0.01 | at 1 | at 100 | at 1e4 | largest ratio solved | valid points |\n"
        "|---|---|---|---|---|---|---|---|\n";
  for (const Key& key : keys) {
    std::vector<const SweepOutcome*> by_ratio(ratios.size(), nullptr);
    by_ratio[a] = key.anchor;
    for (std::size_t c : {key.chain_up, key.chain_down})
      for (std::size_t j = 0; j < chains[c].size(); ++j)
        if (!by_ratio[chain_index[c][j]]) by_ratio[chain_index[c][j]] = &outcomes[c][j];
    int valid = 0;
    double largest = kNaN;
    for (std::size_t i = 0; i < ratios.size(); ++i) {
      const SweepOutcome& o = *by_ratio[i];
      std::vector<std::string> row{cell(key.phi1), cell(key.sE), cell(ratios[i]), cell(gamma_E),
                                   cell(gamma_E * ratios[i])};
      for (auto& c : outcome_cells(o)) row.push_back(c);
      table.rows.push_back(row);
      log.add("phi1 = " + fmt(key.phi1) + ", sE = " + fmt(key.sE) + ", gamma_R/gamma_E = " + fmt(ratios[i], 3), o);
      if (o.status == SweepStatus::Valid) ++valid;
      if (o.status == SweepStatus::Valid || o.status == SweepStatus::Invalid) largest = ratios[i];
    }
    const auto lambda_at = [&](double ratio) {
      for (std::size_t i = 0; i < ratios.size(); ++i)
        if (std::abs(std::log(ratios[i] / ratio)) < 1e-6) {
          const SweepOutcome& o = *by_ratio[i];
          if (o.status == SweepStatus::Valid || o.status == SweepStatus::Invalid)
            return fmt(o.result.lambda_R, 5) + (o.status == SweepStatus::Invalid ? " (flagged)" : "");
          return std::string(to_string(o.status));
        }
      return std::string("-");
    };
    md << "| " << fmt(key.phi1) << " | " << fmt(key.sE) << " | " << lambda_at(1e-2) << " | " << lambda_at(1)
       << " | " << lambda_at(1e2) << " | " << lambda_at(1e4) << " | " << fmt(largest, 3) << " | " << valid
       << "/" << ratios.size() << " |\n";
  }
  md << "\n";
  log.write(md);
  md << "Columns of `lambda_r.csv`: phi1, sE, gamma_ratio, gamma_E, gamma_R, status (valid / invalid = "
        "converged but flagged / failed / skipped), valid (1 = trustworthy), converged, saddle_ok, v0_ok, "
        "v1_ok, v2_ok, v2_margin, sn_inf, sk_inf, aR_inf, lambda_R, sn_hft, seconds; numbers are nan where "
        "the solve failed.\n";
  write_text_table(context.file(".csv"), table);
  *context.out << "points: " << log.valid << " valid, " << log.invalid << " flagged, " << log.failed
               << " failed, " << log.skipped << " skipped\n";
}

// ---------------------------------------------------------------------------------------------
// 5. validity: where V0/V1/V2 hold over (φ1, sE)
// ---------------------------------------------------------------------------------------------
void experiment_validity(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> phi1s = config.numbers("phi1", {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9});
  const std::vector<double> sEs = config.numbers("sE", {0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85});
  const std::vector<double> ratios = config.numbers("gamma_ratio", {1.0, 100.0, 1e4});
  const double anchor_phi1 = config.number("anchor_phi1", 0.4);
  const double gamma_E = config.number("gamma_E", model.params.gamma_E);
  TransitionOptions options = sweep_options(config, model);
  SweepSettings settings = sweep_settings(context, "validity", config);
  config.reject_unknown_keys();

  TextTable table;
  table.columns = {"gamma_ratio", "phi1", "sE", "sigma", "rho"};
  for (const auto& c : outcome_columns()) table.columns.push_back(c);
  table.columns.push_back("reason");

  // Static limit (γR → 0, instant selection): aR of (17)/(20) with B = B*; V1 is aR ≤ aX (XX
  // phase, φ ≤ φP); V2 in the limit B → B*: a type a > aX gains a^{1−σ}(B−B*) against
  // aR^{1−σ}(1−φ)(B−B*), so the marginal type gains most iff aR ≤ (1−φ)^{1/(σ−1)} aX; V0 holds.
  std::size_t static_valid = 0, static_total = 0;
  for (double sE : sEs)
    for (double phi1 : phi1s) {
      Parameters p = model.params;
      p.sE = sE;
      p.phi1 = phi1;
      std::vector<std::string> row{"0", cell(phi1), cell(sE), cell(p.sigma), cell(p.rho)};
      std::string status, reason;
      double aR = kNaN, sn_hft = kNaN, v1 = 0, v2 = 0, margin = kNaN;
      try {
        const HftEquilibrium h = hft(p, phi1);
        sn_hft = h.sn;
        const RelocationEquilibrium e = instant_relocation(p, phi1, SelectionReading::Instant);
        aR = e.aR;
        v1 = e.aR <= e.aX * (1 + 1e-12);
        const double bound = std::pow(1.0 - phi1, 1.0 / (p.sigma - 1.0)) * e.aX;
        margin = bound - e.aR;
        v2 = e.aR <= bound * (1 + 1e-12);
        if (e.sustained) reason = "sustained (all South firms moved)";
        else if (!v1) reason = "V1: aR > aX (DD phase)";
        else if (!v2) reason = "V2: aR > (1-phi)^(1/(sigma-1)) aX";
        status = v1 && v2 && !e.sustained ? "valid" : "invalid";
      } catch (const std::exception& error) {
        status = "failed";
        reason = error.what();
      }
      ++static_total;
      if (status == "valid") ++static_valid;
      for (char& c : reason)
        if (c == ',') c = ';';
      const bool ok = status != "failed";
      row.insert(row.end(), {status, status == "valid" ? "1" : "0", ok ? "1" : "0", "nan", ok ? "1" : "nan",
                             ok ? (v1 ? "1" : "0") : "nan", ok ? (v2 ? "1" : "0") : "nan", cell(margin),
                             cell(sE), cell(sE), cell(aR), ok ? "1" : "nan", cell(sn_hft), "0", "\"" + reason + "\""});
      table.rows.push_back(row);
    }

  // Dynamic model. Stage 1: anchors at the φ1 nearest anchor_phi1, one chain per sE through
  // the γ ratios in increasing order. Stage 2: from each anchor one chain up and one down in φ1,
  // each point warm-started from its neighbour.
  const auto make_point = [&](double ratio, double sE, double phi1) {
    SweepPoint s;
    RunConfig c = model;
    c.params.sE = sE;
    c.params.phi1 = phi1;
    c.params.gamma_E = gamma_E;
    c.params.gamma_R = gamma_E * ratio;
    s.params = c.params;
    s.phi_path = trade_path(c);
    s.initial = initial_state(c);
    s.options = options;
    return s;
  };
  std::size_t a = 0;
  for (std::size_t i = 0; i < phi1s.size(); ++i)
    if (std::abs(phi1s[i] - anchor_phi1) < std::abs(phi1s[a] - anchor_phi1)) a = i;
  std::vector<double> ratios_up = ratios;
  std::sort(ratios_up.begin(), ratios_up.end());
  std::vector<std::vector<SweepPoint>> anchor_chains;
  for (double sE : sEs) {
    std::vector<SweepPoint> chain;
    for (double ratio : ratios_up) chain.push_back(make_point(ratio, sE, phi1s[a]));
    anchor_chains.push_back(chain);
  }
  const auto anchors = run_anchor_sweep(anchor_chains, settings, "validity anchors");

  std::vector<std::vector<SweepPoint>> chains;
  struct ChainKey { double ratio, sE; };
  std::vector<ChainKey> chain_keys;
  std::vector<const TransitionResult*> warm;
  std::vector<std::pair<ChainKey, const SweepOutcome*>> anchor_rows;
  for (std::size_t e = 0; e < sEs.size(); ++e)
    for (std::size_t k = 0; k < ratios_up.size(); ++k) {
      const SweepOutcome* anchor_outcome = &anchors[e][k];
      anchor_rows.push_back({{ratios_up[k], sEs[e]}, anchor_outcome});
      const bool solved = anchor_outcome->status == SweepStatus::Valid || anchor_outcome->status == SweepStatus::Invalid;
      std::vector<SweepPoint> up, down;
      for (std::size_t i = a + 1; i < phi1s.size(); ++i) up.push_back(make_point(ratios_up[k], sEs[e], phi1s[i]));
      for (std::size_t i = a; i-- > 0;) down.push_back(make_point(ratios_up[k], sEs[e], phi1s[i]));
      for (auto* chain : {&up, &down}) {
        chains.push_back(*chain);
        chain_keys.push_back({ratios_up[k], sEs[e]});
        warm.push_back(solved ? &anchor_outcome->result : nullptr);
      }
    }
  const auto outcomes_raw = run_sweep(chains, settings, warm);
  // Anchors first as chains of one, so that the table below sees every point once.
  std::vector<std::vector<SweepOutcome>> outcomes;
  {
    std::vector<std::vector<SweepPoint>> all_chains;
    std::vector<ChainKey> all_keys;
    for (const auto& [key, o] : anchor_rows) {
      all_chains.push_back({make_point(key.ratio, key.sE, phi1s[a])});
      all_keys.push_back(key);
      outcomes.push_back({*o});
    }
    for (std::size_t c = 0; c < chains.size(); ++c) {
      all_chains.push_back(chains[c]);
      all_keys.push_back(chain_keys[c]);
      outcomes.push_back(outcomes_raw[c]);
    }
    chains = std::move(all_chains);
    chain_keys = std::move(all_keys);
  }
  FailureLog log;
  std::map<double, std::array<std::size_t, 2>> per_ratio;  // valid, total
  for (std::size_t c = 0; c < chains.size(); ++c)
    for (std::size_t j = 0; j < chains[c].size(); ++j) {
      const SweepOutcome& o = outcomes[c][j];
      const Parameters& p = chains[c][j].params;
      std::vector<std::string> row{cell(chain_keys[c].ratio), cell(p.phi1), cell(p.sE), cell(p.sigma), cell(p.rho)};
      for (auto& x : outcome_cells(o)) row.push_back(x);
      std::string reason;
      if (o.status == SweepStatus::Invalid) {
        for (auto& x : untrustworthy_reasons(o.result)) reason += (reason.empty() ? "" : "; ") + x.substr(0, 60);
      } else if (o.status != SweepStatus::Valid) {
        reason = o.error.substr(0, 100);
      }
      for (char& ch : reason)
        if (ch == ',' || ch == '"' || ch == '\n') ch = ' ';
      row.push_back("\"" + reason + "\"");
      table.rows.push_back(row);
      log.add("gamma_R/gamma_E = " + fmt(chain_keys[c].ratio) + ", phi1 = " + fmt(p.phi1) + ", sE = " + fmt(p.sE), o);
      auto& count = per_ratio[chain_keys[c].ratio];
      count[1]++;
      if (o.status == SweepStatus::Valid) count[0]++;
    }
  write_text_table(context.file(".csv"), table);

  std::ostream& md = context.summary;
  md << "Grid: phi1 in {";
  for (std::size_t i = 0; i < phi1s.size(); ++i) md << (i ? ", " : "") << fmt(phi1s[i]);
  md << "}, sE in {";
  for (std::size_t i = 0; i < sEs.size(); ++i) md << (i ? ", " : "") << fmt(sEs[i]);
  md << "}; other parameters from the baseline.\n\n"
     << "Instant-relocation limit (gamma_ratio = 0 in the CSV; analytic: V1 is aR <= aX, i.e. phi <= phi_P = "
        "(1-sE)/sE; V2 in the limit B -> B* is aR <= (1-phi)^(1/(sigma-1)) aX): "
     << static_valid << " of " << static_total << " grid points valid.\n\n"
     << "| gamma_R/gamma_E | valid (trustworthy) points |\n|---|---|\n";
  for (const auto& [ratio, count] : per_ratio) md << "| " << fmt(ratio) << " | " << count[0] << "/" << count[1] << " |\n";
  md << "\n";
  log.write(md);
  *context.out << "dynamic points: " << log.valid << " valid, " << log.invalid << " flagged, " << log.failed
               << " failed, " << log.skipped << " skipped\n";
}

// ---------------------------------------------------------------------------------------------
// 4. gradual: φ(t) linear over D years against the jump to the same φ1
// ---------------------------------------------------------------------------------------------
void experiment_gradual(ExperimentContext& context) {
  ExperimentConfig& config = context.config;
  const RunConfig model = config.model();
  const std::vector<double> durations = config.numbers("durations", {0.0, 5.0, 20.0, 50.0});
  const std::vector<double> ratios = config.numbers("gamma_ratio", {model.params.gamma_R / model.params.gamma_E});
  const double gamma_E = config.number("gamma_E", model.params.gamma_E);
  const double extra_horizon = config.number("horizon_after_ramp", 60.0);
  TransitionOptions options = sweep_options(config, model);
  SweepSettings settings = sweep_settings(context, "gradual", config);
  settings.keep_paths = true;
  config.reject_unknown_keys();

  // One chain per (ratio, duration): each path solved cold (a jump's path is a poor start for a
  // ramp), all with the same horizon so that the long runs are compared at equal T.
  const double horizon =
      std::max(options.horizon, *std::max_element(durations.begin(), durations.end()) + extra_horizon);
  std::vector<std::vector<SweepPoint>> chains;
  for (double ratio : ratios)
    for (double d : durations) {
      SweepPoint s;
      s.params = model.params;
      s.params.gamma_E = gamma_E;
      s.params.gamma_R = gamma_E * ratio;
      s.phi_path = TradePath{d > 0 ? TradePathKind::Linear : TradePathKind::Jump, model.params.phi0,
                             model.params.phi1, d};
      s.initial = initial_state(model);
      s.options = options;
      s.options.horizon = horizon;
      s.options.extend_horizon = false;
      chains.push_back({s});
    }
  settings.max_consecutive_failures = 0;
  const auto outcomes = run_sweep(chains, settings);
  const auto outcome_at = [&](std::size_t r, std::size_t i) -> const SweepOutcome& {
    return outcomes[r * durations.size() + i][0];
  };
  const auto solved = [](const SweepOutcome& o) {
    return o.status == SweepStatus::Valid || o.status == SweepStatus::Invalid;
  };

  TextTable summary;
  summary.columns = {"gamma_ratio", "duration"};
  for (const auto& c : outcome_columns()) summary.columns.push_back(c);
  summary.columns.insert(summary.columns.end(),
                         {"sn_inf_minus_jump", "P0", "integral_omega_star_gap", "integral_omega_gap"});
  TextTable paths;
  paths.columns = {"gamma_ratio", "duration", "t", "phi", "sn", "sk", "aR", "nw", "B_minus_B_star", "P", "omega", "omega_star"};
  FailureLog log;
  std::ostream& md = context.summary;
  md << "phi: " << fmt(model.params.phi0) << " -> " << fmt(model.params.phi1)
     << ", linear over D years (D = 0: the jump); gamma_E = " << fmt(gamma_E)
     << ", gamma_R = ratio x gamma_E; T = " << fmt(horizon) << " for every path; other parameters: "
     << "the baseline.\n\n"
     << "| gamma_R/gamma_E | D (years) | sn_inf | sn_inf - sn_inf(jump) | aR_inf | sk_inf | lambda_R | status |\n"
        "|---|---|---|---|---|---|---|---|\n";
  for (std::size_t r = 0; r < ratios.size(); ++r) {
    const SweepOutcome& jump = outcome_at(r, 0);  // durations[0] (0 by default)
    for (std::size_t i = 0; i < durations.size(); ++i) {
      const SweepOutcome& o = outcome_at(r, i);
      log.add("gamma_R/gamma_E = " + fmt(ratios[r]) + ", D = " + fmt(durations[i]), o);
      const bool ok = solved(o), gap_ok = ok && solved(jump);
      // ∫ (ω(t) − ω∞) dt: transitional welfare gap (trapezoid on the output grid).
      double gap = kNaN, gap_star = kNaN;
      if (ok && o.result.path.size() > 1) {
        gap = gap_star = 0.0;
        const auto& path = o.result.path;
        for (std::size_t k = 1; k < path.size(); ++k) {
          const double h = path[k].t - path[k - 1].t;
          gap += 0.5 * h * (path[k].omega + path[k - 1].omega - 2 * path.back().omega);
          gap_star += 0.5 * h * (path[k].omega_star + path[k - 1].omega_star - 2 * path.back().omega_star);
        }
      }
      std::vector<std::string> row{cell(ratios[r]), cell(durations[i])};
      for (auto& c : outcome_cells(o)) row.push_back(c);
      row.insert(row.end(), {cell(gap_ok ? o.result.sn_inf - jump.result.sn_inf : kNaN),
                             cell(ok ? o.result.initial_state[kRelocationValue] : kNaN), cell(gap_star),
                             cell(gap)});
      summary.rows.push_back(row);
      if (ok)
        for (const auto& pt : o.result.path)
          paths.rows.push_back({cell(ratios[r]), cell(durations[i]), cell(pt.t), cell(pt.phi), cell(pt.sn),
                                cell(pt.sk), cell(pt.aR), cell(pt.nw), cell(pt.B - pt.B_star), cell(pt.P),
                                cell(pt.omega), cell(pt.omega_star)});
      md << "| " << fmt(ratios[r]) << " | " << fmt(durations[i]) << " | " << (ok ? fmt(o.result.sn_inf, 8) : "-")
         << " | " << (gap_ok ? fmt(o.result.sn_inf - jump.result.sn_inf, 3) : "-") << " | "
         << (ok ? fmt(o.result.aR_inf, 6) : "-") << " | " << (ok ? fmt(o.result.sk_inf, 7) : "-") << " | "
         << (ok ? fmt(o.result.lambda_R, 5) : "-") << " | " << to_string(o.status) << " |\n";
    }
  }
  md << "\n";
  log.write(md);
  md << "Files: `gradual.csv` (one row per (gamma_ratio, D), with sn_inf - sn_inf(jump) and the integrals "
        "of omega - omega_inf and omega* - omega*_inf over the path), `gradual_paths.csv` (the paths).\n";
  write_text_table(context.file(".csv"), summary);
  write_text_table(context.file("_paths.csv"), paths);
}

}  // namespace

void experiment_paper(ExperimentContext& context);  // src/experiment_paper.cpp

const std::vector<ExperimentInfo>& experiment_registry() {
  static const std::vector<ExperimentInfo> registry = {
      {"baseline", "the baseline transition path (docs/model.md Section 4) with HFT and instant-relocation levels",
       experiment_baseline},
      {"lambda_r", "lambda_R and sn_inf against gamma_R/gamma_E for several phi1 and sE", experiment_lambda_r},
      {"paper", "the paper's Figures 2, 3, 5 and Results 4-7 beside the general model", experiment_paper},
      {"gradual", "gradual (linear) liberalisation against the one-shot jump: hysteresis in sn_inf",
       experiment_gradual},
      {"validity", "where V0/V1/V2 hold over (phi1, sE): instant-relocation limit and gamma_R/gamma_E = 1, 100, 1e4",
       experiment_validity},
  };
  return registry;
}

}  // namespace footloose
