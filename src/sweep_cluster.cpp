#include "src/sweep_cluster.hpp"

#include <cstdlib>
#include <stdexcept>

#include "src/cli.hpp"

namespace footloose {

namespace {

struct MpiRegistration {
  std::unique_ptr<SweepCluster> (*make)() = nullptr;
  std::string library;
};

MpiRegistration& mpi_registration() {
  static MpiRegistration registration;
  return registration;
}

// Launchers set these (Open MPI's mpirun; PMIx, e.g. srun --mpi=pmix; PMI-1/2: MPICH, srun).
bool started_by_mpi_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name)) return true;
  return false;
}

}  // namespace

void SweepCluster::broadcast(std::vector<char>&) {}

void SweepCluster::send(int to, const std::string&) {
  throw std::logic_error("SweepCluster::send: a single process has no rank " + std::to_string(to));
}

void SweepCluster::leave(int code) {
  std::exit(code);
}

void SweepCluster::abort(int code) {
  std::exit(code);
}

std::unique_ptr<SweepCluster> make_sweep_cluster() {
  if (sweep_has_mpi() && started_by_mpi_launcher()) return mpi_registration().make();
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"}) {
    const char* size = std::getenv(name);
    if (started_by_mpi_launcher() && size && std::atoi(size) > 1)
      throw UsageError(
          std::string("started by an MPI launcher as one of ") + size +
          " processes, but this footloose was built without MPI: every process would solve "
          "every point; run it without mpirun (it uses the cores by threads), or rebuild with MPI "
          "(libopenmpi-dev)");
  }
  return std::make_unique<SweepCluster>();
}

bool sweep_has_mpi() {
  return mpi_registration().make != nullptr;
}

std::string sweep_mpi_support() {
  if (!sweep_has_mpi()) return "not built (configure with MPI installed: libopenmpi-dev)";
  return "built (" + mpi_registration().library + ")";
}

bool register_sweep_mpi(std::unique_ptr<SweepCluster> (*make)(), const std::string& library) {
  mpi_registration() = {make, library};
  return true;
}

}  // namespace footloose
