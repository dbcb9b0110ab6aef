#!/usr/bin/env bash
# `footloose path` with the model variants (docs/model.md Section 6), checked against the
# single-front solver where they must agree: relocation = "type_resolved" at phi1 = 0.4 (V2 holds)
# reduces to the front (U_inf = aR_inf^rho within the first-order error of M = 100 cells, sn_inf
# close); its moved-share CSV adds up to the JSON's U; at phi1 = 0.6 the front is flagged (V2)
# and the message names type_resolved, which finds two moved intervals. timing = "optimal" with
# entry nearly frozen (gamma_E = 1e6) has the sequential long run (EXTENSION B4.3) and q(0) of the
# independent prototype (0.1108, 1%). Bad combinations: exit 2, no file.
# Usage: cli_variants.sh FOOTLOOSE_BINARY SOURCE_DIR
set -euo pipefail
footloose="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

printf 'phi1 = 0.4\n' >front04.toml
printf 'phi1 = 0.4\nrelocation = "type_resolved"\ntype_cells = 100\n' >typed04.toml
printf 'phi1 = 0.6\n' >front06.toml
printf 'phi1 = 0.6\nrelocation = "type_resolved"\ntype_cells = 100\n' >typed06.toml
printf 'phi1 = 0.4\ngamma_E = 1e6\n' >frozen_seq.toml
printf 'phi1 = 0.4\ngamma_E = 1e6\ntiming = "optimal"\n' >frozen_nash.toml

"$footloose" path --config front04.toml --json front04.json >/dev/null 2>&1 || fail "front 0.4"
"$footloose" path --config typed04.toml --json typed04.json --csv typed04.csv \
  --moved-csv moved04.csv >typed04.txt 2>typed04.err || fail "type_resolved 0.4: $(cat typed04.err)"
grep -q "^Transition path, type-resolved relocation" typed04.txt || fail "type_resolved summary"
[ "$(tail -n 1 typed04.txt)" = "TRUSTWORTHY" ] || fail "type_resolved 0.4: $(tail -n 1 typed04.txt)"
"$footloose" path --config front06.toml >/dev/null 2>front06.err || fail "front 0.6"
grep -q 'V2 violated.*relocation = "type_resolved" answers' front06.err ||
  fail "the V2 flag does not point to type_resolved: $(cat front06.err)"
"$footloose" path --config typed06.toml --json typed06.json >/dev/null 2>&1 || fail "type_resolved 0.6"
"$footloose" path --config frozen_seq.toml --json frozen_seq.json >/dev/null 2>&1 || fail "frozen seq"
"$footloose" path --config frozen_nash.toml --json frozen_nash.json --csv frozen_nash.csv \
  >nash.txt 2>&1 || fail "optimal timing: $(cat nash.txt)"
grep -q "^  q(0) = sigma chi(0)" nash.txt || fail "optimal-timing summary lacks q(0)"

/usr/bin/python3 - <<'PY'
import csv, json, math, sys

def load(name):
    return json.load(open(name))

def check(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)

rho = 6.0
front, typed = load("front04.json"), load("typed04.json")
u_front = front["aR_inf"] ** rho
check(typed["relocation"] == "type_resolved" and typed["converged"], "type_resolved JSON")
check(abs(typed["U_inf"] / u_front - 1) < 5e-3,
      "U_inf %.6g vs aR_inf^rho %.6g of the front" % (typed["U_inf"], u_front))
check(abs(typed["sn_inf"] - front["sn_inf"]) < 1e-4, "sn_inf %.9g vs front %.9g" % (typed["sn_inf"], front["sn_inf"]))
check(len(typed["moved_set_inf"]) == 1 and typed["moved_set_inf"][0][0] == 0.0,
      "one moved interval [0, a] at phi1 = 0.4: %s" % typed["moved_set_inf"])

# The moved-share CSV adds up to U: Pareto weight of cell [a, b] is b^rho - a^rho.
rows = list(csv.DictReader(open("moved04.csv")))
check(rows and set(rows[0]) == {"t", "a_lower", "a_upper", "share"}, "moved CSV columns")
last_t = max(float(r["t"]) for r in rows)
U = sum((float(r["a_upper"]) ** rho - float(r["a_lower"]) ** rho) * float(r["share"])
        for r in rows if float(r["t"]) == last_t)
check(all(0.0 <= float(r["share"]) <= 1.0 for r in rows), "shares in [0, 1]")
check(abs(U - typed["U_inf"]) < 1e-3 * typed["U_inf"], "moved CSV sums to %.6g, U_inf %.6g" % (U, typed["U_inf"]))
path = list(csv.DictReader(open("typed04.csv")))
check(len(path) == len(typed["path"]["t"]) and "U" in path[0], "type_resolved CSV rows")

