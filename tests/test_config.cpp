// Configuration: the schema table, TOML / dict parsing, and every kind of ConfigError.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "src/config.hpp"
#include "src/config_schema.hpp"

using namespace footloose;

namespace {

// The Parameters fields, written out here independently of the schema.
const std::vector<std::pair<std::string, std::function<double(const Parameters&)>>>
    parameter_fields = {
        {"sigma", [](const Parameters& p) { return p.sigma; }},
        {"rho", [](const Parameters& p) { return p.rho; }},
        {"sE", [](const Parameters& p) { return p.sE; }},
        {"F", [](const Parameters& p) { return p.F; }},
        {"FI", [](const Parameters& p) { return p.FI; }},
        {"delta", [](const Parameters& p) { return p.delta; }},
        {"r", [](const Parameters& p) { return p.r; }},
        {"phi0", [](const Parameters& p) { return p.phi0; }},
        {"phi1", [](const Parameters& p) { return p.phi1; }},
        {"gamma_E", [](const Parameters& p) { return p.gamma_E; }},
        {"gamma_R", [](const Parameters& p) { return p.gamma_R; }},
};

// A valid value, different from the default, for each parameter.
const std::map<std::string, double> other_valid_value = {
    {"sigma", 3.5}, {"rho", 7.0},     {"sE", 0.7},      {"F", 3.0},
    {"FI", 0.5},    {"delta", 0.2},   {"r", 0.03},      {"phi0", 0.1},
    {"phi1", 0.3},  {"gamma_E", 2.0}, {"gamma_R", 0.5},
};

struct CaughtConfigError {
  std::string field;
  std::string message;
};

CaughtConfigError error_from_toml(const std::string& text,
                                  const std::string& source = "test.toml") {
  try {
    config_from_toml_text(text, source);
  } catch (const ConfigError& error) {
    return {error.field(), error.what()};
  }
  FAIL("no ConfigError for: " << text);
  return {};
}

CaughtConfigError error_from_dict(const std::map<std::string, ConfigValue>& values) {
  try {
    config_from_dict(values);
  } catch (const ConfigError& error) {
    return {error.field(), error.what()};
  }
  FAIL("no ConfigError from the dict");
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("config schema covers every Parameters field", "[config]") {
  STATIC_REQUIRE(sizeof(Parameters) == 11 * sizeof(double));  // a new field must be added above
  for (const auto& [name, read] : parameter_fields) {
    INFO("parameter " << name);
    const ConfigKey* key = find_config_key(name);
    REQUIRE(key != nullptr);
    CHECK(key->group == KeyGroup::Model);
    const double value = other_valid_value.at(name);
    const RunConfig config = config_from_dict({{name, value}});
    CHECK(read(config.params) == value);
    for (const auto& [other, read_other] : parameter_fields)
      if (other != name) CHECK(read_other(config.params) == read_other(Parameters{}));
  }
  std::size_t model_keys = 0;
  for (const auto& key : config_schema()) model_keys += key.group == KeyGroup::Model;
  CHECK(model_keys == parameter_fields.size());
}

TEST_CASE("defaults are the baseline calibration and experiments/baseline.toml matches them",
          "[config]") {
  const RunConfig defaults = config_from_dict({});
  const RunConfig baseline =
      load_config_file(std::string(FOOTLOOSE_SOURCE_DIR) + "/experiments/baseline.toml");
  for (const auto& [name, read] : parameter_fields) {
    INFO("parameter " << name);
    CHECK(read(defaults.params) == read(Parameters{}));
    CHECK(read(baseline.params) == read(Parameters{}));
  }
  CHECK(defaults.path.solver.horizon == 60.0);
  CHECK(defaults.path.solver.rtol == 1e-12);
  CHECK(defaults.path.solver.newton_tolerance == 1e-11);
  CHECK(defaults.path.solver.terminal == TerminalCondition::Asymptotic);
  CHECK(defaults.path.phi_path == TradePathKind::Jump);
  CHECK_FALSE(defaults.path.phi_path_time.has_value());
  CHECK(defaults.path.initial_state == InitialStateKind::Autarky);
  CHECK_FALSE(defaults.path.K0.has_value());
}

TEST_CASE("each parameter key is read from TOML", "[config]") {
  for (const auto& [name, read] : parameter_fields) {
    INFO("parameter " << name);
    const double value = other_valid_value.at(name);
    const RunConfig config = config_from_toml_text(name + " = " + std::to_string(value) + "\n");
    CHECK(read(config.params) == Approx(value).epsilon(1e-15));
  }
}

TEST_CASE("integers are accepted as numbers", "[config]") {
  CHECK(config_from_toml_text("sigma = 5\nrho = 8\n").params.sigma == 5.0);
  CHECK(config_from_dict({{"rho", std::int64_t{8}}}).params.rho == 8.0);
  CHECK(config_from_toml_text("T = 100\n").path.solver.horizon == 100.0);
}

TEST_CASE("path settings are read from TOML", "[config]") {
  const RunConfig config = config_from_toml_text(
      "T = 80.5\nrtol = 1e-8\nnewton_tol = 1e-7\nterminal_condition = \"truncation\"\n"
      "phi_path = \"exponential\"\nphi_path_time = 4.0\ninitial_state = \"explicit\"\n"
      "K0 = 0.7\nK_star0 = 0.55\naR0 = 0.2\nphi0 = 0.1\n");
  CHECK(config.path.solver.horizon == 80.5);
  CHECK(config.path.solver.rtol == 1e-8);
  CHECK(config.path.solver.newton_tolerance == 1e-7);
  CHECK(config.path.solver.terminal == TerminalCondition::Truncation);
  CHECK(config.path.phi_path == TradePathKind::Exponential);
  CHECK(config.path.phi_path_time == 4.0);
  CHECK(config.path.initial_state == InitialStateKind::Explicit);

  const TradePath phi = trade_path(config);
  CHECK(phi.kind == TradePathKind::Exponential);
  CHECK(phi.phi0 == 0.1);
  CHECK(phi.phi1 == 0.4);
  CHECK(phi.duration == 4.0);
  const TransitionOptions options = transition_options(config);
  CHECK(options.horizon == 80.5);
  CHECK(options.rtol == 1e-8);
  CHECK(options.newton_tolerance == 1e-7);
  CHECK(options.terminal == TerminalCondition::Truncation);
  CHECK(transition_options(config_from_dict({})).terminal == TerminalCondition::Asymptotic);
  const InitialStateSpec start = initial_state(config);
  CHECK(start.kind == InitialStateKind::Explicit);
  CHECK(start.K == 0.7);
  CHECK(start.K_star == 0.55);
  CHECK(start.aR == 0.2);

  CHECK(config_from_toml_text("phi_path = \"linear\"\nphi_path_time = 2\n").path.phi_path ==
        TradePathKind::Linear);
  for (const auto& [word, kind] : std::vector<std::pair<std::string, InitialStateKind>>{
           {"autarky", InitialStateKind::Autarky},
           {"hft", InitialStateKind::Hft},
           {"relocation", InitialStateKind::Relocation}})
    CHECK(config_from_toml_text("initial_state = \"" + word + "\"\n").path.initial_state == kind);
  CHECK(config_from_toml_text("aR0 = 0\nK0 = 1\nK_star0 = 1\ninitial_state = \"explicit\"\n")
            .path.aR0 == 0.0);
}

TEST_CASE("unknown key: named, nearest key suggested, valid keys listed", "[config][errors]") {
  const auto error = error_from_toml("sigma = 4\nsigam = 4\n");
  CHECK(error.field == "sigam");
  CHECK(contains(error.message, "test.toml:2:"));
  CHECK(contains(error.message, "unknown key 'sigam'"));
  CHECK(contains(error.message, "did you mean 'sigma'?"));
  for (const auto& name : config_key_names()) CHECK(contains(error.message, name));

  const auto derived = error_from_toml("beta = 2\n");
  CHECK(derived.field == "beta");
  CHECK(contains(derived.message, "beta = rho/(sigma-1)"));
  CHECK(contains(error_from_toml("[path]\nT = 3\n").message, "top level"));
  // atol is no key: the absolute tolerances follow from rtol.
  const auto atol = error_from_toml("atol = 1e-12\n");
  CHECK(atol.field == "atol");
  CHECK(contains(atol.message, "unknown key 'atol'"));
  CHECK(contains(atol.message, "rtol * 1e-3"));
  CHECK(error_from_dict({{"gammaE", 1.0}}).message.find("did you mean 'gamma_E'?") !=
        std::string::npos);
}

TEST_CASE("wrong type: field, expected type and allowed range in the message", "[config][errors]") {
  const auto text = error_from_toml("sigma = \"four\"\n");
  CHECK(text.field == "sigma");
  CHECK(contains(text.message, "test.toml:1:9"));
  CHECK(contains(text.message, "must be a number"));
  CHECK(contains(text.message, "sigma > 1"));
  CHECK(contains(text.message, "got string \"four\""));

  CHECK(contains(error_from_toml("rtol = true\n").message, "0 < rtol <= 0.001"));
  CHECK(contains(error_from_toml("sE = [0.6]\n").message, "got array"));
  CHECK(contains(error_from_toml("F = 1979-05-27\n").message, "must be a number"));

  const auto word = error_from_toml("phi_path = 3\n");
  CHECK(word.field == "phi_path");
  CHECK(contains(word.message, "must be a string"));
  CHECK(contains(word.message, "one of jump, linear, exponential"));

  CHECK(error_from_dict({{"delta", std::string("0.1")}}).field == "delta");
  CHECK(contains(error_from_dict({{"phi1", true}}).message, "got boolean true"));
}

TEST_CASE("unknown word: allowed words listed, nearest suggested", "[config][errors]") {
  const auto error = error_from_toml("terminal_condition = \"asymptotc\"\n");
  CHECK(error.field == "terminal_condition");
  CHECK(contains(error.message, "one of asymptotic, truncation"));
  CHECK(contains(error.message, "did you mean 'asymptotic'?"));
}

TEST_CASE("parameter out of its domain: validate() names field, value and range",
          "[config][errors]") {
  struct Case {
    std::string toml, field, value, range;
  };
  const std::vector<Case> cases = {
      {"sigma = 1", "sigma", "1", "sigma > 1"},
      {"rho = 3", "rho", "3", "rho > sigma - 1"},
      {"sE = 0.5", "sE", "0.5", "0.5 < sE < 1"},
      {"sE = 1.2", "sE", "1.2", "0.5 < sE < 1"},
      {"F = 0", "F", "0", "F > 0"},
      {"FI = -1", "FI", "-1", "FI > 0"},
      {"delta = -0.5", "delta", "-0.5", "delta > 0"},
      {"r = -0.5", "r", "-0.5", "r >= 0"},
      {"phi0 = 1", "phi0", "1", "0 <= phi0 < 1"},
      {"phi1 = 1", "phi1", "1", "0 <= phi1 < 1"},
      {"phi1 = -0.25", "phi1", "-0.25", "0 <= phi1 < 1"},
      {"gamma_E = -1", "gamma_E", "-1", "gamma_E >= 0"},
      {"gamma_R = -2", "gamma_R", "-2", "gamma_R >= 0"},
      {"sigma = nan", "sigma", "nan", "sigma > 1"},
  };
  for (const auto& c : cases) {
    INFO(c.toml);
    const auto error = error_from_toml("# comment\n" + c.toml + "\n");
    CHECK(error.field == c.field);
    CHECK(contains(error.message, "test.toml:2:"));
    CHECK(contains(error.message, "'" + c.field + "' = " + c.value));
    CHECK(contains(error.message, c.range));
  }
  // A default made invalid by another key: the message says it is the default.
  const auto from_default = error_from_toml("sigma = 8\n");
  CHECK(from_default.field == "rho");
  CHECK(contains(from_default.message, "default value"));
  CHECK(contains(from_default.message, "test.toml:"));
}

TEST_CASE("path setting out of range: field, value and range", "[config][errors]") {
  struct Case {
    std::string toml, field, value, range;
  };
  const std::vector<Case> cases = {
      {"T = 0", "T", "0", "T > 0"},
      {"rtol = 0", "rtol", "0", "0 < rtol <= 0.001"},
      {"rtol = 0.01", "rtol", "0.01", "0 < rtol <= 0.001"},
      {"newton_tol = 0", "newton_tol", "0", "newton_tol > 0"},
      {"phi_path = \"linear\"\nphi_path_time = 0", "phi_path_time", "0", "phi_path_time > 0"},
      {"initial_state = \"explicit\"\nK0 = 0\nK_star0 = 1\naR0 = 0.1", "K0", "0", "K0 > 0"},
      {"initial_state = \"explicit\"\nK0 = 1\nK_star0 = -1\naR0 = 0.1", "K_star0", "-1",
       "K_star0 > 0"},
      {"initial_state = \"explicit\"\nK0 = 1\nK_star0 = 1\naR0 = 1", "aR0", "1", "0 <= aR0 < 1"},
      {"T = inf", "T", "inf", "T > 0"},
  };
  for (const auto& c : cases) {
    INFO(c.toml);
    const auto error = error_from_toml(c.toml + "\n");
    CHECK(error.field == c.field);
    CHECK(contains(error.message, "'" + c.field + "' = " + c.value + " is out of range"));
    CHECK(contains(error.message, c.range));
  }
}

TEST_CASE("keys required or unused depending on another key", "[config][errors]") {
  const auto missing_time = error_from_toml("phi_path = \"linear\"\n");
  CHECK(missing_time.field == "phi_path_time");
  CHECK(contains(missing_time.message, "required when phi_path = linear"));
  CHECK(contains(missing_time.message, "phi_path_time > 0"));
  CHECK(error_from_toml("phi_path_time = 3\n").field == "phi_path_time");

  const auto missing_state = error_from_toml("initial_state = \"explicit\"\nK0 = 1\nK_star0 = 1\n");
  CHECK(missing_state.field == "aR0");
  CHECK(contains(missing_state.message, "required when initial_state = explicit"));
  CHECK(contains(missing_state.message, "0 <= aR0 < 1"));
  CHECK(error_from_toml("K_star0 = 1\n").field == "K_star0");
}

TEST_CASE("malformed TOML: file, line and column", "[config][errors]") {
  const auto error = error_from_toml("sigma = 4\nrho = = 6\n", "bad.toml");
  CHECK(error.field.empty());
  CHECK(contains(error.message, "bad.toml:2:"));
  CHECK(contains(error.message, "malformed TOML"));
  CHECK(contains(error_from_toml("sigma = 4\nsigma = 5\n", "dup.toml").message, "dup.toml:2:"));
}

TEST_CASE("missing or unreadable config file", "[config][errors]") {
  const std::string missing =
      std::string(FOOTLOOSE_SOURCE_DIR) + "/experiments/does_not_exist.toml";
  try {
    load_config_file(missing);
    FAIL("no ConfigError");
  } catch (const ConfigError& error) {
    CHECK(contains(error.what(), "cannot open config file"));
    CHECK(contains(error.what(), missing));
  }
  CHECK_THROWS_AS(load_config_file(FOOTLOOSE_SOURCE_DIR), ConfigError);
}

TEST_CASE("config_from_table applies the same schema to a parsed table", "[config]") {
  toml::table table{{"sigma", 5.0}, {"phi_path", "linear"}, {"phi_path_time", 3}};
  const RunConfig config = config_from_table(table);
  CHECK(config.params.sigma == 5.0);
  CHECK(config.path.phi_path_time == 3.0);
  toml::table bad{{"sE", 2.0}};
  CHECK_THROWS_AS(config_from_table(bad), ConfigError);
}

TEST_CASE("help text shows every key with its default and allowed range", "[config][help]") {
  const std::string help = config_keys_help();
  const RunConfig defaults;
  for (const auto& key : config_schema()) {
    INFO(key.name);
    CHECK(contains(help, "  " + key.name + " "));
    CHECK(contains(help, key.allowed));
    CHECK(contains(help, key.meaning));
    CHECK_FALSE(key.allowed.empty());
  }
  CHECK(contains(help, "sigma > 1"));  // parameter domains come from validate()
  CHECK(contains(help, "0.5 < sE < 1"));
  CHECK(contains(help, "0 < rtol <= 0.001"));
  CHECK(contains(help, "one of jump, linear, exponential"));
  CHECK(key_value_text(find_config_key("rtol")->get(defaults)) == "1e-12");
  CHECK(key_value_text(find_config_key("phi1")->get(defaults)) == "0.4");
  CHECK(key_value_text(find_config_key("K0")->get(defaults)) == "(unset)");
}

TEST_CASE("nearest_word suggests close words only", "[config]") {
  const std::vector<std::string> words = {"sigma", "rho", "gamma_E", "gamma_R"};
  CHECK(nearest_word("sigm", words) == std::optional<std::string>("sigma"));
  CHECK(nearest_word("RHO", words) == std::optional<std::string>("rho"));
  CHECK(nearest_word("gamma_e", words) == std::optional<std::string>("gamma_E"));
  CHECK_FALSE(nearest_word("completely_different", words).has_value());
}

TEST_CASE("model variants: relocation, timing and the type-resolved keys", "[config]") {
  const RunConfig defaults = config_from_dict({});
  CHECK(defaults.path.relocation == RelocationModel::Front);
  CHECK(defaults.path.timing == RelocationTiming::Sequential);

  const RunConfig typed = config_from_toml_text(
      "relocation = \"type_resolved\"\ntype_cells = 250\ntype_max_step = 0.1\nT = 80\n"
      "time_limit = 30\n");
  CHECK(typed.path.relocation == RelocationModel::TypeResolved);
  const TypeResolvedOptions options = type_resolved_options(typed);
  CHECK(options.type_cells == 250);
  CHECK(options.max_step == 0.1);
  CHECK(options.horizon == 80.0);  // T and time_limit are shared with the path settings
  CHECK(options.time_limit == 30.0);

  const RunConfig nash = config_from_toml_text("timing = \"optimal\"\ntolerance = 1e-7\nT = 90\n");
  CHECK(nash.path.timing == RelocationTiming::Optimal);
  const OptimalTimingOptions timing = optimal_timing_options(nash);
  CHECK(timing.tolerance == 1e-7);
  CHECK(timing.horizon == 90.0);
}

TEST_CASE("model variants: refused combinations name the key", "[config][errors]") {
  const auto both = error_from_toml("relocation = \"type_resolved\"\ntiming = \"optimal\"\n");
  CHECK(both.field == "timing");
  CHECK(contains(both.message, "not specified"));

  const auto cells_front = error_from_toml("type_cells = 100\n");
  CHECK(cells_front.field == "type_cells");
  CHECK(contains(cells_front.message, "only used when relocation = \"type_resolved\""));

  const auto fraction = error_from_toml("relocation = \"type_resolved\"\ntype_cells = 10.5\n");
  CHECK(fraction.field == "type_cells");
  CHECK(contains(fraction.message, "whole number"));
  const auto few = error_from_toml("relocation = \"type_resolved\"\ntype_cells = 1\n");
  CHECK(few.field == "type_cells");
  CHECK(contains(few.message, "2 <= type_cells <="));

  for (const char* key : {"method = \"shooting\"", "verify = true", "rtol = 1e-9"}) {
    INFO(key);
    const auto front_only = error_from_toml("timing = \"optimal\"\n" + std::string(key) + "\n");
    CHECK(contains(front_only.message, "single-front sequential solver"));
    CHECK(contains(
        error_from_toml("relocation = \"type_resolved\"\n" + std::string(key) + "\n").message,
        "single-front sequential solver"));
  }
  const auto tolerance = error_from_toml("relocation = \"type_resolved\"\ntolerance = 1e-6\n");
  CHECK(tolerance.field == "tolerance");
  CHECK(contains(tolerance.message, "single-front solvers"));
  CHECK(config_from_toml_text("timing = \"optimal\"\ntolerance = 1e-6\n").path.solver.tolerance ==
        1e-6);
  const auto word = error_from_toml("relocation = \"types\"\n");
  CHECK(word.field == "relocation");
  CHECK(contains(word.message, "front, type_resolved"));
}
