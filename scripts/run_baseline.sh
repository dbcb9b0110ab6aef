#!/usr/bin/env bash
# Build, then run the main job on the baseline calibration of MODEL.md Section 4.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
build/footloose static --config experiments/baseline.toml --json out/baseline_static.json
