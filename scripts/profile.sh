#!/usr/bin/env bash
# Where the time of a cold baseline solve goes (issue 5 §1; docs/performance.md).
#
#   bash scripts/profile.sh [REPEATS] [BENCH_SECTION]     # defaults: 30 cold
#
# 1. builds an optimised tree with debug info and frame pointers in build-profile/
#    (RelWithDebInfo: -O2 -g -fno-omit-frame-pointer -DNDEBUG);
# 2. runs `perf record` (DWARF call graphs: Debian's libm and SUNDIALS have no frame pointers) on
#    `footloose bench --only cold --repeats REPEATS --no-reference` (REPEATS + 1 cold solves);
# 3. prints the top functions by self time (`perf report --no-children`), the top by inclusive
#    time (`perf report --children`), and a breakdown by category computed from every sample's
#    call stack (the classifier is the inline python below).
#
# REPORT_ONLY=1 skips the build and the recording and analyses build-profile/perf.data again.
# Output: build-profile/perf.data, build-profile/profile_report.txt (everything printed).
# Needs perf (Debian package linux-perf: /usr/bin/perf) and python3; run as root, or with
# kernel.perf_event_paranoid <= 1.
set -euo pipefail

cd "$(dirname "$0")/.."
REPEATS="${1:-30}"
SECTION="${2:-cold}"
BUILD=build-profile
PERF="${PERF:-/usr/bin/perf}"
JOBS="${JOBS:-2}"

if ! command -v "$PERF" >/dev/null 2>&1; then
  echo "profile.sh: perf not found ($PERF); on Debian: apt-get install linux-perf" >&2
  exit 2
fi

if [[ "${REPORT_ONLY:-0}" != 1 ]]; then
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g -fno-omit-frame-pointer -DNDEBUG" \
  -DFOOTLOOSE_TESTS=OFF -DFOOTLOOSE_PYTHON=OFF >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target footloose footloose-bench >/dev/null
fi

DATA="$BUILD/perf.data"
REPORT="$BUILD/profile_report.txt"
if [[ "${REPORT_ONLY:-0}" != 1 ]]; then  # REPORT_ONLY=1: analyse the existing perf.data again
  echo "perf record: footloose bench --only $SECTION --repeats $REPEATS --no-reference" >&2
  "$PERF" record -F 999 --call-graph dwarf,32768 -o "$DATA" -- \
    "$BUILD/footloose" bench --only "$SECTION" --repeats "$REPEATS" --no-reference --no-progress \
    >"$BUILD/profile_bench.txt" 2>"$BUILD/perf_record.log"
fi


# The classifier (python): perf script output, one block of frames per sample (leaf first), each
# frame a line "ip symbol" followed by a line "file:line [(inlined)]".
CLASSIFIER='
import re, sys

# Source lines of the finite-difference segment sensitivities: the body of
# finite_difference_sensitivity in solvers/multiple_shooting.cpp (inlined into evaluate at -O2, so
# perf only sees its call sites by source line).
fd_file, fd_lines = sys.argv[1], None
text = open(fd_file).read().split("\n")
for i, line in enumerate(text):
    if re.search(r"void\s+finite_difference_sensitivity\s*\(", line):
        depth, opened = 0, False
        for j in range(i, len(text)):
            depth += text[j].count("{") - text[j].count("}")
            opened = opened or "{" in text[j]
            if opened and depth <= 0:
                fd_lines = (i + 1, j + 1)
                break
        break
fd_base = fd_file.rsplit("/", 1)[-1]

samples, frames = [], []
for raw in sys.stdin:
    line = raw.strip()
    if not line:
        if frames: samples.append(frames)
        frames = []
        continue
    m = re.match(r"^([0-9a-f]+)\s+(.*)$", line)
    if m and raw.startswith("\t"):
        frames.append([m.group(2), ""])
    elif frames:
        frames[-1][1] = line
if frames: samples.append(frames)
total = len(samples)
if total == 0:
    sys.exit("no samples")

def has(stack, pattern):
    return any(re.search(pattern, sym) for sym, _ in stack)

def in_fd(stack):
    if fd_lines is None: return False
    for _, src in stack:
        m = re.match(r"^(\S+):(\d+)", src)
        if m and m.group(1).endswith(fd_base) and fd_lines[0] <= int(m.group(2)) <= fd_lines[1]:
            return True
    return False

TEMP_EQ = r"solve_temporary_equilibrium|solve_demand_levels"
CALLBACKS = r"CvodeIntegrator::(rhs_callback|jacobian_callback|sensitivity_callback)|GeneralModel::"
CVODE = r"^CVode( |$)"
SPARSE_LU = r"SparseLU"
DENSE_LU = r"denseGETR[FS]|SUNLinSol(Setup|Solve)_Dense"
SPGMR = r"SUNLinSolSolve_SP(GMR|BCGS)"
KINSOL = r"^KINSol"
CVODES_SENS = r"integrate_with_sensitivity"
SETUP = r"ShootingSystem::setup"
SPECTRUM = r"split_spectrum|jacobian_central|EigenSolver|spectrum_at"
VALIDITY = r"check_validity"

