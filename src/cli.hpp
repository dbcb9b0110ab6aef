// The command line: `footloose <command> [options]`, one CLI11 subcommand per command.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>

#include "src/config.hpp"
#include "src/output.hpp"

namespace footloose {

// Bad command line (unknown option, missing subcommand, unusable output path, ...).
class UsageError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A subcommand: its CLI11 app, and what to do when it was chosen (called after parsing).
struct Command {
  CLI::App* app = nullptr;
  std::function<void()> run;
};

// Helpers shared by command definitions.
// --config FILE (optional; without it the baseline calibration), and the config-key help.
void add_config_option(CLI::App& command, std::string& config_file);
// An output-file option; the file's directory must exist (checked while parsing).
CLI::Option* add_output_option(CLI::App& command, const std::string& name, std::string& file,
                               const std::string& description);
// --fsync: output files flushed to the disk (src/output.hpp, FileSync).
void add_fsync_flag(CLI::App& command, FileSync& sync);
// The configuration named by --config, or the defaults when none was given.
RunConfig load_run_config(const std::string& config_file);

// Parses argv and runs the chosen command. Returns the exit code (0; help output included).
// Throws UsageError, ConfigError, ParameterError, OutputError, ... : main turns them into
// one line on stderr and an exit code.
int run_cli(int argc, const char* const* argv, std::ostream& out);

// Runs `body` and turns what it throws into one line on stderr ("<program>: error: ...") and an
// exit code: 2 for bad input (command line, configuration, parameter domain), 1 for any other
// failure. Shared by footloose and the tool programs (bench/).
int run_with_exit_codes(const char* program, const std::function<int()>& body);

// Start-up of footloose and the tool programs: the allocator keeps freed memory for reuse
// (glibc's mallopt: no trimming of the heap top, no mmap for blocks below 64 MiB). A path solve
// allocates and frees a few MiB; returned to the system, it came back as ~850 page faults,
// 1.4 ms of a 4.5 ms solve, every few solves. Peak RSS is unchanged.
void keep_freed_memory();
// Then, after keep_freed_memory(): the heap grows by 8 MiB at once, and the 2 MiB-aligned part
// of it is backed by transparent huge pages (madvise MADV_HUGEPAGE; without THP, or without a free
// huge page, the kernel gives ordinary pages). A path solve first touches ~4.5 MiB of heap: ~1,100
// page faults in 4 KiB pages, ~1.4 ms of a ~10 ms `footloose path` here, against a few huge-page
// faults. Peak RSS of one path: ~12 MiB instead of ~10.5 (whole huge pages).
void back_heap_by_huge_pages();

// A file in the directory of the running program (/proc/self/exe): the tool programs, the MPI
// plugin. Throws std::runtime_error when the program cannot be located.
std::filesystem::path beside_this_program(const std::string& file);

// A command implemented by a separate program next to this one (footloose-bench, ...): every
// argument after the command is passed on, --help included, by exec.
Command add_external_command(CLI::App& parent, const std::string& name, const std::string& program,
                             const std::string& description);

}  // namespace footloose
