// The main of a tool program beside `footloose` (footloose-bench, footloose-stress): the same
// command definition as a `footloose` subcommand, parsed from the tool's own arguments, with
// footloose's error lines and exit codes (2 bad input, 1 failure). `footloose NAME ARGS` runs
// the tool with ARGS (src/external_command.cpp).
#pragma once

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "src/cli.hpp"

namespace footloose {

inline int run_tool(int argc, char** argv, const std::string& name,
                    Command (*add_command)(CLI::App& parent, std::ostream& out)) {
  keep_freed_memory();
  back_heap_by_huge_pages();
  const std::string program = "footloose " + name;
  return run_with_exit_codes("footloose", [&] {  // errors read as the subcommand's
    CLI::App app("footloose: " + name, "footloose");
    app.require_subcommand(1);
    const Command command = add_command(app, std::cout);
    std::vector<std::string> arguments{name};
    for (int i = 1; i < argc; ++i) arguments.emplace_back(argv[i]);
    std::reverse(arguments.begin(), arguments.end());  // CLI11 takes them last first
    try {
      app.parse(arguments);
    } catch (const CLI::ParseError& error) {
      if (error.get_exit_code() == 0) return app.exit(error, std::cout, std::cout);  // --help
      throw UsageError(std::string(error.what()) + " (see '" + program + " --help')");
    }
    command.run();
    return 0;
  });
}

}  // namespace footloose
