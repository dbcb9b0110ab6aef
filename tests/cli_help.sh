#!/usr/bin/env bash
# --help: the top level lists the subcommands; each subcommand documents every config key with
# its default and allowed range.  Usage: cli_help.sh FOOTLOOSE_BINARY SOURCE_DIR
set -euo pipefail
footloose="$1"

top="$("$footloose" --help)"
grep -qE '^  static ' <<<"$top" || { echo "FAIL: top-level --help does not list 'static'" >&2; exit 1; }
grep -qE '^  path ' <<<"$top" || { echo "FAIL: top-level --help does not list 'path'" >&2; exit 1; }

path_help="$("$footloose" path --help)"
for text in "--csv FILE" "--json FILE" "Exit codes:" "NOT TRUSTWORTHY" "gamma_R > 0" "  newton_tol "; do
  grep -qF -- "$text" <<<"$path_help" || { echo "FAIL: 'path --help' lacks '$text'" >&2; exit 1; }
done

help="$("$footloose" static --help)"
# key, default, allowed range (spaces removed) as the help must show them
while read -r key default allowed; do
  grep -qE "^  $key +$default +" <<<"$help" || { echo "FAIL: 'static --help' lacks '$key' with default '$default'" >&2; exit 1; }
  grep -qF -- "$allowed" <<<"${help// /}" || { echo "FAIL: 'static --help' lacks the range '$allowed'" >&2; exit 1; }
done <<'KEYS'
sigma 4 sigma>1
rho 6 rho>sigma-1
sE 0.6 0.5<sE<1
F 2 F>0
FI 1 FI>0
delta 0.1 delta>0
r 0 r>=0
phi0 0 0<=phi0<1
phi1 0.4 0<=phi1<1
gamma_E 1 gamma_E>=0
gamma_R 1 gamma_R>=0
T 60 T>0
rtol 1e-12 0<rtol<=0.001
newton_tol 1e-11 newton_tol>0
terminal_condition asymptotic asymptotic,
phi_path jump jump,
phi_path_time \(unset\) phi_path_time>0
initial_state autarky autarky,
K0 \(unset\) K0>0
K_star0 \(unset\) K_star0>0
aR0 \(unset\) 0<=aR0<1
KEYS
echo "cli_help: all checks passed"
