// footloose-stress: robustness over the whole parameter domain (docs/stress.md); `footloose
// stress` runs it.
#include "bench/stress.hpp"
#include "bench/tool_main.hpp"

int main(int argc, char** argv) {
  return footloose::run_tool(argc, argv, "stress", footloose::add_stress_command);
}
