#!/usr/bin/env bash
# `footloose bench`: the quickest run (--only cold --repeats 1: three baseline solves, one of them
# the tight reference) writes a JSON file with the documented keys holding positive numbers, the
# cold solve within the promised 1e-8 of the reference in sn_inf, the reference at docs/model.md's
# baseline share, and prints the table; --only process writes process_ms (20 runs of the whole
# program); --only warm writes warm_ms and warm_secant_ms (two warm starts of the same point that
# agree to 1e-8); each of cold, warm and the sweep step also on 1 thread (the *_1thread keys; the
# default figures on solve_threads = 2 when the machine has 2 hardware threads, else 1), with the
# same sn_inf as the default configuration. No timing is asserted (timings depend on the machine's load). Then bad input
# (--repeats 0, an unknown --only section, --memory-points not a multiple of 100, a missing output
# directory): exit 2, no file.
# Usage: cli_bench.sh FOOTLOOSE_BINARY SOURCE_DIR
set -euo pipefail
footloose="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# ---- one quick run ----
"$footloose" bench --only cold --repeats 1 --no-progress --json "$work/bench.json" \
  >"$work/table.txt" 2>"$work/stderr.txt" || fail "bench exited with $?: $(cat "$work/stderr.txt")"
for pattern in "^footloose bench" "tolerances: rtol" "cold solve \(ms\)" "peak RSS after one path" \
                "accuracy \|sn_inf - sn_inf_ref\|" "one solve on [12] thread" "cold solve, 1 thread \(ms\)" \
                "1 thread: cold "; do
  grep -qE -- "$pattern" "$work/table.txt" || fail "the table lacks /$pattern/: $(cat "$work/table.txt")"
done

/usr/bin/python3 - "$work/bench.json" "$(getconf _NPROCESSORS_ONLN)" <<'PY'
import json, math, sys

doc = json.load(open(sys.argv[1]))
failures = []
hardware = int(sys.argv[2])

