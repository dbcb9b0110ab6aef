#!/usr/bin/env bash
# Every Catch2 test case must reach CTest as its own test. catch_discover_tests passes the names to
# Catch as test specs, where '[' and ']' delimit tags: a name holding one (session 6 had
# "... in (0, 1]") swallowed every later test case into one CTest entry that ran none of them.
# Usage: catch_test_names.sh <footloose_tests binary>
set -euo pipefail
names=$("$1" --list-test-names-only || true)  # Catch2 2 exits with the number of tests
if [[ -z "$names" ]]; then
  echo "catch_test_names: '$1 --list-test-names-only' listed no test" >&2
  exit 1
fi
bad=$(grep -n '[][]' <<<"$names" || true)
if [[ -n "$bad" ]]; then
  echo "Catch2 test names must not contain '[' or ']' (CTest would skip the tests after them):" >&2
  echo "$bad" >&2
  exit 1
fi
echo "catch_test_names: $(grep -c . <<<"$names") test case names, none with '[' or ']'"
