#!/usr/bin/env bash
# Installs the Debian packages tally's build and tests need, when missing.
# Runs from make; needs root (or sudo) only when something is missing.
set -euo pipefail
pkgs=(gcc make pkg-config clang libcmocka-dev libgmp-dev libedit-dev libmimalloc-dev python3 valgrind time)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
