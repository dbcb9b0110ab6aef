// Sweep grids and points files (src/sweep_grid.hpp): lists, linear and log ranges against values
// computed here independently, the size and order of the product, warm-start chains, and every
// refusal, each with a message naming the key.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "src/sweep_grid.hpp"

using namespace footloose;

namespace {

struct Refusal {
  std::string field;
  std::string message;
};

// The ConfigError of reading `text` as a grid file (or, points = true, as a points file).
Refusal refusal_of(const std::string& text, bool points = false) {
  try {
    if (points)
      SweepSpace::from_points_text(text, "points.csv");
    else
      SweepSpace::from_grid_text(text, "grid.toml");
  } catch (const ConfigError& error) {
    return {error.field(), error.what()};
  }
  FAIL("no ConfigError for:\n" << text);
  return {};
}
Refusal grid_refusal(const std::string& text) {
  return refusal_of(text);
}
Refusal points_refusal(const std::string& text) {
  return refusal_of(text, true);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every point in exactly one chain.
void require_partition(const std::vector<std::vector<std::size_t>>& chains, std::size_t size) {
  std::vector<std::size_t> all;
  for (const auto& chain : chains) {
    REQUIRE_FALSE(chain.empty());
    all.insert(all.end(), chain.begin(), chain.end());
  }
  std::sort(all.begin(), all.end());
  REQUIRE(all.size() == size);
  for (std::size_t i = 0; i < size; ++i) REQUIRE(all[i] == i);
}

}  // namespace

TEST_CASE("sweep grid: a list is that list, a scalar is fixed", "[sweep]") {
  const auto space =
      SweepSpace::from_grid_text("gamma_E = 2\nsE = [0.55, 0.6, 0.7]\n", "grid.toml");
  REQUIRE(space.columns() == std::vector<std::string>{"sE"});
  REQUIRE(space.size() == 3);
  const double expected[] = {0.55, 0.6, 0.7};
  for (std::size_t i = 0; i < 3; ++i) {
    const RunConfig config = space.config(i);
    CHECK(config.params.sE == expected[i]);
    CHECK(config.params.gamma_E == 2.0);
    CHECK(config.params.phi1 == RunConfig{}.params.phi1);  // unset keys keep their defaults
  }
  CHECK(space.value_texts(1) == std::vector<std::string>{"0.6"});
  CHECK(space.describe(2) == "sE = 0.7");
}

TEST_CASE("sweep grid: a linear range against 0.05 + 0.01 k", "[sweep]") {
  const auto space =
      SweepSpace::from_grid_text("phi1 = {from = 0.05, to = 0.6, n = 56}\n", "grid.toml");
  REQUIRE(space.size() == 56);
  for (std::size_t k = 0; k < 56; ++k) {
    const double phi1 = space.config(k).params.phi1;
    CHECK(std::abs(phi1 - (0.05 + 0.01 * double(k))) <= 1e-15);
    // Interior values are rounded to 15 digits: the text is the short decimal.
    char text[16];
    std::snprintf(text, sizeof text, "%.2f", 0.05 + 0.01 * double(k));
    CHECK(space.value_texts(k)[0] ==
          std::string(text).erase(std::string(text).find_last_not_of('0') + 1));
  }
  CHECK(space.config(0).params.phi1 == 0.05);
  CHECK(space.config(55).params.phi1 == 0.6);
  // `scale = "linear"` is the default, and n = 1 is the start alone.
  CHECK(range_values(1.0, 2.0, 5, false) == std::vector<double>{1.0, 1.25, 1.5, 1.75, 2.0});
  CHECK(range_values(3.0, 7.0, 1, false) == std::vector<double>{3.0});
}

TEST_CASE("sweep grid: a log range against 1e-2 * 10^(8k/39)", "[sweep]") {
  const auto space = SweepSpace::from_grid_text(
      "gamma_R = {from = 1e-2, to = 1e6, n = 40, scale = \"log\"}\n", "grid.toml");
  REQUIRE(space.size() == 40);
  for (std::size_t k = 0; k < 40; ++k) {
    const double expected = 1e-2 * std::pow(1e8, double(k) / 39.0);
    CHECK(std::abs(space.config(k).params.gamma_R / expected - 1.0) <= 1e-13);
  }
  CHECK(space.config(0).params.gamma_R == 1e-2);
  CHECK(space.config(39).params.gamma_R == 1e6);
  // Whole decades come out as exact powers of ten.
  const auto decades = range_values(1e-2, 1e6, 9, true);
  CHECK(decades == std::vector<double>{1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6});
}

TEST_CASE("sweep grid: the product, in file order, the last key fastest", "[sweep]") {
  const auto space = SweepSpace::from_grid_text(
      "phi1 = [0.3, 0.4]\n"
      "gamma_E = 2\n"
      "sE = {from = 0.55, to = 0.65, n = 3}\n"
      "gamma_R = [1, 2.5]\n",
      "grid.toml");
  REQUIRE(space.columns() == std::vector<std::string>{"phi1", "sE", "gamma_R"});
  REQUIRE(space.size() == 2 * 3 * 2);
  std::size_t point = 0;
  for (double phi1 : {0.3, 0.4})
    for (double sE : {0.55, 0.6, 0.65})
      for (double gamma_R : {1.0, 2.5}) {
        const RunConfig config = space.config(point);
        CHECK(config.params.phi1 == phi1);
        CHECK(std::abs(config.params.sE - sE) <= 1e-15);
        CHECK(config.params.gamma_R == gamma_R);
        CHECK(config.params.gamma_E == 2.0);
        ++point;
      }
  CHECK(space.value_texts(5) == std::vector<std::string>{"0.3", "0.65", "2.5"});
  CHECK(space.value_texts(6) ==
        std::vector<std::string>{"0.4", "0.55", "1"});  // integers as numbers
}

TEST_CASE("sweep grid: warm-start chains along the last model axis", "[sweep]") {
  SECTION("lines along the fastest axis, in the order of their first point") {
    const auto space = SweepSpace::from_grid_text(
        "phi1 = {from = 0.05, to = 0.6, n = 20}\ngamma_R = {from = 0.1, to = 10, n = 5, scale = "
        "\"log\"}\n",
        "grid.toml");
    const auto chains = space.chains();
    REQUIRE(chains.size() == 20);
    for (std::size_t c = 0; c < 20; ++c)
      CHECK(chains[c] ==
            std::vector<std::size_t>{5 * c, 5 * c + 1, 5 * c + 2, 5 * c + 3, 5 * c + 4});
    require_partition(chains, space.size());
  }
  SECTION("a 3 x 2 grid: three chains of two") {
    const auto space =
        SweepSpace::from_grid_text("phi1 = [0.3, 0.4, 0.5]\ngamma_R = [0.5, 2]\n", "grid.toml");
    CHECK(space.chains() == std::vector<std::vector<std::size_t>>{{0, 1}, {2, 3}, {4, 5}});
  }
  SECTION("few lines are cut into pieces of at least 4 points") {
    const auto space = SweepSpace::from_grid_text(
        "gamma_R = {from = 0.1, to = 10, n = 40, scale = \"log\"}\n", "grid.toml");
    const auto chains = space.chains();
    REQUIRE(chains.size() == 10);
    for (std::size_t c = 0; c < 10; ++c)
      CHECK(chains[c] == std::vector<std::size_t>{4 * c, 4 * c + 1, 4 * c + 2, 4 * c + 3});
    require_partition(chains, space.size());
  }
  SECTION("a solver setting as the last axis: chains run along the model parameter before it") {
    const auto space = SweepSpace::from_grid_text(
        "phi1 = [0.3, 0.4, 0.5]\ntolerance = [1e-9, 1e-8]\n", "grid.toml");
    CHECK(space.chains() == std::vector<std::vector<std::size_t>>{{0, 2, 4}, {1, 3, 5}});
  }
  SECTION("only solver settings vary: one point per chain") {
    const auto space =
        SweepSpace::from_grid_text("method = [\"collocation\", \"shooting\"]\n", "grid.toml");
    CHECK(space.chains() == std::vector<std::vector<std::size_t>>{{0}, {1}});
  }
}

TEST_CASE("sweep grid: refusals name the key", "[sweep]") {
  struct Expected {
    std::string grid, field, message_part;
  };
  const Expected refusals[] = {
      // unknown key, with the nearest one, and where it is
      {"gama_R = [1, 2]\n", "gama_R",
       "grid.toml:1:10: unknown key 'gama_R' (did you mean 'gamma_R'?)"},
      // n < 1, not an integer, missing fields
      {"phi1 = {from = 0.1, to = 0.5, n = 0}\n", "phi1",
       "key 'phi1': range field n = 0: n must be >= 1"},
      {"phi1 = {from = 0.1, to = 0.5, n = -3}\n", "phi1",
       "key 'phi1': range field n = -3: n must be >= 1"},
      {"phi1 = {from = 0.1, to = 0.5, n = 2.5}\n", "phi1",
       "key 'phi1': range field 'n' must be an integer"},
      {"phi1 = {from = 0.1, to = 0.5}\n", "phi1", "key 'phi1': a range needs 'n'"},
      {"phi1 = {from = 0.1, n = 3}\n", "phi1", "key 'phi1': a range needs 'to'"},
      // a log range through or below 0
      {"gamma_R = {from = 0, to = 10, n = 3, scale = \"log\"}\n", "gamma_R",
       "key 'gamma_R': a log range needs from > 0 and to > 0; got from = 0, to = 10"},
      {"gamma_R = {from = -1, to = 10, n = 3, scale = \"log\"}\n", "gamma_R",
       "a log range needs from > 0 and to > 0"},
      {"gamma_R = {from = 1, to = -10, n = 3, scale = \"log\"}\n", "gamma_R",
       "a log range needs from > 0 and to > 0"},
      // a value out of its domain at some grid point (every point is checked)
      {"phi1 = [0.3, 0.4]\nsE = [0.6, 1.2]\n", "sE",
       "grid.toml, grid point 2 (phi1 = 0.3, sE = 1.2): parameter 'sE'"},
      {"gamma_R = {from = 2, to = -2, n = 2}\n", "gamma_R", "grid point 2 (gamma_R = -2)"},
      {"gamma_R = [1, 0]\n", "gamma_R",
       "grid point 2 (gamma_R = 0): parameter 'gamma_R' = 0 is out of range: allowed gamma_R > 0"},
      {"phi1 = [0.3, 0.4]\nsigma = 0.5\n", "sigma", "grid point 1 (phi1 = 0.3): parameter 'sigma'"},
      {"rtol = [1e-10, 0.5]\n", "rtol",
       "grid point 2 (rtol = 0.5): key 'rtol' = 0.5 is out of range"},
      {"method = [\"collocation\", \"shoting\"]\n", "method", "did you mean 'shooting'?"},
      {"sE = [\"high\"]\n", "sE", "key 'sE' must be a number"},
      // ranges and lists that cannot be
      {"method = {from = 1, to = 2, n = 2}\n", "method", "key 'method': takes a word"},
      {"phi1 = {from = 0.1, to = 0.5, n = 3, scael = \"log\"}\n", "phi1",
       "unknown range field 'scael' (did you mean 'scale'?)"},
      {"phi1 = {from = 0.1, to = 0.5, n = 3, scale = \"logarithmic\"}\n", "phi1",
       "'scale' must be \"linear\" or \"log\""},
      {"sE = []\n", "sE", "key 'sE': empty list"},
      {"sE = [0.6, 0.60]\n", "sE", "key 'sE': the value 0.6 appears twice"},
      {"sE = {from = 0.6, to = 0.6, n = 3}\n", "sE",
       "key 'sE': from = to = 0.6 with n = 3 repeats one value"},
      {"sE = [[0.6]]\n", "sE", "key 'sE': list element 1 is not a number, word or boolean"},
      // not a grid at all
      {"phi1 = [0.3,\n", "", "grid.toml:1:14: malformed TOML"},
      {"phi1 = [\"\xCE\xB3\"]\n", "", "grid.toml:1:10: unexpected character"},
  };
  for (const auto& expected : refusals) {
    INFO(expected.grid);
    const Refusal refusal = grid_refusal(expected.grid);
    CHECK(refusal.field == expected.field);
    CHECK(contains(refusal.message, expected.message_part));
  }
}

TEST_CASE("sweep points file: one point per row", "[sweep]") {
  const auto space = SweepSpace::from_points_text(
      "phi1,gamma_R,method\n0.3,0.5,collocation\n0.4, 2 ,collocation\n\n0.5,1,shooting\n",
      "points.csv");
  REQUIRE(space.columns() == std::vector<std::string>{"phi1", "gamma_R", "method"});
  REQUIRE(space.size() == 3);
  CHECK(space.config(1).params.gamma_R == 2.0);
  CHECK(space.config(2).path.solver.method == PathMethod::Shooting);
  CHECK(space.value_texts(1) == std::vector<std::string>{"0.4", "2", "collocation"});
  // Rows 0 and 1 have the same solver settings but are far apart (phi1 moves by half its span
  // over the file, gamma_R by all of it): no warm start, three chains.
  CHECK(space.chains() == std::vector<std::vector<std::size_t>>{{0}, {1}, {2}});

  SECTION("refusals") {
    const auto unknown = points_refusal("phi1,gama_R\n0.3,1\n");
    CHECK(unknown.field == "gama_R");
    CHECK(
        contains(unknown.message, "points.csv:1: unknown key 'gama_R' (did you mean 'gamma_R'?)"));
    CHECK(contains(points_refusal("phi1,gamma_R\n0.3\n").message,
                   "points.csv:2: 1 values for 2 columns"));
    const auto domain = points_refusal("phi1,sE\n0.3,0.6\n0.3,1.5\n");
    CHECK(domain.field == "sE");
    CHECK(contains(domain.message, "points.csv:3 (phi1 = 0.3, sE = 1.5)"));
    CHECK(points_refusal("phi1\nhigh\n").field == "phi1");
    CHECK(contains(points_refusal("phi1\n0.3\n0.30\n").message, "also on line 2"));
    CHECK(contains(points_refusal("phi1\n").message, "no points"));
  }
}

TEST_CASE("sweep values: exact text", "[sweep]") {
  CHECK(sweep_value_text(ConfigValue(std::int64_t(2))) == "2");
  CHECK(sweep_value_text(ConfigValue(0.1)) == "0.1");
  CHECK(sweep_value_text(ConfigValue(1e-12)) == "1e-12");
  CHECK(sweep_value_text(ConfigValue(true)) == "true");
  CHECK(sweep_value_text(ConfigValue(std::string("shooting"))) == "shooting");
  CHECK(split_csv_line(" a, \"b\" ,c\r") == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("Sweep grid: non-ASCII text is allowed in comments, as in config files", "[sweep]") {
  const SweepSpace space =
      SweepSpace::from_grid_text("# \xCE\xB3R sweep\nphi1 = [0.3, 0.4]\n", "grid.toml");
  CHECK(space.size() == 2);
}

TEST_CASE("sweep points file: rows warm-start only from close neighbours", "[sweep]") {
  // 40 rows along a line in (phi1, sE): steps of 1/39 of each span, neighbours. Chains of 16.
  std::string ordered = "phi1,sE\n";
  std::vector<std::pair<double, double>> rows;
  for (int k = 0; k < 40; ++k) rows.emplace_back(0.2 + 0.01 * k, 0.55 + 0.002 * k);
  for (const auto& [phi1, sE] : rows)
    ordered += std::to_string(phi1) + "," + std::to_string(sE) + "\n";
  const auto line = SweepSpace::from_points_text(ordered, "line.csv").chains();
  REQUIRE(line.size() == 3);
  CHECK(line[0].size() == 16);
  CHECK(line[1].size() == 16);
  CHECK(line[2].size() == 8);
  require_partition(line, 40);

  // The same rows in a scrambled order (k -> 17 k mod 40): consecutive rows are 17 or 23 steps
  // apart, far more than 1/10 of a span, so every row is its own chain.
  std::string scrambled = "phi1,sE\n";
  for (int k = 0; k < 40; ++k) {
    const auto& [phi1, sE] = rows[(17 * k) % 40];
    scrambled += std::to_string(phi1) + "," + std::to_string(sE) + "\n";
  }
  const auto scattered = SweepSpace::from_points_text(scrambled, "scrambled.csv").chains();
  CHECK(scattered.size() == 40);
  require_partition(scattered, 40);

  // A jump of one row in the middle of a line cuts it there, and only there.
  std::string jump = "phi1\n0.30\n0.31\n0.32\n0.60\n0.61\n0.62\n";
  CHECK(SweepSpace::from_points_text(jump, "jump.csv").chains() ==
        std::vector<std::vector<std::size_t>>{{0, 1, 2}, {3, 4, 5}});
}
