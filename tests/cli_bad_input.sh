#!/usr/bin/env bash
# Bad input to `footloose static`: each case must fail with exit code 2 (never a crash, >= 128),
# print one `footloose: error:` line naming the field and the allowed range, and leave no
# --json output file behind.  Usage: cli_bad_input.sh FOOTLOOSE_BINARY SOURCE_DIR
set -uo pipefail
footloose="$1"
# shellcheck source=tests/lib_cli.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib_cli.sh"  # $work, fail, $failures

# expect_bad_input NAME "ARGS..." TEXT... : run footloose with ARGS (word-split), check the result.
expect_bad_input() {
  local name="$1" args="$2"
  shift 2
  local out="$work/$name.json"
  # shellcheck disable=SC2086
  "$footloose" $args --json "$out" >"$work/$name.stdout" 2>"$work/$name.stderr"
  local code=$?
  local stderr
  stderr="$(cat "$work/$name.stderr")"
  if [ "$code" -ge 128 ]; then fail "$name" "crashed (exit code $code): $stderr"; return; fi
  if [ "$code" -ne 2 ]; then fail "$name" "exit code $code, expected 2: $stderr"; fi
  if [ -e "$out" ]; then fail "$name" "the --json output file exists after the failure"; fi
  if ls -A "$work" | grep -q "^\.$name\.json\.tmp"; then fail "$name" "a temporary output file remains"; fi
  if [ "$(wc -l <"$work/$name.stderr")" -ne 1 ]; then fail "$name" "stderr is not one line: $stderr"; fi
  case "$stderr" in footloose:\ error:\ *) ;; *) fail "$name" "stderr does not start with 'footloose: error:': $stderr" ;; esac
  local text
  for text in "$@"; do
    grep -qF -- "$text" "$work/$name.stderr" || fail "$name" "stderr does not mention '$text': $stderr"
  done
}

# bad_config NAME TOML_TEXT TEXT... : write TOML_TEXT to NAME.toml and run `static` on it.
bad_config() {
  local name="$1" toml="$2"
  shift 2
  printf '%b' "$toml" >"$work/$name.toml"
  expect_bad_input "$name" "static --config $work/$name.toml" "$@"
}

bad_config unknown_key 'sigma = 4.0\nsigm = 4.0\n' "sigm" "did you mean 'sigma'" "valid keys: sigma, rho"
bad_config sigma_string 'sigma = "four"\n' "'sigma'" "sigma > 1" "must be a number"
bad_config beta_below_one 'sigma = 4.0\nrho = 3.0\n' "'rho' = 3" "rho > sigma - 1"
bad_config beta_from_sigma 'sigma = 8.0\n' "'rho' = 6" "rho > sigma - 1"
bad_config sE_half 'sE = 0.5\n' "'sE' = 0.5" "0.5 < sE < 1"
bad_config sE_above_one 'sE = 1.2\n' "'sE' = 1.2" "0.5 < sE < 1"
bad_config phi1_one 'phi1 = 1\n' "'phi1' = 1" "0 <= phi1 < 1"
bad_config delta_negative 'delta = -0.1\n' "'delta' = -0.1" "delta > 0"
bad_config rtol_large 'rtol = 0.5\n' "'rtol' = 0.5" "0 < rtol <= 0.001"
bad_config phi_path_word 'phi_path = "sudden"\n' "'phi_path'" "one of jump, linear, exponential"
bad_config malformed_toml 'sigma = 4.0\nrho = = 6.0\n' "malformed_toml.toml:2:" "malformed TOML"
expect_bad_input missing_file "static --config $work/no_such_file.toml" "no_such_file.toml" "cannot open config file"
expect_bad_input no_subcommand "" "subcommand is required"
expect_bad_input unknown_option "static --no-such-option" "--no-such-option"
expect_bad_input missing_output_dir "static --json $work/no_such_dir/out.json" "no_such_dir" "does not exist"

if [ "$failures" -ne 0 ]; then
  echo "cli_bad_input: $failures failure(s)" >&2
  exit 1
fi
echo "cli_bad_input: all cases passed"
