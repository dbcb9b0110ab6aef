// One line on stderr and an exit code for whatever a program's body throws (src/cli.hpp).
#include <exception>
#include <iostream>

#include "models/parameters.hpp"
#include "src/cli.hpp"
#include "src/config.hpp"

namespace footloose {

namespace {

int report_error(const char* program, const char* message, int exit_code) {
  std::cout.flush();
  std::cerr << program << ": error: " << message << std::endl;
  return exit_code;
}

}  // namespace

int run_with_exit_codes(const char* program, const std::function<int()>& body) {
  constexpr int bad_input = 2;
  constexpr int failure = 1;
  try {
    return body();
  } catch (const ConfigError& error) {
    return report_error(program, error.what(), bad_input);
  } catch (const ParameterError& error) {
    return report_error(program, error.what(), bad_input);
  } catch (const UsageError& error) {
    return report_error(program, error.what(), bad_input);
  } catch (const std::exception& error) {
    return report_error(program, error.what(), failure);
  } catch (...) {
    return report_error(program, "unknown failure", failure);
  }
}

}  // namespace footloose
