#!/usr/bin/env bash
# ThreadSanitizer on the code that runs one solve on several threads (solvers/worker_team.hpp and
# its users): builds build-tsan (RelWithDebInfo, -fsanitize=thread, no Python module) and runs the
# Catch2 tests that use a WorkerTeam (tags [worker_team], [threads], [collocation]: the
# collocation and block-LU tests), under TSan with halt_on_error. (scripts/sanitize.sh runs the whole
# suite under ASan and UBSan.)
#
#   bash scripts/sanitize_threads.sh        # ~10 min on 2 cores, most of it the build
set -euo pipefail

cd "$(dirname "$0")/.."
build=build-tsan
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"

bash scripts/bootstrap.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOOTLOOSE_TSAN=ON \
  -DFOOTLOOSE_PYTHON=OFF -DFOOTLOOSE_MPI=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target footloose_tests
start=$(date +%s)
status=0
"$build/tests/footloose_tests" "[worker_team],[threads],[collocation]" \
  || status=$?
echo "sanitize_threads.sh: tests finished in $(( $(date +%s) - start )) s with status $status"
exit "$status"
