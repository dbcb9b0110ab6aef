#!/usr/bin/env bash
# `footloose path` on problems where something must fail (issue 14), and what the program promises
# then (README "How far to trust an answer", `footloose path --help` "Exit codes", src/cli.cpp):
#   - an unconverged path: exit 1, one `footloose: error:` line saying what failed and "no output
#     file written", and no --json/--csv file (nor a temporary one) left behind:
#       * multiple shooting at phi1 = 0.02 (too stiff: its mesh would need ~4e4 nodes);
#       * collocation on a point near beta = 1 with a tiny shock (stress point #177 of seed 1,
#         docs/stress.md: Newton fails from the cold guess, no fallback reaches it);
#   - a converged path that fails a check: exit 0, files written with trustworthy = false, the
#     summary's last line and stderr say "NOT TRUSTWORTHY: <the check>":
#       * V2: the baseline with phi1 = 0.6;
#       * V1: a 0.05-year linear phi ramp from phi0 = 0;
#       * saddle: gamma_E = 1e7 (the entry eigenvalue falls inside the centre tolerance).
# (A time limit is not a config key of `footloose path`; the library and Python tests cover it.)
# Usage: cli_failures.sh FOOTLOOSE_BINARY SOURCE_DIR
set -uo pipefail
footloose="$1"
# shellcheck source=tests/lib_cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"  # $work, fail, $failures

# run NAME TOML_TEXT: writes NAME/config.toml and runs `path` with --json and --csv in NAME/.
# Sets $code.
run() {
  local name="$1" toml="$2"
  mkdir -p "$work/$name"
  printf '%b' "$toml" >"$work/$name/config.toml"
  "$footloose" path --config "$work/$name/config.toml" --json "$work/$name/path.json" \
    --csv "$work/$name/path.csv" >"$work/$name/stdout.txt" 2>"$work/$name/stderr.txt"
  code=$?
}

# expect_unconverged NAME TOML_TEXT TEXT...: exit 1, one error line mentioning each TEXT, no file.
expect_unconverged() {
  local name="$1" toml="$2"
  shift 2
  run "$name" "$toml"
  local stderr
  stderr="$(cat "$work/$name/stderr.txt")"
  if [ "$code" -ge 128 ]; then fail "$name" "crashed (exit code $code): $stderr"; return; fi
  [ "$code" -eq 1 ] || fail "$name" "exit code $code, expected 1 (unconverged path): $stderr"
  [ "$(wc -l <"$work/$name/stderr.txt")" -eq 1 ] || fail "$name" "stderr is not one line: $stderr"
  case "$stderr" in footloose:\ error:\ *) ;; *) fail "$name" "stderr does not start with 'footloose: error:': $stderr" ;; esac
  local text
  for text in "no output file written" "$@"; do
    grep -qF -- "$text" "$work/$name/stderr.txt" || fail "$name" "stderr does not mention '$text': $stderr"
  done
  # Nothing but the config and the two captured streams: no JSON, no CSV, no temporary file.
  local left
  left="$(cd "$work/$name" && LC_ALL=C ls -A | tr '\n' ' ')"
  [ "$left" = "config.toml stderr.txt stdout.txt " ] || fail "$name" "files left behind: $left"
  grep -q "TRUSTWORTHY" "$work/$name/stdout.txt" && fail "$name" "a verdict was printed for an unsolved path"
}

# expect_flagged NAME TOML_TEXT CHECK JSON_FLAG: exit 0, files written, NOT TRUSTWORTHY naming CHECK
# as the last line of stdout and on stderr, JSON trustworthy = false and JSON_FLAG false.
expect_flagged() {
  local name="$1" toml="$2" check="$3" flag="$4"
  run "$name" "$toml"
  local stderr
  stderr="$(cat "$work/$name/stderr.txt")"
  [ "$code" -eq 0 ] || { fail "$name" "exit code $code, expected 0 (converged, flagged): $stderr"; return; }
  local last
  last="$(tail -n 1 "$work/$name/stdout.txt")"
  case "$last" in
    "NOT TRUSTWORTHY: "*"$check"*) ;;
    *) fail "$name" "the summary's last line does not say 'NOT TRUSTWORTHY: ... $check': $last" ;;
  esac
  grep -qF -- "footloose: $last" "$work/$name/stderr.txt" || fail "$name" "the verdict is not on stderr: $stderr"
  [ -s "$work/$name/path.json" ] || fail "$name" "no JSON written for a converged path"
  [ -s "$work/$name/path.csv" ] || fail "$name" "no CSV written for a converged path"
  /usr/bin/python3 - "$work/$name/path.json" "$check" "$flag" <<'PY' || fail "$name" "JSON check failed"
import json, sys
d = json.load(open(sys.argv[1]))
check, flag = sys.argv[2], sys.argv[3]
assert d["converged"] is True, d["converged"]
assert d["trustworthy"] is False, d["trustworthy"]
assert d[flag] is False, f"{flag} = {d[flag]!r}"
reasons = d["untrustworthy_reasons"]
assert any(check in r for r in reasons), reasons
PY
}

expect_unconverged shooting_too_stiff 'phi1 = 0.02\nmethod = "shooting"\n' \
  "not solved by shooting (too_stiff)" "max_nodes = 4000"
expect_unconverged collocation_fails 'sigma = 3.156331806839103\nrho = 2.479781577864968\nsE = 0.6689751646956255\nF = 1.1463283628488523\nFI = 7.2137565842226445\ndelta = 0.24637904362788637\nr = 0.035439096486920674\nphi1 = 0.007764169976688428\ngamma_R = 0.07270600576045845\n' \
  "not solved by collocation" "continuation in the shock size"

expect_unconverged tiny_time_limit 'time_limit = 1e-4\n' \
  "time limit" "(time_limit)"
expect_flagged v2_phi1_06 'phi1 = 0.6\n' "V2 violated" V2_ok
expect_flagged v1_ramp_from_zero 'phi_path = "linear"\nphi_path_time = 0.05\n' "V1 violated" V1_ok
expect_flagged saddle_slow_entry 'gamma_E = 1e7\n' "saddle-path check failed" saddle_ok

# Control: the same runs that must pass do (the baseline, and shooting where its mesh is small).
run baseline_shooting 'method = "shooting"\n'
[ "$code" -eq 0 ] || fail baseline_shooting "exit code $code: $(cat "$work/baseline_shooting/stderr.txt")"
[ "$(tail -n 1 "$work/baseline_shooting/stdout.txt")" = "TRUSTWORTHY" ] || fail baseline_shooting "not TRUSTWORTHY"
[ ! -s "$work/baseline_shooting/stderr.txt" ] || fail baseline_shooting "stderr not empty"

if [ "$failures" -ne 0 ]; then
  echo "cli_failures: $failures failure(s)" >&2
  exit 1
fi
echo "cli_failures: all cases passed"
