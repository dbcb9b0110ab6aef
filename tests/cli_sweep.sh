#!/usr/bin/env bash
# `footloose sweep` on a 3 x 2 grid: CSV and JSON outputs with the documented columns, every row's
# long-run values equal to an independent `footloose path --config` run of that point (1e-8); bad
# grids → exit 2, a message naming the key, no file; resume: rows deleted (and a line cut short)
# or a run stopped by Ctrl-C (SIGINT), then the same command again: the rows kept are not solved
# again (their text, `seconds` included, is unchanged) and the file equals a fresh run; the MPI run
# (mpirun -np 2) equals the threaded run row by row (skipped, saying so, when MPI was not built).
# Usage: cli_sweep.sh FOOTLOOSE_BINARY SOURCE_DIR
set -euo pipefail
footloose="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cat >grid.toml <<'EOF'
# 3 x 2 points around the baseline
sE = 0.6
phi1 = [0.3, 0.4, 0.5]
gamma_R = {from = 0.5, to = 2, n = 2, scale = "log"}
EOF

# ---- CSV (2 threads) and JSON (1 thread) ----
"$footloose" sweep --grid grid.toml --out sweep.csv --jobs 2 >csv.out 2>csv.err ||
  fail "sweep to CSV exited with $?: $(cat csv.err)"
grep -q "^sweep: 6 of 6 points in sweep.csv (6 solved now .*): 6 trustworthy, 0 flagged (converged, not trustworthy), 0 failed$" csv.out ||
  fail "summary line: $(cat csv.out)"
grep -q "6/6 points (100%), failed 0" csv.err || fail "no progress on stderr: $(cat csv.err)"
"$footloose" sweep --grid grid.toml --out sweep.json --jobs 1 --no-progress >json.out 2>json.err ||
  fail "sweep to JSON exited with $?: $(cat json.err)"
[ ! -s json.err ] || fail "--no-progress, yet stderr: $(cat json.err)"
[ ! -e sweep.json.journal.csv ] || fail "the JSON journal was left behind"

/usr/bin/python3 - "$footloose" <<'PY'
import csv, json, math, subprocess, sys

footloose = sys.argv[1]
columns = ["phi1", "gamma_R", "sn_inf", "sk_inf", "aR_inf", "moved_share", "lambda_R", "converged",
           "trustworthy", "termination", "error_estimate", "seconds"]
with open("sweep.csv") as f:
    header = f.readline().strip()
if header != ",".join(columns):
    sys.exit(f"FAIL: CSV header {header}")
rows = list(csv.DictReader(open("sweep.csv")))
points = [(phi1, gamma_R) for phi1 in ("0.3", "0.4", "0.5") for gamma_R in ("0.5", "2")]
if [(r["phi1"], r["gamma_R"]) for r in rows] != points:
    sys.exit(f"FAIL: CSV points {[(r['phi1'], r['gamma_R']) for r in rows]}, expected {points} (last key fastest)")
objects = json.load(open("sweep.json"))
if not isinstance(objects, list) or len(objects) != 6 or any(list(o) != columns for o in objects):
    sys.exit(f"FAIL: the JSON is not a list of 6 objects with the columns {columns}")

failures = []
for i, (row, obj) in enumerate(zip(rows, objects)):
    phi1, gamma_R = float(row["phi1"]), float(row["gamma_R"])
    if (obj["phi1"], obj["gamma_R"]) != (phi1, gamma_R):
        failures.append(f"JSON row {i}: point {obj['phi1']}, {obj['gamma_R']}")
    if row["converged"] != "true" or row["trustworthy"] != "true" or row["termination"] != "converged":
        failures.append(f"row {i}: {row}")
    if obj["converged"] is not True or obj["trustworthy"] is not True or obj["termination"] != "converged":
        failures.append(f"JSON row {i}: {obj}")
    if not (0 < float(row["error_estimate"]) <= 1e-8 and 0 < float(row["seconds"]) < 30):
        failures.append(f"row {i}: error_estimate {row['error_estimate']}, seconds {row['seconds']}")
    # The same point, solved cold by `footloose path` (independent of the sweep's chains).
    with open(f"point{i}.toml", "w") as f:
        f.write(f"sE = 0.6\nphi1 = {row['phi1']}\ngamma_R = {row['gamma_R']}\n")
    subprocess.run([footloose, "path", "--config", f"point{i}.toml", "--json", f"point{i}.json"],
                   check=True, stdout=subprocess.DEVNULL)
    path = json.load(open(f"point{i}.json"))
    for key in ("sn_inf", "sk_inf", "aR_inf", "lambda_R"):
        for name, value in (("CSV", float(row[key])), ("JSON", obj[key])):
            if not abs(value - path[key]) <= 1e-8:
                failures.append(f"point {i} ({phi1}, {gamma_R}) {key}: {name} {value!r}, path {path[key]!r}")
