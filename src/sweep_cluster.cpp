#include "src/sweep_cluster.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "src/cli.hpp"

namespace footloose {

namespace {

// Launchers set these (Open MPI's mpirun; PMIx, e.g. srun --mpi=pmix; PMI-1/2: MPICH, srun).
bool started_by_mpi_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name)) return true;
  return false;
}

// The MPI plugin beside the program, loaded (and never unloaded: the cluster's code lives there),
// or why not.
struct MpiPlugin {
  SweepMpiStart start = nullptr;
  SweepMpiLibrary library = nullptr;
  std::string problem;  // empty when loaded
  bool absent = false;  // the file is not there (built without MPI)
};

MpiPlugin load_mpi_plugin() {
  MpiPlugin plugin;
  std::filesystem::path path;
  try {
    path = beside_this_program(kSweepMpiPlugin);
  } catch (const std::exception& error) {
    plugin.problem = error.what();
    return plugin;
  }
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    plugin.absent = true;
    plugin.problem = path.string() + " does not exist";
    return plugin;
  }
  // RTLD_GLOBAL: Open MPI's own components resolve MPI's symbols from the global scope.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!handle) {
    plugin.problem = ::dlerror();
    return plugin;
  }
  plugin.start = reinterpret_cast<SweepMpiStart>(::dlsym(handle, kSweepMpiStart));
  plugin.library = reinterpret_cast<SweepMpiLibrary>(::dlsym(handle, kSweepMpiLibrary));
  if (!plugin.start || !plugin.library)
    plugin.problem = path.string() + " lacks " + kSweepMpiStart + " or " + kSweepMpiLibrary;
  return plugin;
}

}  // namespace

std::unique_ptr<SweepCluster> make_sweep_cluster() {
  if (!started_by_mpi_launcher()) return std::make_unique<SweepCluster>();
  const MpiPlugin plugin = load_mpi_plugin();
  if (plugin.problem.empty()) return std::unique_ptr<SweepCluster>(plugin.start());
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"}) {
    const char* size = std::getenv(name);
    if (size && std::atoi(size) > 1)
      throw UsageError(
          std::string("started by an MPI launcher as one of ") + size + " processes, but " +
          (plugin.absent ? "this footloose has no MPI (built without it: " + plugin.problem + ")"
                         : "its MPI plugin cannot be loaded (" + plugin.problem + ")") +
          ": every process would solve every point; run it without mpirun (it uses the cores by "
          "threads), or rebuild with MPI (libopenmpi-dev)");
  }
  return std::make_unique<SweepCluster>();
}

bool sweep_has_mpi() {
  return load_mpi_plugin().problem.empty();
}

std::string sweep_mpi_support() {
  const MpiPlugin plugin = load_mpi_plugin();
  if (plugin.absent) return "not built (configure with MPI installed: libopenmpi-dev)";
  if (!plugin.problem.empty()) return "not usable (" + plugin.problem + ")";
  return "built (" + plugin.library() + ")";
}

}  // namespace footloose
