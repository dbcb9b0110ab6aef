#!/usr/bin/env bash
# `footloose path` on the baseline: exit 0, a readable summary ending in TRUSTWORTHY, a JSON file
# whose long-run values agree with independent closed forms (docs/model.md Sections 2 and 4) and,
# to 1e-8, with the other BVP method (multiple shooting, solved cold by a second run), and a CSV
# file with one row per path point; --fsync writes the same files. Then bad input (gamma_R = 0): exit 2, no output file.
# Usage: cli_path.sh FOOTLOOSE_BINARY SOURCE_DIR
set -euo pipefail
footloose="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# ---- baseline solve ----
"$footloose" path --config "$source_dir/experiments/baseline.toml" \
  --json "$work/path.json" --csv "$work/path.csv" >"$work/summary.txt" 2>"$work/stderr.txt" ||
  fail "baseline path exited with $?: $(cat "$work/stderr.txt")"

for pattern in "^Transition path" "^  sn_inf " "^  lambda_R " "^  W\(0\) " "^  S\(0\) " "^  P\(0\) " \
                "^  eigenvalues \(ascending\) " "^  V0: " "^  V1: " "^  V2: " "^Solver: collocation" \
                "^  termination  +converged" "^  scaled residual" "^  mesh intervals" "^  error estimate: sn_inf" \
                "^  Newton iterations" "^  continuation" "^  horizon T " "^  solve time" "^Warnings"; do
  grep -qE -- "$pattern" "$work/summary.txt" || fail "the summary lacks /$pattern/"
done
last="$(tail -n 1 "$work/summary.txt")"
[ "$last" = "TRUSTWORTHY" ] || fail "the baseline must be TRUSTWORTHY, got: $last"
case "$last" in
  TRUSTWORTHY) [ ! -s "$work/stderr.txt" ] || fail "trustworthy, yet stderr is not empty: $(cat "$work/stderr.txt")" ;;
  "NOT TRUSTWORTHY: "*) grep -qF -- "$last" "$work/stderr.txt" || fail "the NOT TRUSTWORTHY line is not on stderr" ;;
  *) fail "last line is neither TRUSTWORTHY nor NOT TRUSTWORTHY: $last" ;;
esac
[ "$(LC_ALL=C ls -A "$work")" = "$(printf 'path.csv\npath.json\nstderr.txt\nsummary.txt')" ] ||
  fail "stray files: $(ls -A "$work")"

# ---- --fsync (output flushed to the disk before the rename): the same files, nothing else ----
mkdir "$work/fsync"
"$footloose" path --config "$source_dir/experiments/baseline.toml" --fsync \
  --json "$work/fsync/path.json" --csv "$work/fsync/path.csv" >/dev/null 2>&1 ||
  fail "path --fsync exited with $?"
cmp -s "$work/path.csv" "$work/fsync/path.csv" || fail "path --fsync wrote a different CSV"
[ "$(LC_ALL=C ls -A "$work/fsync")" = "$(printf 'path.csv\npath.json')" ] ||
  fail "path --fsync: stray files: $(ls -A "$work/fsync")"
rm -r "$work/fsync"

# ---- the same baseline by multiple shooting (independent numerics), cold ----
mkdir "$work/shooting"
{ cat "$source_dir/experiments/baseline.toml"; echo 'method = "shooting"'; } >"$work/shooting/config.toml"
"$footloose" path --config "$work/shooting/config.toml" --json "$work/shooting/path.json" \
  >"$work/shooting/summary.txt" 2>&1 || fail "shooting baseline exited with $?: $(cat "$work/shooting/summary.txt")"

/usr/bin/python3 - "$work/path.json" "$work/path.csv" "$last" "$work/shooting/path.json" <<'PY'
import csv, json, math, sys

result = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2])))
last_line = sys.argv[3]
failures = []

scalars = ["sn_inf", "sk_inf", "aR_inf", "nw_inf", "sn_hft", "lambda_R", "converged", "trustworthy",
           "method", "termination", "error_estimate", "mesh_intervals",
           "residual_norm", "newton_iterations", "saddle_ok",
           "eigenvalues", "V0_ok", "V1_ok", "V2_ok", "V0_margin", "V1_margin", "V2_margin",
           "initial_costates", "solve_seconds", "horizon", "rtol", "terminal_condition", "warnings",
           "parameters", "path"]
columns = ["t", "phi", "K", "K_star", "w", "aR", "W", "S", "P", "W_star", "sk", "sn", "nw", "B",
           "B_star", "aD", "aX", "aD_star", "aX_star", "relocation_flow", "entry_rate",
           "entry_rate_star", "a_bar", "a_bar_star", "omega", "omega_star"]
missing = [k for k in scalars if k not in result]
if missing:
    sys.exit(f"FAIL: JSON lacks keys {missing}")
path = result["path"]
if sorted(path) != sorted(columns):
    failures.append(f"path columns {sorted(path)}, expected {sorted(columns)}")
if sorted(result["initial_costates"]) != ["P", "S", "W"]:
    failures.append(f"initial_costates keys {sorted(result['initial_costates'])}")

if result["converged"] is not True:
    failures.append("converged is not true")
if result["saddle_ok"] is not True:
    failures.append("saddle_ok is not true")
if len(result["eigenvalues"]) != 6:
    failures.append(f"{len(result['eigenvalues'])} eigenvalues, expected 6")
if result["trustworthy"] != (last_line == "TRUSTWORTHY"):
    failures.append(f"trustworthy = {result['trustworthy']} but the summary ends '{last_line}'")
