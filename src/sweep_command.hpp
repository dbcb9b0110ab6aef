// `footloose sweep --grid FILE | --points FILE --out FILE [--jobs N]`: the transition path at every
// point of a grid or a list of points (src/sweep_grid.hpp), solved in warm-started chains on all
// cores and over the processes of an MPI job (src/sweep_runner.hpp, src/sweep_cluster.hpp), one
// row per point written as it finishes (src/sweep_output.hpp); a rerun with the same --out solves
// only the missing points; Ctrl-C finishes the points in progress and writes the file.
// docs/sweep.md.
#pragma once

#include <ostream>

#include "src/cli.hpp"

namespace footloose {

Command add_sweep_command(CLI::App& parent, std::ostream& out);

}  // namespace footloose
