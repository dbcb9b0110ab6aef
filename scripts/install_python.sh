#!/usr/bin/env bash
# Makes `import footloose` work from any directory with Debian's /usr/bin/python3: writes a .pth
# file naming this checkout's build/python into the interpreter's site directory (needs root or
# sudo; run by scripts/build.sh). Without write access it says how to use PYTHONPATH instead.
set -euo pipefail
cd "$(dirname "$0")/.."
module_dir="$(pwd)/build/python"
python=/usr/bin/python3
site="$($python -c 'import site; print(site.getsitepackages()[0])')"
pth="$site/footloose.pth"
if [ "$(cat "$pth" 2>/dev/null)" = "$module_dir" ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "install_python: cannot write $pth; use: PYTHONPATH=$module_dir $python" >&2
    exit 0
  fi
fi
$SUDO mkdir -p "$site"
echo "$module_dir" | $SUDO tee "$pth" >/dev/null
echo "install_python: $python now finds footloose in $module_dir (via $pth)" >&2
