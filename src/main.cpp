// footloose: the command-line program. Errors end as one line on stderr:
// exit 2 for bad input (command line, configuration, parameter domain), 1 for any other failure.
#include <iostream>

#include "src/cli.hpp"

int main(int argc, char** argv) {
  footloose::keep_freed_memory();
  footloose::back_heap_by_huge_pages();
  return footloose::run_with_exit_codes("footloose",
                                        [&] { return footloose::run_cli(argc, argv, std::cout); });
}
