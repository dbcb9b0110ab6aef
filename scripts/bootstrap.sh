#!/usr/bin/env bash
# Installs the project's Debian build dependencies if any is missing (idempotent).
# Needs root (or sudo) and Debian's package mirror; nothing else is downloaded.
set -euo pipefail
packages=(build-essential cmake libsundials-dev libeigen3-dev libboost-dev catch2
          libcli11-dev libtomlplusplus-dev nlohmann-json3-dev pybind11-dev
          python3-dev python3-numpy python3-matplotlib python3-pandas python3-pytest
          libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "bootstrap: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