typed06 = load("typed06.json")
check(len(typed06["moved_set_inf"]) == 2, "two moved intervals at phi1 = 0.6: %s" % typed06["moved_set_inf"])

seq, nash = load("frozen_seq.json"), load("frozen_nash.json")
check(nash["timing"] == "optimal" and nash["trustworthy"], "optimal timing JSON")
check(abs(nash["aR_inf"] - seq["aR_inf"]) < 1e-5, "aR_inf: Nash %.9g, sequential %.9g" % (nash["aR_inf"], seq["aR_inf"]))
check(abs(nash["q0"] / 0.1108 - 1) < 0.01, "q(0) = %.6g, prototype 0.1108" % nash["q0"])
for column in ("u", "q", "option_value", "chi", "surplus", "aR", "sn"):
    check(column in nash["path"], "optimal-timing path lacks " + column)
header = open("frozen_nash.csv").readline().strip().split(",")
check("q" in header and "option_value" in header, "optimal-timing CSV columns")
PY

# ---- experiment variants on a tiny grid: rows equal the single runs above ----
printf 'phi1 = [0.4, 0.6]\nsE = [0.6]\ngamma_ratio = [1.0]\ntime_limit = 30.0\n' >tiny.toml
plot=""
/usr/bin/python3 -c "import matplotlib" 2>/dev/null || plot="--no-plot"
"$footloose" experiment variants --out out --config tiny.toml --threads 2 --scripts "$2/experiments" \
  $plot >experiment.txt 2>&1 || fail "experiment variants: $(cat experiment.txt)"
[ -s out/variants_moved_set.csv ] || fail "variants_moved_set.csv missing"
[ -n "$plot" ] || [ -s out/variants.png ] || fail "variants.png missing"
if [ -z "$plot" ]; then  # the moved set of one path, from its JSON
  /usr/bin/python3 "$2/experiments/plot_moved_set.py" typed06.json moved06.png >/dev/null ||
    fail "plot_moved_set.py failed"
  [ -s moved06.png ] && [ -s moved06.pdf ] || fail "plot_moved_set.py wrote no figure"
  if /usr/bin/python3 "$2/experiments/plot_moved_set.py" front04.json x.png 2>/dev/null; then
    fail "plot_moved_set.py accepted a single-front path"
  fi
fi
/usr/bin/python3 - <<'PY'
import csv, json, sys
rows = {(r["model"], float(r["phi1"])): r for r in csv.DictReader(open("out/variants.csv"))}
if len(rows) != 6:
    sys.exit("FAIL: variants.csv has %d rows, expected 3 models x 2 points" % len(rows))
for model, phi, name in (("front", 0.4, "front04.json"), ("type_resolved", 0.4, "typed04.json"),
                         ("type_resolved", 0.6, "typed06.json")):
    want = json.load(open(name))["sn_inf"]
    got = float(rows[(model, phi)]["sn_inf"])
    if abs(got - want) > 1e-8:
        sys.exit("FAIL: %s at phi1 = %g: experiment %.10g, path %.10g" % (model, phi, got, want))
PY

# ---- footloose sweep with a variant: the row equals the single path run ----
printf 'phi1 = [0.6]\nrelocation = "type_resolved"\ntype_cells = 100\n' >variant_grid.toml
"$footloose" sweep --grid variant_grid.toml --out variant_sweep.csv --jobs 1 --no-progress \
  >sweep.txt 2>&1 || fail "sweep with relocation = type_resolved: $(cat sweep.txt)"
/usr/bin/python3 - <<'PY'
import csv, json, math, sys
row = next(csv.DictReader(open("variant_sweep.csv")))
want = json.load(open("typed06.json"))
if not math.isnan(float(row["aR_inf"])) or abs(float(row["moved_share"]) - want["U_inf"]) > 1e-12 \
        or abs(float(row["sn_inf"]) - want["sn_inf"]) > 1e-12 or row["trustworthy"] != "true":
    sys.exit("FAIL: the type_resolved sweep row %s differs from the path run (U_inf %.12g)" % (row, want["U_inf"]))
PY

# ---- bad combinations: exit 2, nothing written ----
printf 'relocation = "type_resolved"\ntiming = "optimal"\n' >both.toml
set +e
"$footloose" path --config both.toml --json both.json >/dev/null 2>both.err
status=$?
"$footloose" path --config front04.toml --moved-csv moved.csv >/dev/null 2>moved.err
status_moved=$?
set -e
[ "$status" -eq 2 ] || fail "type_resolved + optimal: exit $status"
grep -q "timing" both.err || fail "the message does not name 'timing': $(cat both.err)"
[ ! -e both.json ] || fail "a file was written for a refused configuration"
[ "$status_moved" -eq 2 ] || fail "--moved-csv with a front: exit $status_moved"
[ ! -e moved.csv ] || fail "--moved-csv with a front wrote a file"
echo "cli_variants: ok"