def pct(n): return 100.0 * n / total
def share(test): return pct(sum(1 for s in samples if test(s)))

print("  %d samples; FD sensitivities = %s lines %s" % (total, fd_base, "%d-%d" % fd_lines if fd_lines else "NOT FOUND"))
print("  inclusive shares (a sample counts in every category on its stack; they overlap):")
rows = [
    ("temporary-equilibrium root-finds ((M5): solve_demand_levels / solve_temporary_equilibrium and below)", lambda s: has(s, TEMP_EQ)),
    ("CVODE integration, all (CVode and below, our right-hand side included)", lambda s: has(s, CVODE)),
    ("CVODE integration excluding our right-hand side / Jacobian", lambda s: has(s, CVODE) and not has(s, CALLBACKS)),
    ("linear algebra: dense GETRF/GETRS in CVODE Newton steps", lambda s: has(s, DENSE_LU)),
    ("linear algebra: SparseLU of the shooting Newton matrix", lambda s: has(s, SPARSE_LU)),
    ("linear algebra: KINSOL SPGMR solves (Krylov iterations, preconditioner solves)", lambda s: has(s, SPGMR)),
    ("linear algebra: all three (union)", lambda s: has(s, DENSE_LU) or has(s, SPARSE_LU) or has(s, SPGMR)),
    ("sensitivities: FD segment sensitivities (+ CVODES sensitivities if chosen)", lambda s: in_fd(s) or has(s, CVODES_SENS)),
    ("Newton matrix setups (ShootingSystem::setup: base + FD integrations, assembly, SparseLU)", lambda s: has(s, SETUP)),
    ("KINSOL (KINSol and below: the Newton solve)", lambda s: has(s, KINSOL)),
    ("spectrum / saddle checks (jacobian_central, split_spectrum)", lambda s: has(s, SPECTRUM)),
    ("validity checks V0-V2 (check_validity)", lambda s: has(s, VALIDITY)),
]
for name, test in rows:
    print("    %6.1f%%  %s" % (share(test), name))

# Exclusive partition (sums to 100%%): the first category met walking from the leaf up.
order = [
    ("temporary-equilibrium root-finds", TEMP_EQ),
    ("dense LU in CVODE", DENSE_LU),
    ("SparseLU", SPARSE_LU),
    ("spectrum (eigenvalues, jacobian_central)", SPECTRUM),
    ("model right-hand side / Jacobian outside the root-finds", CALLBACKS),
    ("CVODE own work (step control, nonlinear solver, vector ops)", r"^CVode|^cv[A-Z]|^SUNNonlinSol|^N_V|^SUNMat|^SUNLinSol|^cvLs"),
    ("KINSOL / SPGMR own work", r"^KIN|^kin|SPGMR|Spgmr|^SUNQR|^SUNModified|^SUNClassical"),
    ("rest of multiple shooting", r"ShootingSystem|multiple_shooting"),
    ("validity checks", VALIDITY),
]
counts = dict((name, 0) for name, _ in order)
other = 0
for s in samples:
    hit = None
    for sym, _ in s:
        hit = next((name for name, pat in order if re.search(pat, sym)), None)
        if hit: break
    if hit: counts[hit] += 1
    else: other += 1
print("  exclusive partition (each sample to the first category met from the leaf up; sums to 100%):")
for name, _ in order:
    print("    %6.1f%%  %s" % (pct(counts[name]), name))
print("    %6.1f%%  other (allocation, output, process start, unresolved frames)" % pct(other))
'

# Trim perf's padded columns; read all input (no early exit: pipefail would stop the script).
trim() { sed -e 's/[[:space:]]*-[[:space:]]*-[[:space:]]*$//' -e 's/[[:space:]]*$//' | awk -v n="$1" '/^ +[0-9]/ && c < n { print; c++ }'; }

{
  echo "== footloose bench --only $SECTION --repeats $REPEATS --no-reference (profiled run; perf slows it) =="
  grep -E "solve|pass|RSS" "$BUILD/profile_bench.txt" || true
  echo
  echo "== top 25 functions by self time (perf report --no-children) =="
  "$PERF" report -i "$DATA" --no-children --stdio -g none --sort symbol 2>/dev/null | trim 25
  echo
  echo "== top 30 functions by inclusive time (perf report --children) =="
  "$PERF" report -i "$DATA" --children --stdio -g none --sort symbol 2>/dev/null | trim 30
  echo
  echo "== categories (share of all samples, from each sample's call stack with source lines) =="
  "$PERF" script -i "$DATA" -F ip,sym,srcline --inline 2>/dev/null \
    | python3 -c "$CLASSIFIER" solvers/multiple_shooting.cpp
} | tee "$REPORT"
echo "report: $REPORT" >&2
