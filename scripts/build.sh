#!/usr/bin/env bash
# Bootstrap dependencies, then configure and build (Release) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
# `import footloose` from any directory (Debian's python3): a .pth file naming build/python.
bash scripts/install_python.sh
