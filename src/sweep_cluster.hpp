// The processes of one `footloose sweep`. This base class is this process alone. With MPI
// (CMake option FOOTLOOSE_MPI), src/sweep_mpi.cpp — compiled into the program only, so that the
// library, the tests and the Python module do not link MPI — registers the MPI job at start-up,
// and make_sweep_cluster() returns it when the program was started by an MPI launcher (mpirun,
// mpiexec, srun). Only the thread that made the cluster calls it (MPI_THREAD_FUNNELED).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace footloose {

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
  virtual void broadcast(std::vector<char>& bytes);
  // A message to another process, and the next message from any other process if one has arrived
  // (does not wait).
  struct Message {
    int from = 0;
    std::string text;
  };
  virtual void send(int to, const std::string& text);
  virtual std::optional<Message> receive() { return std::nullopt; }
  // Ends this process with `code`: a process other than rank 0 that met the problem rank 0 reports.
  [[noreturn]] virtual void leave(int code);
  // Ends every process of the job at once: an error on rank 0 while the others still run.
  [[noreturn]] virtual void abort(int code);
};

// The MPI job when the program has MPI and was started by a launcher, else this process alone.
// Without MPI, started as one of several processes by a launcher: UsageError (they would all
// solve every point and write the same file).
std::unique_ptr<SweepCluster> make_sweep_cluster();
// Whether this program was built with MPI, and "built (Open MPI v4.1.4)" or "not built", for
// --help.
bool sweep_has_mpi();
std::string sweep_mpi_support();
// For src/sweep_mpi.cpp: how to make the MPI job, and the library's name. Returns true.
bool register_sweep_mpi(std::unique_ptr<SweepCluster> (*make)(), const std::string& library);

}  // namespace footloose
