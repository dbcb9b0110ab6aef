#include "src/sweep.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace footloose {

namespace {

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

std::string duration_text(double seconds) {
  char buffer[32];
  if (seconds < 60)
    std::snprintf(buffer, sizeof buffer, "%.0fs", seconds);
  else
    std::snprintf(buffer, sizeof buffer, "%dm%02ds", int(seconds) / 60, int(seconds) % 60);
  return buffer;
}

}  // namespace

const char* to_string(SweepStatus status) {
  switch (status) {
    case SweepStatus::Valid:
      return "valid";
    case SweepStatus::Invalid:
      return "invalid";
    case SweepStatus::Failed:
      return "failed";
    case SweepStatus::Skipped:
      return "skipped";
  }
  return "?";
}

SweepPoint sweep_point(const RunConfig& config, const TransitionOptions& options) {
  SweepPoint point;
  point.params = config.params;
  point.phi_path = trade_path(config);
  point.initial = initial_state(config);
  point.options = options;
  point.relocation = config.path.relocation;
  point.timing = config.path.timing;
  point.type_resolved = type_resolved_options(config);
  point.optimal_timing = optimal_timing_options(config);
  return point;
}

PathAnswer solve_variant_answer(const SweepPoint& point) {
  if (point.relocation == RelocationModel::TypeResolved)
    return path_answer(
        solve_type_resolved(point.params, point.phi_path, point.initial, point.type_resolved));
  return path_answer(
      solve_optimal_timing(point.params, point.phi_path, point.initial, point.optimal_timing),
      point.params.rho);
}

int status_code(SweepStatus status) {
  switch (status) {
    case SweepStatus::Valid:
      return 1;
    case SweepStatus::Invalid:
      return 0;
    case SweepStatus::Failed:
      return -1;
    case SweepStatus::Skipped:
      return -2;
  }
  return -3;
}