if failures:
    sys.exit("FAIL: " + "\n  ".join(failures))
PY

# ---- bad grids: exit 2, the key named, no output file ----
bad_grid() {  # name, grid text, expected part of the message
  printf '%s\n' "$2" >"bad_$1.toml"
  for out in "bad_$1.csv" "bad_$1.json"; do
    status=0
    "$footloose" sweep --grid "bad_$1.toml" --out "$out" >/dev/null 2>"bad_$1.err" || status=$?
    [ "$status" -eq 2 ] || fail "bad grid $1 ($out): exit $status, expected 2"
    grep -qF -- "$3" "bad_$1.err" || fail "bad grid $1: message '$(cat "bad_$1.err")' lacks '$3'"
    [ ! -e "$out" ] && [ ! -e "$out.journal.csv" ] || fail "bad grid $1: $out was written"
  done
}
bad_grid unknown_key $'phi1 = [0.3, 0.4]\ngama_R = [1, 2]' "unknown key 'gama_R' (did you mean 'gamma_R'?)"
bad_grid n_zero 'phi1 = {from = 0.1, to = 0.5, n = 0}' "key 'phi1': range field n = 0: n must be >= 1"
bad_grid log_zero 'gamma_R = {from = 0, to = 1e6, n = 5, scale = "log"}' "key 'gamma_R': a log range needs from > 0"
bad_grid domain $'phi1 = [0.3, 0.4]\nsE = [0.6, 1.2]' "grid point 2 (phi1 = 0.3, sE = 1.2)"
bad_grid polar 'gamma_R = [1, 0]' "gamma_R > 0"
status=0
"$footloose" sweep --grid grid.toml --out sweep.txt >/dev/null 2>ext.err || status=$?
[ "$status" -eq 2 ] && [ ! -e sweep.txt ] && grep -q "must end in .csv or .json" ext.err ||
  fail "--out sweep.txt: exit $status, $(cat ext.err)"
# An --out written by another sweep (other columns) is refused and left as it was.
printf 'sE = [0.6, 0.7]\n' >other.toml
cp sweep.csv other.csv
status=0
"$footloose" sweep --grid other.toml --out other.csv >/dev/null 2>other.err || status=$?
[ "$status" -eq 2 ] && cmp -s sweep.csv other.csv && grep -q "is not the output of this sweep" other.err ||
  fail "--out of another sweep: exit $status, $(cat other.err)"

# ---- resume after rows were lost (the last one cut mid-line) ----
head -n 5 sweep.csv >resume.csv            # header + 4 rows
sed -n 6p sweep.csv | cut -c1-20 | tr -d '\n' >>resume.csv
head -n 5 sweep.csv >kept.csv
"$footloose" sweep --grid grid.toml --out resume.csv --no-progress >resume.out 2>&1 ||
  fail "resumed sweep exited with $?: $(cat resume.out)"
grep -q "(2 solved now .*, 4 kept)" resume.out || fail "resume summary: $(cat resume.out)"
[ "$(head -n 5 resume.csv)" = "$(cat kept.csv)" ] || fail "the kept rows changed (solved again?)"

same_rows() {  # file A, file B, tolerance: the same rows; numbers to the tolerance; seconds ignored
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import csv, sys
a, b = (list(csv.reader(open(name))) for name in sys.argv[1:3])
tolerance = float(sys.argv[3])
if len(a) != len(b) or a[0] != b[0]:
    sys.exit(f"FAIL: {sys.argv[1]} and {sys.argv[2]}: {len(a)} and {len(b)} lines, headers {a[0]} / {b[0]}")
numbers = {"sn_inf", "sk_inf", "aR_inf", "lambda_R"}
for line, (x, y) in enumerate(zip(a[1:], b[1:]), start=2):
    for column, u, v in zip(a[0], x, y):
        if column == "seconds":  # the solve time
            continue
        if column == "error_estimate":  # a warm and a cold solve estimate differently
            same = (u == "nan") == (v == "nan")
        elif column in numbers:
            same = abs(float(u) - float(v)) <= tolerance
        else:
            same = u == v
        if not same:
            sys.exit(f"FAIL: {sys.argv[1]} / {sys.argv[2]} line {line} {column}: {u} / {v}")
PY
}
same_rows resume.csv sweep.csv 1e-8 || fail "resumed file differs from the fresh run"

