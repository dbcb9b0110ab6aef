#!/usr/bin/env bash
# The threads of one solve: `footloose path --threads N` and the config key `threads`.
# Accepted values (the default, --threads 1, 2 and 64, the key, the flag over the key) give the
# same JSON as --threads 1 apart from the solve time and the recorded setting, which is the value
# asked for (default: 2 when the machine has >= 2 hardware threads, else 1). Bad values (0,
# negative, not a whole number, > 64; as flag or key; with a model variant) exit 2 with one
# `footloose: error:` line naming the field and the allowed range, and leave no output file.
# Usage: cli_threads.sh FOOTLOOSE_BINARY SOURCE_DIR
set -uo pipefail
footloose="$1"
# shellcheck source=tests/lib_cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"  # $work, fail, $failures

# solve NAME ARGS... : footloose path ARGS --json NAME.json, which must succeed.
solve() {
  local name="$1"
  shift
  "$footloose" path "$@" --json "$work/$name.json" >"$work/$name.txt" 2>"$work/$name.err" ||
    fail "$name" "exit code $?: $(cat "$work/$name.err")"
}

printf 'threads = 2\n' >"$work/two.toml"
printf 'threads = 3\n' >"$work/three.toml"
solve one --threads 1
solve default
solve two --threads 2
solve many --threads 64
solve key --config "$work/two.toml"
solve flag_over_key --config "$work/three.toml" --threads 1

hardware="$(getconf _NPROCESSORS_ONLN)"
default_threads=1
[ "$hardware" -ge 2 ] && default_threads=2

/usr/bin/python3 - "$work" "$default_threads" <<'PY' || failures=$((failures + 1))
import json, sys

work, default_threads = sys.argv[1], int(sys.argv[2])
reference = json.load(open(f"{work}/one.json"))
failures = []

def differences(a, b, where=""):
    """Paths where a and b differ, ignoring the solve time and the threads setting."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{where}.{k} (only one side)" for k in set(a) ^ set(b)]
        for k in set(a) & set(b):
            if k == "solve_seconds" or (where == ".parameters" and k == "threads"):
                continue
            out += differences(a[k], b[k], f"{where}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where} (lengths {len(a)} and {len(b)})"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{i}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]

expected = {"one": 1, "default": default_threads, "two": 2, "many": 64, "key": 2, "flag_over_key": 1}
for name, threads in expected.items():
    doc = json.load(open(f"{work}/{name}.json"))
    if doc["parameters"].get("threads") != threads:
        failures.append(f"{name}: parameters.threads = {doc['parameters'].get('threads')!r}, "
                        f"expected {threads}")
    if not doc["converged"]:
        failures.append(f"{name}: not converged")
    diff = differences(reference, doc)
    if diff:
        failures.append(f"{name}: differs from --threads 1 at " + "; ".join(diff[:5]))
if failures:
    sys.exit("FAIL: " + "\n  ".join(failures))
PY

grep -q "threads=1" "$work/one.txt" || fail settings "the summary's settings line lacks threads=1"

# expect_bad NAME TEXT... -- ARGS... : footloose path ARGS --json NAME.json must fail as above.
expect_bad() {
  local name="$1"
  shift
  local texts=()
  while [ "$1" != "--" ]; do
    texts+=("$1")
    shift
  done
  shift
  local out="$work/$name.json"
  "$footloose" path "$@" --json "$out" >"$work/$name.stdout" 2>"$work/$name.stderr"
  local code=$?
  local stderr
  stderr="$(cat "$work/$name.stderr")"
  if [ "$code" -ge 128 ]; then fail "$name" "crashed (exit code $code): $stderr"; return; fi
  [ "$code" -eq 2 ] || fail "$name" "exit code $code, expected 2: $stderr"
  [ ! -e "$out" ] || fail "$name" "the --json output file exists after the failure"
  if ls -A "$work" | grep -q "^\.$name\.json"; then fail "$name" "a temporary output file remains"; fi
  [ "$(wc -l <"$work/$name.stderr")" -eq 1 ] || fail "$name" "stderr is not one line: $stderr"
  case "$stderr" in footloose:\ error:\ *) ;; *) fail "$name" "stderr does not start with 'footloose: error:': $stderr" ;; esac
  local text
  for text in "${texts[@]}"; do
    grep -qF -- "$text" "$work/$name.stderr" || fail "$name" "stderr does not mention '$text': $stderr"
  done
}

range="1 <= threads <= 64"
expect_bad flag_zero "--threads" "$range" -- --threads 0
expect_bad flag_negative "--threads" "$range" -- --threads -3
expect_bad flag_fraction "--threads" "$range" "whole number" -- --threads 2.5
expect_bad flag_word "--threads" "$range" -- --threads two
expect_bad flag_large "--threads" "$range" -- --threads 65
expect_bad flag_huge "--threads" "$range" -- --threads 99999999999999999999

# bad_key NAME TOML TEXT... : a config holding TOML.
bad_key() {
  local name="$1" toml="$2"
  shift 2
  printf '%b' "$toml" >"$work/$name.toml"
  expect_bad "$name" "$@" -- --config "$work/$name.toml"
}
bad_key key_zero 'threads = 0\n' "'threads' = 0" "$range"
bad_key key_negative 'threads = -1\n' "'threads' = -1" "$range"
bad_key key_fraction 'threads = 1.5\n' "'threads' = 1.5" "whole number" "$range"
bad_key key_large 'threads = 65\n' "'threads' = 65" "$range"
bad_key key_string 'threads = "2"\n' "'threads'" "must be a number" "$range"
bad_key key_boolean 'threads = true\n' "'threads'" "$range"
# The model variants are solved by their own methods, on one thread.
bad_key key_variant 'relocation = "type_resolved"\nthreads = 2\n' "'threads'" "single-front"
printf 'relocation = "type_resolved"\n' >"$work/variant.toml"
expect_bad flag_variant "--threads" "single-front" -- --config "$work/variant.toml" --threads 2

if [ "$failures" -ne 0 ]; then
  echo "cli_threads: $failures failure(s)" >&2
  exit 1
fi
echo "cli_threads: all cases passed"
