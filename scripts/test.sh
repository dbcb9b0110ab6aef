#!/usr/bin/env bash
# Build everything and run the whole test suite (C++ Catch2 tests, CLI tests, Python tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
