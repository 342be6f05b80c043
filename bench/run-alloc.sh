#!/usr/bin/env bash
# Allocator: ns per allocate+free pair, libtally vs glibc malloc vs mimalloc,
# LIFO and random replacement, 16..256-byte blocks (bench/alloc_bench.c).
# Usage: run-alloc.sh BUILD_DIR [REPETITIONS]
set -eu
B=${1:-build}
REPS=${2:-${ALLOC_REPS:-7}}
cd "$(dirname "$0")/.."
SAN=0; [ "$B" = build-san ] && SAN=1
make -s SAN=$SAN "$B/bench/alloc_bench" >/dev/null
[ "$SAN" = 1 ] && echo "(sanitizer build: figures are not meaningful)"
"$B/bench/alloc_bench" "$REPS"
