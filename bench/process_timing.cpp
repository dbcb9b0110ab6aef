#include "bench/process_timing.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace footloose {

namespace {

// /dev/null as the child's stdout; closed when done.
class NullOutput {
 public:
  NullOutput() {
    if (::posix_spawn_file_actions_init(&actions_) != 0)
      throw std::runtime_error("posix_spawn_file_actions_init failed");
    if (::posix_spawn_file_actions_addopen(&actions_, STDOUT_FILENO, "/dev/null", O_WRONLY, 0) !=
        0) {
      ::posix_spawn_file_actions_destroy(&actions_);
      throw std::runtime_error("posix_spawn_file_actions_addopen failed");
    }
  }
  ~NullOutput() { ::posix_spawn_file_actions_destroy(&actions_); }
  NullOutput(const NullOutput&) = delete;
  NullOutput& operator=(const NullOutput&) = delete;
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

std::vector<double> time_program_runs(const std::filesystem::path& program,
                                      const std::vector<std::string>& arguments, int runs) {
  std::vector<std::string> words{program.string()};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const NullOutput null_output;
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    pid_t child = 0;
    const int error =
        ::posix_spawn(&child, argv[0], null_output.actions(), nullptr, argv.data(), environ);
    if (error != 0)
      throw std::runtime_error("cannot start " + program.string() + ": " + std::strerror(error));
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
      if (errno != EINTR)
        throw std::runtime_error("waitpid failed: " + std::string(std::strerror(errno)));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      throw std::runtime_error(program.string() + " " + (words.size() > 1 ? words[1] : "") +
                               " did not exit with 0 (status " + std::to_string(status) + ")");
  }
  return ms;
}

}  // namespace footloose
