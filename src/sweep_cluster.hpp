// The processes of one `footloose sweep`. This base class is this process alone. With MPI
// (CMake option FOOTLOOSE_MPI), src/sweep_mpi.cpp is built as a plugin beside the program
// (footloose-sweep-mpi.so), so that neither the program nor the library, the tests and the Python
// module link MPI: make_sweep_cluster() loads it, and returns its MPI job, only when the program
// was started by an MPI launcher (mpirun, mpiexec, srun). Only the thread that made the cluster
// calls it (MPI_THREAD_FUNNELED).
#pragma once

#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace footloose {

// Every member is defined here, so that the plugin needs nothing from the program.
class SweepCluster {
 public:
  SweepCluster() = default;
  virtual ~SweepCluster() = default;
  SweepCluster(const SweepCluster&) = delete;
  SweepCluster& operator=(const SweepCluster&) = delete;

  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  bool is_root() const { return rank() == 0; }
  // Processes of this job on this machine, this one included (they share its cores).
  virtual int ranks_on_this_node() const { return 1; }

  // Rank 0's bytes, to every process.
  virtual void broadcast(std::vector<char>&) {}
  // A message to another process, and the next message from any other process if one has arrived
  // (does not wait).
  struct Message {
    int from = 0;
    std::string text;
  };
  virtual void send(int to, const std::string&) {
    throw std::logic_error("SweepCluster::send: a single process has no rank " +
                           std::to_string(to));
  }
  virtual std::optional<Message> receive() { return std::nullopt; }
  // Ends this process with `code`: a process other than rank 0 that met the problem rank 0 reports.
  [[noreturn]] virtual void leave(int code) { std::exit(code); }
  // Ends every process of the job at once: an error on rank 0 while the others still run.
  [[noreturn]] virtual void abort(int code) { std::exit(code); }
};

// The MPI job when the MPI plugin is there and the program was started by a launcher, else this
// process alone. Started as one of several processes by a launcher without a usable plugin:
// UsageError (they would all solve every point and write the same file).
std::unique_ptr<SweepCluster> make_sweep_cluster();
// Whether the MPI plugin loads, and "built (Open MPI v4.1.4)", "not built (...)" or "not usable
// (...)", for --help. Each loads the plugin (and MPI): call them only when they are needed.
bool sweep_has_mpi();
std::string sweep_mpi_support();

// The MPI plugin: its file name (beside the program) and its two entry points (extern "C").
inline constexpr const char* kSweepMpiPlugin = "footloose-sweep-mpi.so";
// Starts MPI and returns the job (the caller owns it; its destructor ends MPI). Throws
// std::runtime_error when MPI fails.
inline constexpr const char* kSweepMpiStart = "footloose_sweep_mpi_start";
using SweepMpiStart = SweepCluster* (*)();
// The MPI library's name and version, e.g. "Open MPI v4.1.4".
inline constexpr const char* kSweepMpiLibrary = "footloose_sweep_mpi_library";
using SweepMpiLibrary = std::string (*)();

}  // namespace footloose
