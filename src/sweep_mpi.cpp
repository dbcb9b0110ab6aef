// The MPI job of `footloose sweep` (src/sweep_cluster.hpp): the plugin footloose-sweep-mpi.so,
// built beside the program when CMake finds MPI (option FOOTLOOSE_MPI). The program loads it only
// when started by an MPI launcher (or to name the MPI library in `footloose sweep --help`), so
// that every other run starts without loading MPI.
#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "src/sweep_cluster.hpp"

namespace footloose {

namespace {

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

class MpiCluster : public SweepCluster {
 public:
  MpiCluster() {
    int provided = 0;
    check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    if (provided < MPI_THREAD_FUNNELED) {
      MPI_Finalize();
      throw std::runtime_error("MPI: the library does not allow threads (MPI_THREAD_FUNNELED)");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm node;
    check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node),
          "MPI_Comm_split_type");
    MPI_Comm_size(node, &local_size_);
    MPI_Comm_free(&node);
  }
  ~MpiCluster() override { MPI_Finalize(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int ranks_on_this_node() const override { return local_size_; }

  void broadcast(std::vector<char>& bytes) override {
    unsigned long long size = bytes.size();
    check(MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "MPI_Bcast");
    bytes.resize(size);
    constexpr std::size_t block = std::size_t(1) << 30;
    for (std::size_t at = 0; at < size; at += block)
      check(MPI_Bcast(bytes.data() + at, int(std::min<std::size_t>(block, size - at)), MPI_CHAR, 0,
                      MPI_COMM_WORLD),
            "MPI_Bcast");
  }

  void send(int to, const std::string& text) override {
    check(MPI_Send(text.data(), int(text.size()), MPI_CHAR, to, 0, MPI_COMM_WORLD), "MPI_Send");
  }

  std::optional<Message> receive() override {
    int arrived = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, 0, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
    if (!arrived) return std::nullopt;
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    Message message{status.MPI_SOURCE, std::string(std::size_t(count), '\0')};
    check(MPI_Recv(message.text.data(), count, MPI_CHAR, message.from, 0, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE),
          "MPI_Recv");
    return message;
  }

  void leave(int code) override {
    MPI_Finalize();
    std::exit(code);
  }

  void abort(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);
  }

 private:
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

}  // namespace

}  // namespace footloose

// The entry points (src/sweep_cluster.hpp: kSweepMpiStart, kSweepMpiLibrary), the plugin's only
// exported symbols (it is compiled with hidden visibility).
#define FOOTLOOSE_PLUGIN_ENTRY extern "C" __attribute__((visibility("default")))

FOOTLOOSE_PLUGIN_ENTRY footloose::SweepCluster* footloose_sweep_mpi_start() {
  return new footloose::MpiCluster();
}

FOOTLOOSE_PLUGIN_ENTRY std::string footloose_sweep_mpi_library() {
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(version, &length);
  const std::string text(version, std::size_t(length));
  return text.substr(0, text.find_first_of(",\n"));
}
