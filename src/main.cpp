// footloose: the command-line program. Errors end as one line on stderr:
// exit 2 for bad input (command line, configuration, parameter domain), 1 for any other failure.
#include <exception>
#include <iostream>

#include "models/parameters.hpp"
#include "src/cli.hpp"
#include "src/config.hpp"

namespace {

int report_error(const char* message, int exit_code) {
  std::cout.flush();
  std::cerr << "footloose: error: " << message << std::endl;
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  constexpr int bad_input = 2;
  constexpr int failure = 1;
  try {
    return footloose::run_cli(argc, argv, std::cout);
  } catch (const footloose::ConfigError& error) {
    return report_error(error.what(), bad_input);
  } catch (const footloose::ParameterError& error) {
    return report_error(error.what(), bad_input);
  } catch (const footloose::UsageError& error) {
    return report_error(error.what(), bad_input);
  } catch (const std::exception& error) {
    return report_error(error.what(), failure);
  } catch (...) {
    return report_error("unknown failure", failure);
  }
}
