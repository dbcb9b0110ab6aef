#!/usr/bin/env bash
# Build with AddressSanitizer + UndefinedBehaviorSanitizer (-DFOOTLOOSE_SANITIZE=ON, UBSan fatal)
# into build-asan/ and run the whole test suite there. Any sanitizer report fails its test.
#   bash scripts/sanitize.sh [extra ctest arguments, e.g. -R config]
# See docs/robustness.md.
set -euo pipefail

# (All in a function: bash reads it whole, so editing this file during a run is harmless.)
main() {
  cd "$(dirname "$0")/.."
  build=build-asan

  # halt_on_error: the first report ends the process (non-zero exit: the test fails).
  # detect_leaks stays on for the C++ tests; the Python test turns it off itself (tests/python,
  # the interpreter is not instrumented and "leaks" by design).
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

  bash scripts/bootstrap.sh
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOOTLOOSE_SANITIZE=ON >/dev/null
  cmake --build "$build" -j"$(nproc)"
  start=$(date +%s)
  status=0
  ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@" || status=$?
  echo "sanitize.sh: ctest finished in $(( $(date +%s) - start )) s with status $status"
  # A report inside a test that still passed (e.g. a child process) would show up in the log.
  if grep -qE "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$build/Testing/Temporary/LastTest.log"; then
    echo "sanitize.sh: sanitizer report found in $build/Testing/Temporary/LastTest.log" >&2
    grep -nE "ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$build/Testing/Temporary/LastTest.log" >&2
    status=1
  fi
  exit "$status"
}

main "$@"
