// footloose-bench: the benchmark program (docs/performance.md); `footloose bench` runs it.
#include "bench/bench.hpp"
#include "bench/tool_main.hpp"

int main(int argc, char** argv) {
  return footloose::run_tool(argc, argv, "bench", footloose::add_bench_command);
}
