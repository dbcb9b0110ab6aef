// Wall time of whole program runs, start to exit (fork/exec, loading, the run, exit): the
// `process` section of footloose-bench times `footloose path --json FILE` this way.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace footloose {

// Runs `program arguments...` `runs` times, one after the other, with stdout to /dev/null, and
// returns each run's wall time in milliseconds. std::runtime_error when a run cannot be started
// or does not exit with 0 (its stderr is passed through).
std::vector<double> time_program_runs(const std::filesystem::path& program,
                                      const std::vector<std::string>& arguments, int runs);

}  // namespace footloose
