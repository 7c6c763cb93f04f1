#!/usr/bin/env bash
# One-line set-up for a fresh Debian 12 machine (root, or a user with sudo).
#   bash tools/setup.sh run    install missing packages, build, run the national default
#   bash tools/setup.sh test   install missing packages, build, run the whole test suite
# Idempotent: installs only what is missing, rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

mapfile -t wanted < <(grep -v '^\s*#' tools/debian-packages.txt | sed '/^\s*$/d')
missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs="$(nproc 2>/dev/null || echo 2)"
if [ ! -f build/release/CMakeCache.txt ]; then cmake --preset release -G Ninja >/dev/null; fi
cmake --build build/release -j "$jobs"

case "$mode" in
  run)
    ./build/release/twin/twin run --out out/genesis-national
    ;;
  test)
    ctest --test-dir build/release --output-on-failure -j "$jobs"
    ;;
  *)
    echo "usage: bash tools/setup.sh run|test" >&2
    exit 2
    ;;
esac