ProgressBar::ProgressBar(std::string label, std::size_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(now_seconds()) {
  update(0, 0);
}

void ProgressBar::update(std::size_t done, std::size_t failed) {
  if (!enabled_ || total_ == 0) return;
  const double fraction = double(done) / double(total_);
  const double elapsed = now_seconds() - start_;
  std::string eta =
      done > 0 && done < total_ ? " eta " + duration_text(elapsed / fraction - elapsed) : "";
  if (tty_) {
    constexpr int width = 30;
    const int filled = int(fraction * width + 1e-9);
    std::string bar(filled, '#');
    bar += std::string(width - filled, '.');
    std::fprintf(stderr, "\r%s [%s] %zu/%zu  failed %zu  %s%s   ", label_.c_str(), bar.c_str(),
                 done, total_, failed, duration_text(elapsed).c_str(), eta.c_str());
    std::fflush(stderr);
  } else {
    const int decile = int(fraction * 10 + 1e-9);
    if (decile == last_decile_) return;
    last_decile_ = decile;
    std::fprintf(stderr, "%s: %zu/%zu points (%d%%), failed %zu, %s\n", label_.c_str(), done,
                 total_, decile * 10, failed, duration_text(elapsed).c_str());
  }
}

void ProgressBar::finish(std::size_t failed) {
  if (!enabled_) return;
  if (tty_) {
    std::fprintf(stderr, "\r%s: %zu points in %s, %zu failed%40s\n", label_.c_str(), total_,
                 duration_text(now_seconds() - start_).c_str(), failed, "");
    std::fflush(stderr);
  }
}

std::vector<std::vector<SweepOutcome>> run_sweep(
    const std::vector<std::vector<SweepPoint>>& chains, const SweepSettings& settings,
    const std::vector<const TransitionResult*>& warm_starts) {
  std::vector<std::vector<SweepOutcome>> outcomes(chains.size());
  std::size_t total = 0;
  for (std::size_t i = 0; i < chains.size(); ++i) {
    outcomes[i].resize(chains[i].size());
    total += chains[i].size();
  }
  // Longest chains first, so that the last worker does not start a long chain alone.
  std::vector<std::size_t> order(chains.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return chains[a].size() > chains[b].size();
  });

  std::atomic<std::size_t> next_chain{0};
  std::mutex progress_mutex;
  std::size_t done = 0, failed = 0;
  ProgressBar bar(settings.label, total, settings.progress);

  auto worker = [&] {
    for (;;) {
      const std::size_t k = next_chain.fetch_add(1);
      if (k >= order.size()) return;
      const std::size_t c = order[k];
      const TransitionResult* warm = c < warm_starts.size() ? warm_starts[c] : nullptr;
      const TransitionResult* const given = warm;  // not ours: never cleared
      int consecutive_failures = 0;
      for (std::size_t j = 0; j < chains[c].size(); ++j) {
        SweepOutcome& out = outcomes[c][j];
        const SweepPoint& point = chains[c][j];
        if (settings.max_consecutive_failures > 0 &&
            consecutive_failures >= settings.max_consecutive_failures) {
          out.status = SweepStatus::Skipped;
          out.error = "not attempted: " + std::to_string(consecutive_failures) +
                      " consecutive failures before it in its chain";
        } else {
          const double start = now_seconds();
          const auto solve = [&](const TransitionResult* from) {
            try {
              if (point.is_variant()) {
                out.answer = solve_variant_answer(point);
              } else {
                TransitionOptions options = point.options;
                options.threads = 1;  // the workers already use the cores, one chain each
                options.team = nullptr;
                options.warm_start_on_coarse_mesh =
                    options.warm_start_on_coarse_mesh || settings.coarse_warm_meshes;
                out.result =
                    solve_transition(point.params, point.phi_path, point.initial, options, from);
                out.answer = path_answer(out.result, point.params.rho);
              }
              if (!out.answer.converged) {
                out.status = SweepStatus::Failed;
                out.error = out.answer.message;
              } else {
                out.status = out.answer.trustworthy ? SweepStatus::Valid : SweepStatus::Invalid;
              }
            } catch (const std::exception& error) {
              out.status = SweepStatus::Failed;
              out.error = error.what();
            }
          };
          solve(point.is_variant() ? nullptr : warm);
          if (out.status == SweepStatus::Failed && warm && !point.is_variant() &&
              settings.cold_retry) {
            // A neighbour too far away can be a worse start than none: try once from scratch.
            const std::string warm_error = out.error;
            solve(nullptr);
            if (out.status == SweepStatus::Failed)
              out.error = "warm start: " + warm_error + "; cold: " + out.error;
            else
              out.result.warnings.push_back("the warm start failed (" + warm_error.substr(0, 200) +
                                            "); solved cold");
          }
          out.seconds = now_seconds() - start;
        }
        if (point.is_variant() && out.solved()) {
          consecutive_failures = 0;  // no warm start to carry along the chain
        } else if (out.status == SweepStatus::Valid || out.status == SweepStatus::Invalid) {
          consecutive_failures = 0;
          // Warm start from this point; free the previous one's path if it is not kept, and
          // its factorised Newton matrix (only the warm start of the chain holds one).
          if (warm && warm != given) {
            auto& previous = const_cast<TransitionResult&>(*warm);
            previous.release_solver_cache();
            if (!settings.keep_paths) {
              previous.path.clear();
              previous.path.shrink_to_fit();
            }
          }
          warm = &out.result;
        } else {
          out.result.release_solver_cache();
          if (out.status == SweepStatus::Failed) ++consecutive_failures;
        }
        std::lock_guard<std::mutex> lock(progress_mutex);
        ++done;
        if (out.status == SweepStatus::Failed || out.status == SweepStatus::Skipped) ++failed;
        bar.update(done, failed);
      }
      if (warm && warm != given) {
        auto& last = const_cast<TransitionResult&>(*warm);
        last.release_solver_cache();
        if (!settings.keep_paths) {
          last.path.clear();
          last.path.shrink_to_fit();
        }
      }
    }
  };

  int threads = settings.threads > 0 ? settings.threads : int(std::thread::hardware_concurrency());
  threads = std::max(1, std::min<int>(threads, int(chains.size())));
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
  for (auto& thread : pool) thread.join();
  bar.finish(failed);
  return outcomes;
}

