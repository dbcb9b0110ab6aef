#!/usr/bin/env bash
# `footloose static` on the baseline: exit 0, a readable table, and a JSON file whose values match
# the independent closed forms of docs/model.md Section 4.  Usage: cli_static.sh FOOTLOOSE_BINARY SOURCE_DIR
set -euo pipefail
footloose="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$footloose" static --config "$source_dir/experiments/baseline.toml" --json "$work/static.json" >"$work/table.txt"

for pattern in "^Autarky" "^HFT" "instant selection" "frozen selection" "phi_P partition" \
               "phi_S sustain, frozen selection +none$" "corrected, from \(M4\)"; do
  grep -qE -- "$pattern" "$work/table.txt" || { echo "FAIL: the table lacks /$pattern/" >&2; exit 1; }
done
[ "$(ls -A "$work")" = "$(printf 'static.json\ntable.txt')" ] || { echo "FAIL: stray files: $(ls -A "$work")" >&2; exit 1; }

# Without --config: the baseline defaults, same numbers.
"$footloose" static --json "$work/defaults.json" >/dev/null

/usr/bin/python3 - "$work/static.json" "$work/defaults.json" <<'PY'
import json, math, sys

report = json.load(open(sys.argv[1]))
defaults = json.load(open(sys.argv[2]))

def get(path):
    node = report
    for part in path.split("."):
        node = node[part]
    return node

required = ["autarky.aD", "autarky.K", "hft.aD", "hft.aX", "hft.nw", "hft.sn",
            "instant_selection.aR", "frozen_selection.aX", "frozen_selection.aR",
            "phi_partition", "phi_sustain_instant", "phi_sustain_frozen"]
for key in required:
    get(key)  # KeyError if missing

# Independent closed forms (docs/model.md Sections 2 and 4): sigma=4, rho=6, beta=2, sE=0.6,
# f = sigma*delta*F = 0.8, fI = sigma*delta*FI = 0.4, phi = 0.4.
phi, beta, rho, sE, f, fI = 0.4, 2.0, 6.0, 0.6, 0.8, 0.4
aD_hft = (fI * (beta - 1) / (f * (1 + phi**beta))) ** (1 / rho)
aX_hft = phi ** (1 / 3) * aD_hft
expected = {
    "autarky.aD": 0.5 ** (1 / 6),
    "autarky.K": 0.75,
    "autarky.K_star": 0.5,
    "hft.sn": 0.5 + 0.1 * 1.16 / 0.84,
    "hft.aD": aD_hft,
    "hft.aX": aX_hft,
    "hft.nw": (1 - 1 / beta) / (f * (1 + phi**beta)),
    "instant_selection.aR": aX_hft * (1 / 3) ** (1 / 3),
    "phi_partition": (1 - sE) / sE,
    "phi_sustain_instant": ((1 - sE) / sE) ** (1 / beta),
}
failures = []
for key, value in expected.items():
    if not math.isclose(get(key), value, rel_tol=1e-12, abs_tol=1e-12):
        failures.append(f"{key} = {get(key)!r}, expected {value!r}")
if get("phi_sustain_frozen") is not None:
    failures.append(f"phi_sustain_frozen = {get('phi_sustain_frozen')!r}, expected null (none)")
if get("instant_selection.phase") != "XX" or get("frozen_selection.phase") != "XX":
    failures.append("baseline relocation phase should be XX (phi < phi_P)")
if report["general_sn"][0]["sn"] != sE:
    failures.append("the first general-sn comparison should be at sn = sE")
if report != defaults:
    failures.append("`static` without --config differs from the baseline file")
if failures:
    sys.exit("FAIL: " + "; ".join(failures))
print("cli_static: all checks passed")
PY
