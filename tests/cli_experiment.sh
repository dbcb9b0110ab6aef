#!/usr/bin/env bash
# `footloose experiment`: the cheapest experiment (validity on a 2 x 1 grid at one gamma ratio, plus
# its analytic instant-relocation limit) writes its CSV with the documented columns, a summary and,
# when matplotlib is available, PNG and PDF figures; its baseline row agrees with docs/model.md's
# lambda_R ~ 0.995 and, to 1e-8, with a multiple-shooting `footloose path` run. Then bad input: unknown experiment and unknown
# config key exit 2.  Usage: cli_experiment.sh FOOTLOOSE_BINARY SOURCE_DIR
set -euo pipefail
footloose="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cat >"$work/tiny.toml" <<'TOML'
phi1 = [0.3, 0.4]
sE = [0.6]
gamma_ratio = [1.0]
time_limit = 20.0
TOML

plot=""
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || plot="--no-plot"
"$footloose" experiment validity --out "$work/out" --config "$work/tiny.toml" --threads 2 \
  --scripts "$source_dir/experiments" $plot >"$work/stdout.txt" 2>"$work/stderr.txt" ||
  fail "experiment validity exited with $?: $(cat "$work/stderr.txt")"

[ -s "$work/out/validity.csv" ] || fail "validity.csv missing"
[ -s "$work/out/validity_summary.md" ] || fail "validity_summary.md missing"
if [ -z "$plot" ]; then
  [ -s "$work/out/validity.png" ] || fail "validity.png missing"
  [ -s "$work/out/validity.pdf" ] || fail "validity.pdf missing"
fi

# lambda_R at the baseline by the other method: `footloose path` with multiple shooting, cold.
{ cat "$source_dir/experiments/baseline.toml"; echo 'method = "shooting"'; } >"$work/shooting.toml"
"$footloose" path --config "$work/shooting.toml" --json "$work/shooting.json" >"$work/shooting.txt" 2>&1 ||
  fail "shooting baseline exited with $?: $(cat "$work/shooting.txt")"

/usr/bin/python3 - "$work/out/validity.csv" "$work/shooting.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
shooting = json.load(open(sys.argv[2]))
need = {"gamma_ratio", "phi1", "sE", "status", "valid", "converged", "v0_ok", "v1_ok", "v2_ok",
        "sn_inf", "lambda_R", "aR_inf"}
missing = need - set(rows[0])
assert not missing, f"missing columns {missing}"
assert len(rows) == 4, f"expected 2 static + 2 dynamic rows, got {len(rows)}"
for r in rows:
    assert r["status"] in ("valid", "invalid", "failed", "skipped"), r["status"]
    assert r["valid"] in ("0", "1")
    if r["status"] == "valid":
        assert r["valid"] == "1"
dynamic = [r for r in rows if float(r["gamma_ratio"]) == 1.0]
base = [r for r in dynamic if float(r["phi1"]) == 0.4]
assert base and base[0]["status"] == "valid", base
# Independent values: docs/model.md Section 4 prints lambda_R ~ 0.995 (to its digits), and multiple
# shooting solves the same point (the experiment uses collocation) to ~1e-12; CSV cells carry
# ~12 digits.
lam = float(base[0]["lambda_R"])
assert abs(lam - 0.995) <= 5e-4, lam
assert shooting["method"] == "shooting" and shooting["trustworthy"] is True, shooting["method"]
assert abs(lam - shooting["lambda_R"]) <= 1e-8, (lam, shooting["lambda_R"])
assert abs(float(base[0]["sn_inf"]) - shooting["sn_inf"]) <= 1e-8, (base[0]["sn_inf"], shooting["sn_inf"])
assert abs(float(base[0]["aR_inf"]) - shooting["aR_inf"]) <= 1e-8, (base[0]["aR_inf"], shooting["aR_inf"])
# And lambda_R from its definition (docs/model.md Section 3) with sn_HFT of (9) written out here
# (sE = 0.6, phi = 0.4, beta = 2), from the sn_inf just checked against shooting.
sn_hft = 0.5 + 0.1 * 1.16 / 0.84
assert abs(lam - (sn_hft - float(base[0]["sn_inf"])) / (sn_hft - 0.6)) <= 1e-8, lam
static = [r for r in rows if float(r["gamma_ratio"]) == 0.0]
assert all(r["status"] == "valid" for r in static), static  # phi1 < phi_P = 2/3: XX phase, V2 holds
PY

# ---- gradual: a 5-year ramp against the jump at gamma_R/gamma_E = 100 (fast: ~0.2 s per path) ----
cat >"$work/gradual.toml" <<'TOML'
durations = [0.0, 5.0]
gamma_ratio = [100.0]
time_limit = 60.0
[model]
phi0 = 0.2
initial_state = "relocation"
TOML
"$footloose" experiment gradual --out "$work/gradual" --config "$work/gradual.toml" --threads 2 \
  --scripts "$source_dir/experiments" $plot >"$work/stdout.txt" 2>"$work/stderr.txt" ||
  fail "experiment gradual exited with $?: $(cat "$work/stderr.txt")"
/usr/bin/python3 - "$work/gradual/gradual.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2, rows
jump, ramp = rows
assert jump["status"] == "valid" and ramp["status"] == "valid", rows
assert float(jump["sn_inf_minus_jump"]) == 0.0
gap = float(ramp["sn_inf"]) - float(jump["sn_inf"])
assert abs(gap - float(ramp["sn_inf_minus_jump"])) < 1e-9  # CSV cells carry ~12 digits
# The ramp ends elsewhere on the curve of steady states (hysteresis), but only slightly: the
# shock phi 0.2 -> 0.4 moves sn_inf by ~1e-2 from sE, the ramp by ~1e-5 from the jump.
assert 1e-7 < abs(gap) < 1e-3, gap
PY

# ---- bad input ----
set +e
"$footloose" experiment nonesuch --out "$work/bad" >/dev/null 2>"$work/err1.txt"
[ $? -eq 2 ] || fail "unknown experiment should exit 2"
echo "bogus = 1" >"$work/bad.toml"
"$footloose" experiment validity --out "$work/bad" --config "$work/bad.toml" >/dev/null 2>"$work/err2.txt"
[ $? -eq 2 ] || fail "unknown key should exit 2"
set -e
grep -q "bogus" "$work/err2.txt" || fail "the error does not name the key: $(cat "$work/err2.txt")"
[ ! -e "$work/bad/validity.csv" ] || fail "a CSV was written despite bad input"
echo "cli_experiment: ok"
