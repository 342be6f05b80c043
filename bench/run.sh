#!/usr/bin/env bash
# make bench: runs every bench/run-*.sh in name order with the build dir as
# argument. Each prints its own figures and ratios; none is a test.
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
echo "tally benchmarks — $(date -u +%Y-%m-%d) — $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for s in bench/run-*.sh; do
    [ -f "$s" ] || continue
    echo; echo "== $s"
    bash "$s" "$B" || echo "($s failed with status $?)"
done