# The JSON again: nothing to solve, the file unchanged.
cp sweep.json sweep.json.before
"$footloose" sweep --grid grid.toml --out sweep.json --no-progress >rerun.out 2>&1 || fail "JSON rerun: $(cat rerun.out)"
grep -q "(0 solved now .*, 6 kept)" rerun.out || fail "JSON rerun summary: $(cat rerun.out)"
cmp -s sweep.json sweep.json.before || fail "the JSON changed on a rerun with nothing to solve"

# ---- Ctrl-C (SIGINT) in the middle of a longer sweep, then the same command ----
cat >long.toml <<'EOF'
phi1 = {from = 0.2, to = 0.5, n = 4}
gamma_R = {from = 0.1, to = 10, n = 10, scale = "log"}
EOF
"$footloose" sweep --grid long.toml --out long.csv --jobs 1 --no-progress >long.out 2>long.err &
pid=$!
for _ in $(seq 1 600); do
  [ -f long.csv ] && [ "$(wc -l <long.csv)" -ge 4 ] && break
  sleep 0.02
done
kill -INT "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
rows_done=$(($(wc -l <long.csv) - 1))
if [ "$status" -eq 1 ]; then
  grep -q "interrupted: .* run the same command again" long.err || fail "interrupted run: $(cat long.err)"
  [ "$rows_done" -ge 3 ] && [ "$rows_done" -lt 40 ] || fail "interrupted run left $rows_done rows"
else
  [ "$status" -eq 0 ] || fail "interrupted sweep exited with $status: $(cat long.err)"
  echo "note: the sweep finished before SIGINT arrived ($rows_done rows)"
fi
/usr/bin/python3 - <<'PY'
import csv, sys
rows = list(csv.reader(open("long.csv")))
if any(len(r) != 12 for r in rows) or rows[0][:2] != ["phi1", "gamma_R"]:
    sys.exit("FAIL: the interrupted CSV is not whole rows")
points = [(float(r[0]), float(r[1])) for r in rows[1:]]
if points != sorted(points):
    sys.exit("FAIL: the interrupted CSV is not in grid order")
PY
cp long.csv long_kept.csv
"$footloose" sweep --grid long.toml --out long.csv --no-progress >long2.out 2>&1 || fail "resume after SIGINT: $(cat long2.out)"
grep -q "^sweep: 40 of 40 points in long.csv ($((40 - rows_done)) solved now .*, $rows_done kept)" long2.out ||
  fail "resume after SIGINT: $(cat long2.out)"
/usr/bin/python3 - <<'PY'
import csv, sys
kept = {tuple(r[:2]): r for r in csv.reader(open("long_kept.csv"))}
for r in csv.reader(open("long.csv")):
    if tuple(r[:2]) in kept and kept[tuple(r[:2])] != r:
        sys.exit(f"FAIL: a row kept after SIGINT changed: {r}")
PY

# ---- MPI: the same grid over two processes, compared row by row with the threaded run ----
# (grep reads the whole help: `grep -q` could stop reading early, and under pipefail the help's
# SIGPIPE would then read as "no MPI" and skip the run.)
mpi_support="$("$footloose" sweep --help | grep '^MPI support' || true)"
case "$mpi_support" in
  "MPI support: built"*) ;;
  *)
    echo "SKIPPED: the MPI run (this footloose was built without MPI: $mpi_support)"
    exit 0
    ;;
esac
command -v mpirun >/dev/null || fail "footloose has MPI support but mpirun is not on PATH (Debian: openmpi-bin)"
# Open MPI's own allocations are not ours: no leak report from a sanitizer build.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  mpirun --allow-run-as-root --oversubscribe -np 2 "$footloose" sweep --grid grid.toml --out mpi.csv --no-progress \
  >mpi.out 2>mpi.err || fail "mpirun -np 2 exited with $?: $(cat mpi.err)"
grep -q "^sweep: 6 of 6 points in mpi.csv (6 solved now .* on 2 processes, 0 kept)" mpi.out ||
  fail "MPI summary: $(cat mpi.out)"
same_rows mpi.csv sweep.csv 1e-12 || fail "the MPI run differs from the threaded run"
echo "cli_sweep: all checks passed (MPI included)"