AnchoredGrid anchored_grid(std::size_t group_count, std::size_t outer_count,
                           std::size_t inner_count, std::size_t anchor,
                           const std::function<SweepPoint(std::size_t group, std::size_t outer,
                                                          std::size_t inner)>& point) {
  AnchoredGrid grid;
  grid.anchor_chains.resize(group_count);
  for (std::size_t g = 0; g < group_count; ++g)
    for (std::size_t o = 0; o < outer_count; ++o) {
      AnchoredLine line;
      line.anchor = anchor;
      for (std::size_t i = 0; i < inner_count; ++i) line.points.push_back(point(g, o, i));
      grid.anchor_chains[g].push_back(grid.lines.size());
      grid.lines.push_back(std::move(line));
    }
  return grid;
}

std::vector<AnchoredLine> split_anchored_line(const AnchoredLine& line, std::size_t pieces) {
  const std::size_t n = line.points.size();
  pieces = std::max<std::size_t>(1, std::min(pieces, n));
  std::vector<AnchoredLine> out(pieces);
  for (std::size_t k = 0; k < pieces; ++k) {
    const std::size_t begin = k * n / pieces, end = (k + 1) * n / pieces;
    out[k].points.assign(line.points.begin() + begin, line.points.begin() + end);
    out[k].anchor =
        line.anchor >= begin && line.anchor < end ? line.anchor - begin : (end - begin) / 2;
  }
  return out;
}

std::vector<std::vector<SweepOutcome>> run_anchored_lines(
    const std::vector<AnchoredLine>& lines,
    const std::vector<std::vector<std::size_t>>& anchor_chains, const SweepSettings& settings) {
  // Stage 1: the anchors, paths kept (they warm-start stage 2), no point skipped.
  std::vector<std::vector<SweepPoint>> anchor_points(anchor_chains.size());
  std::vector<std::pair<std::size_t, std::size_t>> anchor_of(lines.size(), {SIZE_MAX, 0});
  for (std::size_t c = 0; c < anchor_chains.size(); ++c)
    for (std::size_t line : anchor_chains[c]) {
      if (line >= lines.size() || anchor_of[line].first != SIZE_MAX ||
          lines[line].anchor >= lines[line].points.size())
        throw std::invalid_argument("run_anchored_lines: line " + std::to_string(line) +
                                    " is not a line with an anchor, or is in two anchor chains");
      anchor_of[line] = {c, anchor_points[c].size()};
      anchor_points[c].push_back(lines[line].points[lines[line].anchor]);
    }
  for (std::size_t line = 0; line < lines.size(); ++line)
    if (anchor_of[line].first == SIZE_MAX)
      throw std::invalid_argument("run_anchored_lines: the anchor of line " + std::to_string(line) +
                                  " is in no anchor chain");
  SweepSettings anchor_settings = settings;
  anchor_settings.label = settings.label + " anchors";
  anchor_settings.keep_paths = true;
  anchor_settings.max_consecutive_failures = 0;
  auto anchors = run_sweep(anchor_points, anchor_settings);

  // Stage 2: per line, the chain up and the chain down from its anchor.
  std::vector<std::vector<SweepPoint>> chains;
  std::vector<const TransitionResult*> warm;
  for (std::size_t line = 0; line < lines.size(); ++line) {
    const auto& [c, j] = anchor_of[line];
    const SweepOutcome& anchor = anchors[c][j];
    const auto& points = lines[line].points;
    const std::size_t a = lines[line].anchor;
    chains.emplace_back(points.begin() + a + 1, points.end());
    chains.emplace_back(points.rend() - a, points.rend());
    warm.insert(warm.end(), 2, anchor.solved() ? &anchor.result : nullptr);
  }
  auto outcomes = run_sweep(chains, settings, warm);

  std::vector<std::vector<SweepOutcome>> by_line(lines.size());
  for (std::size_t line = 0; line < lines.size(); ++line) {
    auto& up = outcomes[2 * line];
    auto& down = outcomes[2 * line + 1];
    auto& row = by_line[line];
    row.reserve(lines[line].points.size());
    std::move(down.rbegin(), down.rend(), std::back_inserter(row));
    row.push_back(std::move(anchors[anchor_of[line].first][anchor_of[line].second]));
    row.back().result.release_solver_cache();  // the anchor: its chains are done
    if (!settings.keep_paths) row.back().result.path = {};
    std::move(up.begin(), up.end(), std::back_inserter(row));
  }
  return by_line;
}

}  // namespace footloose
