#!/usr/bin/env bash
# `footloose stress` (docs/stress.md): a small run writes JSON whose class counts sum to N; the
# draws are reproducible; the fault injection (for testing only) is classified correctly: a
# crashing child -> crashed = 1, a hanging child -> timed_out = 1 (SIGKILLed by the watchdog),
# a throwing child -> failed = 1; and bad input exits 2 with no output file.
# Usage: cli_stress.sh FOOTLOOSE_BINARY SOURCE_DIR
set -uo pipefail
footloose="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
seed=2  # its first 6 points take about 16 s on 2 jobs

fail() {
  echo "FAIL [$1]: $2" >&2
  failures=$((failures + 1))
}

# check_json NAME FILE N EXIT_CODE PYTHON_ASSERTIONS: keys present, counts sum to N, the exit code
# agrees with the contract (1 iff a point crashed, timed out or was silent), then the assertions
# (variable d is the document).
check_json() {
  local name="$1" file="$2" n="$3" code="$4" extra="$5"
  [ -s "$file" ] || { fail "$name" "no JSON written (exit code $code)"; return; }
  /usr/bin/python3 - "$file" "$n" "$code" "$extra" <<'PY' || fail "$name" "JSON check failed"
import json, sys
d = json.load(open(sys.argv[1]))
n, code, extra = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
keys = ["valid", "flagged", "failed", "crashed", "timed_out", "silent", "n", "seed", "time_limit", "points"]
missing = [k for k in keys if k not in d]
assert not missing, f"missing keys {missing}"
classes = ["valid", "flagged", "failed", "crashed", "timed_out"]
assert d["n"] == n and len(d["points"]) == n, (d["n"], len(d["points"]))
assert sum(d[k] for k in classes) == n, {k: d[k] for k in classes}
for k in classes:
    assert d[k] == sum(p["class"] == k for p in d["points"]), k
assert d["silent"] == sum(p["silent"] for p in d["points"])
for p in d["points"]:
    for k in ("index", "class", "message", "seconds", "params"):
        assert k in p, f"point without {k}"
    for k in ("sigma", "rho", "sE", "F", "FI", "delta", "r", "phi1", "gamma_E", "gamma_R"):
        assert k in p["params"], f"params without {k}"
    q = p["params"]
    assert 2 <= q["sigma"] <= 8 and 1.1 <= q["beta"] <= 4 and 0.51 <= q["sE"] <= 0.8
    assert 0 < q["phi1"] < (1 - q["sE"]) / q["sE"]
    assert 1e-3 <= q["gamma_R"] / q["gamma_E"] <= 1e7
    assert 0.02 <= q["delta"] <= 0.3 and 0 <= q["r"] <= 0.1
    assert q["FI"] * (q["beta"] - 1) < q["F"], "autarky cut-off not interior"
    if p["class"] in ("failed", "crashed", "timed_out"):
        assert p["message"], "failure without a message"
    if p["class"] != "valid":
        assert "config_toml" in p
broken = d["crashed"] + d["timed_out"] + d["silent"]
assert code == (1 if broken else 0), f"exit code {code} with {broken} broken points"
exec(extra)
PY
}

# A small run.
"$footloose" stress --n 6 --seed "$seed" --time-limit 10 --grace 5 --json "$work/run.json" \
  >"$work/run.stdout" 2>"$work/run.stderr"
code=$?
[ "$code" -ge 2 ] && fail run "exit code $code: $(tail -3 "$work/run.stderr")"
check_json run "$work/run.json" 6 "$code" ""
for text in "success rate" "failure causes" "time per point" "gamma_R/gamma_E" "beta"; do
  grep -qF -- "$text" "$work/run.stdout" || fail run "the table does not mention '$text'"
done

# Fault injection on point 0 (same seed: same point 0 as the run above).
same_point0='import os
r = json.load(open(os.path.join(os.path.dirname(sys.argv[1]), "run.json")))
assert r["points"][0]["params"] == d["points"][0]["params"], "draws not reproducible"'
"$footloose" stress --n 1 --seed "$seed" --inject-fault crash --json "$work/crash.json" --no-progress \
  >/dev/null 2>"$work/crash.stderr"
code=$?
[ "$code" -eq 1 ] || fail crash "exit code $code, expected 1"
check_json crash "$work/crash.json" 1 "$code" 'assert d["crashed"] == 1, d["crashed"]
assert "SIGSEGV" in d["points"][0]["message"], d["points"][0]["message"]
'"$same_point0"

"$footloose" stress --n 1 --seed "$seed" --inject-fault hang --time-limit 1 --grace 1 \
  --json "$work/hang.json" --no-progress >/dev/null 2>"$work/hang.stderr"
code=$?
[ "$code" -eq 1 ] || fail hang "exit code $code, expected 1"
check_json hang "$work/hang.json" 1 "$code" 'assert d["timed_out"] == 1, d["timed_out"]
assert d["points"][0]["seconds"] < 10, d["points"][0]["seconds"]'

"$footloose" stress --n 1 --seed "$seed" --inject-fault throw --json "$work/throw.json" --no-progress \
  >/dev/null 2>"$work/throw.stderr"
code=$?
[ "$code" -eq 0 ] || fail throw "exit code $code, expected 0"
check_json throw "$work/throw.json" 1 "$code" 'assert d["failed"] >= 1, d["failed"]
assert "injected fault" in d["points"][0]["message"], d["points"][0]["message"]'

# Bad input: exit code 2, one error line, no output file.
mkdir -p "$work/readonly" && chmod 555 "$work/readonly"
bad() {
  local name="$1" out="$2"
  shift 2
  "$footloose" stress "$@" --json "$out" >"$work/$name.stdout" 2>"$work/$name.stderr"
  local code=$?
  [ "$code" -eq 2 ] || fail "$name" "exit code $code, expected 2: $(cat "$work/$name.stderr")"
  [ -e "$out" ] && fail "$name" "output file written"
  grep -q "^footloose: error: " "$work/$name.stderr" || fail "$name" "no error line: $(cat "$work/$name.stderr")"
}
bad n_zero "$work/b1.json" --n 0
bad n_negative "$work/b2.json" --n -5
bad n_missing "$work/b3.json"
bad jobs_zero "$work/b4.json" --n 2 --jobs 0
bad time_limit_zero "$work/b5.json" --n 2 --time-limit 0
bad time_limit_negative "$work/b6.json" --n 2 --time-limit -3
bad time_limit_word "$work/b7.json" --n 2 --time-limit soon
bad no_such_dir "$work/no_such_dir/out.json" --n 2
bad fault_word "$work/b8.json" --n 1 --inject-fault explode
if [ "$(id -u)" -ne 0 ]; then  # root may write anywhere
  bad readonly_dir "$work/readonly/out.json" --n 2
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "cli_stress: ok"
