// The threads of one solve as a config key (src/config.hpp: PathConfig::threads): unset means 1
// in transition_options (the callers' defaults are their own), a set value reaches
// TransitionOptions::threads, and bad values are refused naming the key and the range.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "src/config.hpp"

using namespace footloose;

namespace {

std::string error_of(const std::string& toml, std::string* field = nullptr) {
  try {
    config_from_toml_text(toml);
  } catch (const ConfigError& error) {
    if (field) *field = error.field();
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("threads key: unset is 1 thread, a set value reaches the solver options",
          "[config][threads]") {
  const RunConfig defaults = config_from_toml_text("");
  CHECK_FALSE(defaults.path.threads.has_value());
  CHECK(transition_options(defaults).threads == 1);
  CHECK(transition_options(defaults).team == nullptr);

  const RunConfig three = config_from_toml_text("threads = 3\n");
  REQUIRE(three.path.threads.has_value());
  CHECK(*three.path.threads == 3);
  CHECK(transition_options(three).threads == 3);
  CHECK(transition_options(config_from_dict({{"threads", std::int64_t(64)}})).threads == 64);
  CHECK(transition_options(config_from_dict({{"threads", 2.0}})).threads == 2);
}

TEST_CASE("threads key: bad values name the key and the allowed range", "[config][threads]") {
  for (const char* toml : {"threads = 0\n", "threads = -1\n", "threads = 65\n", "threads = 2.5\n",
                           "threads = \"2\"\n", "threads = true\n"}) {
    INFO(toml);
    std::string field;
    const std::string message = error_of(toml, &field);
    CHECK(field == "threads");
    CHECK(message.find("1 <= threads <= 64") != std::string::npos);
  }
  std::string field;
  const std::string variant = error_of("relocation = \"type_resolved\"\nthreads = 2\n", &field);
  CHECK(field == "threads");
  CHECK(variant.find("single-front") != std::string::npos);
}
