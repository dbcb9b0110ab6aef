#!/usr/bin/env bash
# Fuzz the config reader (config_from_toml_text, fuzz/config_fuzzer.cpp) with libFuzzer.
#   bash scripts/fuzz.sh [SECONDS]          (default 600; 0: only merge the previous run's inputs)
# Builds build-fuzz/ with clang (-DFOOTLOOSE_FUZZ=ON; ASan + UBSan + libFuzzer), fuzzes for
# SECONDS starting from the kept corpus fuzz/corpus/config/, then merges the new inputs that
# reach new coverage back into fuzz/corpus/config/ (libFuzzer's set-cover merge, capped at
# FUZZ_CORPUS_MAX_FILES files, default 190: see fuzz/select_corpus.py) and prints a summary.
# Crash inputs are written to build-fuzz/fuzz-artifacts/; exit status 1 if there is any.
# Environment: FUZZ_JOBS=N runs N fuzzing processes in parallel (default 1);
#              FUZZ_NO_MERGE=1 leaves the kept corpus untouched;
#              FUZZ_CORPUS_MAX_FILES=N caps the kept corpus at N files (default 190).
# See docs/robustness.md.
set -euo pipefail

build=build-fuzz
corpus=fuzz/corpus/config
work="$build/fuzz-work"
new="$work/new-inputs"          # inputs the fuzzer found in this run (scratch, not kept)
artifacts="$build/fuzz-artifacts"
log="$work/fuzz.log"
stamp="$work/start-stamp"       # artifacts older than this are from earlier runs
fuzzer="$build/fuzz/config_fuzzer"

install_clang() {  # Debian's clang ships libFuzzer in libclang-rt-14-dev.
  bash scripts/bootstrap.sh
  local missing=() p
  for p in clang libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -ne 0 ]; then
    local SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# merge: copy the new inputs that add coverage into the kept corpus, within the file budget. A
# set-cover merge pass (edges only) records every input's edges in a control file, and
# fuzz/select_corpus.py copies the inputs adding the most edges until the corpus holds
# FUZZ_CORPUS_MAX_FILES files. Prints select_corpus.py's line.
merge() {
  # (libFuzzer would "resume" a control file left by an earlier merge: start afresh.)
  rm -rf "$work/merge-scratch" "$work/merge.ctl" && mkdir -p "$work/merge-scratch"
  "$fuzzer" -set_cover_merge=1 -use_counters=0 -merge_control_file="$work/merge.ctl" \
      -artifact_prefix="$artifacts/" "$work/merge-scratch" "$corpus" "$new" >"$work/merge.log" 2>&1 || true
  rm -rf "$work/merge-scratch"
  python3 fuzz/select_corpus.py "$work/merge.ctl" "$corpus" "${FUZZ_CORPUS_MAX_FILES:-190}"
}

main() {
  cd "$(dirname "$0")/.."
  local seconds="${1:-600}"
  install_clang
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DFOOTLOOSE_FUZZ=ON -DFOOTLOOSE_TESTS=OFF -DFOOTLOOSE_PYTHON=OFF >/dev/null
  cmake --build "$build" --target config_fuzzer -j"$(nproc)"

  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:detect_leaks=1"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

  local files_before status=0 elapsed=0 selection=""
  files_before=$(find "$corpus" -type f | wc -l)
  if [ "$seconds" = 0 ]; then
    [ -d "$new" ] || { echo "fuzz.sh: no $new to merge" >&2; exit 2; }
    mkdir -p "$artifacts" && touch "$stamp"
    echo "fuzz.sh: merge only, from the $(find "$new" -type f | wc -l) inputs of the previous run"
  else
    rm -rf "$new" && mkdir -p "$new" "$artifacts" "$work" && touch "$stamp"
    local options=(-max_total_time="$seconds" -dict=fuzz/config.dict -timeout=10 -rss_limit_mb=2048
                   -artifact_prefix="$artifacts/" -print_final_stats=1)
    local jobs="${FUZZ_JOBS:-1}"
    if [ "$jobs" -gt 1 ]; then options+=(-fork="$jobs" -ignore_crashes=1); fi
    echo "fuzz.sh: fuzzing for $seconds s from $files_before corpus files (log: $log)"
    local start; start=$(date +%s)
    # New inputs go to the first directory ($new); the kept corpus is only read.
    "$fuzzer" "${options[@]}" "$new" "$corpus" >"$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - start ))
  fi
  if [ "${FUZZ_NO_MERGE:-0}" != 1 ]; then selection=$(merge); fi
  local added=$(( $(find "$corpus" -type f | wc -l) - files_before ))

  echo
  echo "==== fuzz.sh summary ===="
  if [ "$seconds" != 0 ]; then
    echo "fuzzer exit status: $status (wall time ${elapsed} s)"
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" "$log" | sort -u || true
    grep -E "^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)" "$log" | tail -n 1 || true
  fi
  echo "corpus $corpus: $(find "$corpus" -type f | wc -l) files ($added added by the merge), $(du -sb "$corpus" | cut -f1) bytes"
  if [ -n "$selection" ]; then echo "$selection"; fi
  local crashes
  crashes=$(find "$artifacts" -type f -newer "$stamp" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  echo "artifacts (crash/leak/timeout/oom) in $artifacts: $crashes"
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    echo "fuzz.sh: FINDING — see $log and $artifacts/ (reproduce: $fuzzer <artifact>)" >&2
    grep -E "config_fuzzer finding|ERROR: |SUMMARY: " "$log" | head -n 20 >&2 || true
    exit 1
  fi
  echo "fuzz.sh: no crash, every rejection had a clear message"
}

# (All in functions: bash reads the file whole, so editing it during a run is harmless.)
main "$@"
