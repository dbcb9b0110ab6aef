// run_anchored_lines (src/sweep.hpp): every point's outcome lands at its own index, whichever
// chain solved it, and agrees with a cold solve of that point alone; bad anchor chains are refused.
#include <catch2/catch.hpp>

#include "src/sweep.hpp"

using namespace footloose;

namespace {
SweepPoint point_at(double phi1, double gamma_ratio) {
  RunConfig config;  // the baseline
  config.params.phi1 = phi1;
  config.params.gamma_R = config.params.gamma_E * gamma_ratio;
  TransitionOptions options = transition_options(config);
  options.time_limit = 60.0;
  return sweep_point(config, options);
}
}  // namespace

TEST_CASE("anchored lines: outcomes in axis order, equal to cold solves of each point", "[sweep]") {
  const std::vector<double> ratios = {0.5, 1.0, 3.0, 10.0};
  const AnchoredGrid grid =
      anchored_grid(1, 2, ratios.size(), 2, [&](std::size_t, std::size_t k, std::size_t i) {
        return point_at(k == 0 ? 0.4 : 0.3, ratios[i]);
      });
  REQUIRE(grid.lines.size() == 2);
  REQUIRE(grid.anchor_chains == std::vector<std::vector<std::size_t>>{{0, 1}});
  SweepSettings settings;
  settings.threads = 2;
  settings.progress = false;
  const auto outcomes = run_anchored_lines(grid.lines, grid.anchor_chains, settings);
  REQUIRE(outcomes.size() == 2);
  for (std::size_t l = 0; l < 2; ++l) {
    REQUIRE(outcomes[l].size() == ratios.size());
    for (std::size_t i = 0; i < ratios.size(); ++i) {
      const SweepOutcome& o = outcomes[l][i];
      REQUIRE(o.solved());
      CHECK(o.result.path.empty());  // keep_paths is off: the anchor's path is dropped too
      const auto cold = run_sweep({{grid.lines[l].points[i]}}, settings)[0][0];
      REQUIRE(cold.solved());
      CHECK(o.result.sn_inf == Approx(cold.result.sn_inf).epsilon(1e-7));
      CHECK(o.result.lambda_R == Approx(cold.result.lambda_R).epsilon(1e-6));
      // Slower relocation leaves more to entry: λR falls along the axis.
      if (i > 0) CHECK(o.result.lambda_R < outcomes[l][i - 1].result.lambda_R);
    }
  }
}

TEST_CASE("anchored lines: a line without its anchor in exactly one anchor chain is refused",
          "[sweep]") {
  AnchoredLine line;
  line.points = {point_at(0.4, 1.0)};
  SweepSettings settings;
  settings.progress = false;
  CHECK_THROWS_AS(run_anchored_lines({line}, {}, settings), std::invalid_argument);
  CHECK_THROWS_AS(run_anchored_lines({line}, {{0}, {0}}, settings), std::invalid_argument);
  CHECK_THROWS_AS(run_anchored_lines({line}, {{1}}, settings), std::invalid_argument);
  line.anchor = 1;
  CHECK_THROWS_AS(run_anchored_lines({line}, {{0}}, settings), std::invalid_argument);
}
