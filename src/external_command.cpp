// Commands implemented by separate programs beside `footloose` (the benchmark and stress tools
// in bench/ are not linked into the program every user runs): `footloose bench ARGS` executes
// `footloose-bench ARGS` from the directory of the running program.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <vector>

#include "src/cli.hpp"

namespace footloose {

std::filesystem::path beside_this_program(const std::string& file) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw std::runtime_error("cannot locate the running program (/proc/self/exe)");
  return self.parent_path() / file;
}

namespace {

[[noreturn]] void exec_program(const std::string& name, const std::string& program,
                               const std::vector<std::string>& arguments) {
  const std::filesystem::path path = beside_this_program(program);
  std::vector<std::string> words{path.string()};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::cout.flush();
  ::execv(path.c_str(), argv.data());
  throw std::runtime_error("'footloose " + name + "' runs " + path.string() +
                           ", which failed to start (" + std::strerror(errno) +
                           "); build it with: cmake --build build --target " + program);
}

}  // namespace

Command add_external_command(CLI::App& parent, const std::string& name, const std::string& program,
                             const std::string& description) {
  CLI::App* command = parent.add_subcommand(name, description + " (runs " + program + ")");
  command->prefix_command();  // everything after the command is the program's
  command->set_help_flag();   // --help too
  command->allow_extras();
  return {command, [command, name, program] { exec_program(name, program, command->remaining()); }};
}

}  // namespace footloose
