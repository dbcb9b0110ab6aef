#!/usr/bin/env bash
# Build, then run the main job on the baseline calibration of docs/model.md Section 4: the static
# equilibria, then the transition path (out/baseline_path.json, out/baseline_path.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
build/footloose static --config experiments/baseline.toml --json out/baseline_static.json
build/footloose path --config experiments/baseline.toml --json out/baseline_path.json --csv out/baseline_path.csv
