# Sourced by command-line tests (tests/cli_*.sh): a scratch directory $work, removed on exit,
# and a failure counter: `fail NAME MESSAGE` reports one failed case and counts it in $failures.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL [$1]: $2" >&2
  failures=$((failures + 1))
}