if result["terminal_condition"] != "asymptotic" or result["horizon"] != 60.0 or result["rtol"] != 1e-12:
    failures.append("settings in the JSON differ from the defaults")
if result["parameters"]["gamma_R"] != 1.0 or result["parameters"]["phi_path_time"] is not None:
    failures.append(f"parameters: {result['parameters']}")

# Independent closed forms (docs/model.md Sections 2 and 4): sE = 0.6, phi1 = 0.4, beta = 2,
# sn_HFT = 1/2 + (sE - 1/2)(1 + phi^beta)/(1 - phi^beta).
sE = 0.6
sn_hft = 0.5 + 0.1 * 1.16 / 0.84
sn_inf = result["sn_inf"]
if not sE < sn_inf < sn_hft:
    failures.append(f"sn_inf = {sn_inf!r} not in (sE, sn_HFT) = ({sE}, {sn_hft!r})")
if not math.isclose(result["sn_hft"], sn_hft, rel_tol=1e-12, abs_tol=1e-12):
    failures.append(f"sn_hft = {result['sn_hft']!r}, expected {sn_hft!r}")
lambda_R = (sn_hft - sn_inf) / (sn_hft - sE)
if abs(result["lambda_R"] - lambda_R) > 1e-12:
    failures.append(f"lambda_R = {result['lambda_R']!r}, expected (sn_HFT - sn_inf)/(sn_HFT - sE) = {lambda_R!r}")

# The default method is collocation, converged, with an error estimate within 1e-8 in sn_inf.
if result["method"] != "collocation" or result["termination"] != "converged":
    failures.append(f"method {result['method']}, termination {result['termination']}")
estimate = result["error_estimate"] or {}
if not (estimate.get("sn_inf", 1.0) <= 1e-8 and estimate.get("aR_inf", 1.0) <= 1e-8):
    failures.append(f"error estimate {estimate}")
# Against multiple shooting (CVODES + KINSOL, its own cold start): sn_inf, aR_inf, W(0), S(0),
# P(0) to 1e-8.
shooting = json.load(open(sys.argv[4]))
if shooting["method"] != "shooting" or not shooting["trustworthy"]:
    failures.append(f"shooting run: method {shooting['method']}, trustworthy {shooting['trustworthy']}")
pairs = [("sn_inf", result["sn_inf"], shooting["sn_inf"]), ("aR_inf", result["aR_inf"], shooting["aR_inf"])]
pairs += [(k + "(0)", result["initial_costates"][k], shooting["initial_costates"][k]) for k in "WSP"]
for name, a, b in pairs:
    if not abs(a - b) <= 1e-8:
        failures.append(f"{name}: collocation {a!r}, shooting {b!r} (|difference| {abs(a - b):.3g} > 1e-8)")

# Path arrays: equal length, t strictly increasing from 0.
n = len(path["t"])
if n < 3:
    failures.append(f"only {n} path points")
for name, values in path.items():
    if len(values) != n:
        failures.append(f"path['{name}'] has {len(values)} values, path['t'] has {n}")
t = path["t"]
if t and t[0] != 0.0:
    failures.append(f"t starts at {t[0]!r}, not 0")
if any(b <= a for a, b in zip(t, t[1:])):
    failures.append("t is not strictly increasing")
if t and abs(t[-1] - result["horizon"]) > 1e-9:
    failures.append(f"t ends at {t[-1]!r}, not at the horizon")
# Non-finite values are null in JSON (relocation_flow at t = 0 only, when aR(0) = 0 < P(0)).
for name, values in path.items():
    nulls = [i for i, x in enumerate(values) if x is None]
    if nulls and (name != "relocation_flow" or nulls != [0]):
        failures.append(f"path['{name}'] has null values at {nulls[:5]}")

# CSV: the same columns in the same order as the JSON, one row per path point, same numbers.
if rows[0] != list(path):
    failures.append(f"CSV header {rows[0]} differs from the JSON path columns {list(path)}")
if len(rows) - 1 != n:
    failures.append(f"CSV has {len(rows) - 1} rows, len(path.t) = {n}")
for i, row in enumerate(rows[1:]):
    for name, text in zip(rows[0], row):
        expected = path[name][i]
        value = float(text)
        if (expected is None and value != math.inf) or (expected is not None and value != expected):
            failures.append(f"CSV row {i} column {name} = {text}, JSON {expected!r}")
            break
    else:
        continue
    break

if failures:
    sys.exit("FAIL: " + "; ".join(failures))
print("cli_path: baseline checks passed")
PY

# ---- bad input: the dynamic model needs gamma_R > 0 ----
printf 'gamma_R = 0\n' >"$work/gamma_R.toml"
set +e
"$footloose" path --config "$work/gamma_R.toml" --json "$work/bad.json" --csv "$work/bad.csv" \
  >"$work/bad.stdout" 2>"$work/bad.stderr"
code=$?
set -e
[ "$code" -eq 2 ] || fail "gamma_R = 0: exit code $code, expected 2: $(cat "$work/bad.stderr")"
grep -qF "gamma_R" "$work/bad.stderr" || fail "gamma_R = 0: the message does not name gamma_R: $(cat "$work/bad.stderr")"
[ "$(wc -l <"$work/bad.stderr")" -eq 1 ] || fail "gamma_R = 0: stderr is not one line: $(cat "$work/bad.stderr")"
[ ! -e "$work/bad.json" ] && [ ! -e "$work/bad.csv" ] || fail "gamma_R = 0: an output file was written"
if ls -A "$work" | grep -q '\.tmp-'; then fail "gamma_R = 0: a temporary output file remains"; fi
echo "cli_path: all checks passed"