def positive(path):
    value = doc
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            failures.append(f"missing key {path}")
            return None
        value = value[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        failures.append(f"{path} = {value!r}, expected a positive number")
    return value

for key in ["cold_ms.median", "cold_ms.min", "cold_ms_1thread.median", "cold_ms_1thread.min",
            "tolerances.rtol", "tolerances.newton_tolerance",
            "reference.sn_inf", "accuracy.target", "memory.single_path_mib", "repeats"]:
    positive(key)
# The accuracy the bench promises: |sn_inf - sn_inf_ref| <= 1e-8 against its tight reference
# solve (rtol 1e-12, newton_tol 1e-11, T = 120). The error may be exactly 0 in principle.
target = doc.get("accuracy", {}).get("target")
if target != 1e-8:
    failures.append(f"accuracy.target = {target!r}, expected 1e-8")
error = doc.get("accuracy", {}).get("cold_sn_inf_error")
if not isinstance(error, (int, float)) or not math.isfinite(error) or not 0 <= error <= 1e-8:
    failures.append(f"accuracy.cold_sn_inf_error = {error!r}, expected in [0, 1e-8]")
# The reference itself against docs/model.md Section 4: at the baseline sk (= sn in the long run)
# moves by 1.8e-4 from sE = 0.6 (to its two printed digits: 0.60018 +- 1e-5).
ref = doc.get("reference", {}).get("sn_inf")
if not isinstance(ref, (int, float)) or not abs(ref - 0.60018) <= 1e-5:
    failures.append(f"reference.sn_inf = {ref!r}, expected 0.60018 +- 1e-5 (docs/model.md Section 4)")
cold_sn = doc.get("cold", {}).get("sn_inf")
if isinstance(cold_sn, (int, float)) and isinstance(ref, (int, float)) and isinstance(error, (int, float)):
    if abs(abs(cold_sn - ref) - error) > 1e-15:
        failures.append(f"accuracy.cold_sn_inf_error = {error!r} is not |cold.sn_inf - reference.sn_inf|")
if doc.get("cold_ms", {}).get("min", 0) > doc.get("cold_ms", {}).get("median", 0):
    failures.append("cold_ms.min > cold_ms.median")
# The default configuration solves on 2 threads when the machine has them (footloose path's
# default); its 1-thread figure solves the same problem to the same answer.
if doc.get("solve_threads") != (2 if hardware >= 2 else 1):
    failures.append(f"solve_threads = {doc.get('solve_threads')!r} on {hardware} hardware threads")
one = doc.get("cold_1thread", {}).get("sn_inf")
if one != cold_sn:
    failures.append(f"cold_1thread.sn_inf = {one!r} differs from cold.sn_inf = {cold_sn!r}")
error_1 = doc.get("accuracy", {}).get("cold_1thread_sn_inf_error")
if not isinstance(error_1, (int, float)) or not 0 <= error_1 <= 1e-8:
    failures.append(f"accuracy.cold_1thread_sn_inf_error = {error_1!r}, expected in [0, 1e-8]")
for key in ["warm_ms", "warm_secant_ms", "warm_ms_1thread", "warm_secant_ms_1thread",
            "one_pass_ms", "sweep_s_1thread", "sweep_s_2threads"]:
    if key in doc:
        failures.append(f"--only cold wrote {key}")
if doc.get("repeats") != 1:
    failures.append(f"repeats = {doc.get('repeats')!r}")
if failures:
    sys.exit("FAIL: " + "; ".join(failures))
PY

# ---- the warm starts (--only warm): both figures, and the two warm answers of the same point ----
"$footloose" bench --only warm --repeats 1 --no-progress --no-reference --json "$work/warm.json" \
  >"$work/warm.txt" 2>"$work/warm.err" || fail "bench --only warm exited with $?: $(cat "$work/warm.err")"
python3 - "$work/warm.json" <<'PY' || fail "warm JSON: see above"
import json, sys
doc = json.load(open(sys.argv[1]))
failures = []
for key in ["warm_ms", "warm_secant_ms", "warm_ms_1thread", "warm_secant_ms_1thread"]:
    stats = doc.get(key, {})
    if not all(isinstance(stats.get(k), (int, float)) and stats[k] > 0 for k in ("median", "min")):
        failures.append(f"{key} = {stats!r}")
# The same point (sE = 0.6) warm-started from sE = 0.601 and from the 0.601 -> 0.602 secant.
a, b = doc.get("warm", {}).get("sn_inf"), doc.get("warm_secant", {}).get("sn_inf")
if not (isinstance(a, float) and isinstance(b, float) and abs(a - b) <= 1e-8):
    failures.append(f"warm sn_inf {a!r} and sweep-step sn_inf {b!r} differ by more than 1e-8")
# Each warm figure on 1 thread reaches the same answer as on the default configuration's threads.
for key in ["warm", "warm_secant"]:
    if doc.get(key + "_1thread", {}).get("sn_inf") != doc.get(key, {}).get("sn_inf"):
        failures.append(f"{key}_1thread.sn_inf differs from {key}.sn_inf")
for key in ["cold_ms", "cold_ms_1thread"]:
    if key in doc:
        failures.append(f"--only warm wrote {key}")
if failures:
    sys.exit("FAIL: " + "; ".join(failures))
PY

# ---- the whole-program timing (--only process): its keys, no timing asserted ----
"$footloose" bench --only process --repeats 1 --no-progress --json "$work/process.json" \
  >"$work/process.txt" 2>"$work/process.err" || fail "bench --only process exited with $?: $(cat "$work/process.err")"
grep -qE -- "footloose path --json, process \(ms\)" "$work/process.txt" ||
  fail "the table lacks the process row: $(cat "$work/process.txt")"
/usr/bin/python3 - "$work/process.json" <<'PY'
import json, math, sys

doc = json.load(open(sys.argv[1]))
failures = []
for key in ["median", "min"]:
    value = doc.get("process_ms", {}).get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        failures.append(f"process_ms.{key} = {value!r}, expected a positive number")
if doc.get("process", {}).get("runs") != 20:
    failures.append(f"process.runs = {doc.get('process', {}).get('runs')!r}, expected 20 (at least 20 runs)")
if doc.get("targets", {}).get("process_ms") != 8.0:
    failures.append(f"targets.process_ms = {doc.get('targets', {}).get('process_ms')!r}")
if "cold_ms" in doc:
    failures.append("--only process wrote cold_ms")
if failures:
    sys.exit("FAIL: " + "; ".join(failures))
PY

# ---- bad input: exit 2, message on stderr, no file ----
expect_bad() {
  local name="$1"
  shift
  set +e
  "$footloose" bench "$@" >"$work/$name.out" 2>"$work/$name.err"
  local code=$?
  set -e
  [ "$code" -eq 2 ] || fail "bench $* exited with $code, expected 2"
  grep -q "error" "$work/$name.err" || fail "bench $*: no error message on stderr"
}
expect_bad repeats0 --repeats 0 --only cold --json "$work/bad.json"
expect_bad only --only nonsense --json "$work/bad.json"
expect_bad repeats_text --repeats many --json "$work/bad.json"
expect_bad memory_points --only memory --memory-points 150 --json "$work/bad.json"
expect_bad nodir --only cold --repeats 1 --json "$work/no/such/dir/bad.json"
[ ! -e "$work/bad.json" ] || fail "bad input wrote a file"
[ ! -e "$work/no" ] || fail "bad input created a directory"
echo "cli_bench: ok"
