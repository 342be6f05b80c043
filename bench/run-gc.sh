#!/usr/bin/env bash
# GC pause: one full collection over 100,000 / 1,000,000 / 4,000,000 tracked
# objects (bench/gc_pause.c), beside CPython's gc.collect() on the same graph
# shapes (bench/gc_pause.py under /usr/bin/python3.11), in one run.
# Prints ns per tracked object for both and the ratio tally/CPython.
# Usage: run-gc.sh BUILD_DIR [N...]
set -eu
B=${1:-build}
shift || true
cd "$(dirname "$0")/.."
PY=${GC_BENCH_PYTHON:-/usr/bin/python3.11}
make -s "$B/bench/gc_pause" >/dev/null
t=$(mktemp) c=$(mktemp)
trap 'rm -f "$t" "$c"' EXIT
"$B/bench/gc_pause" "$@" >"$t"
if [ -x "$PY" ]; then
    "$PY" bench/gc_pause.py "$@" >"$c"
else
    echo "($PY not found: CPython column empty)"
fi
echo "GC pause, full collection, ns per tracked object (best of 3-5)"
echo "python: $PY $("$PY" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || true)"
awk 'NR == FNR { cp[$1 " " $2] = $3; next }
     BEGIN { printf "%-8s %9s %10s %10s %8s\n", "shape", "objects", "tally", "cpython", "ratio" }
     { k = $1 " " $2; r = (k in cp && cp[k] > 0) ? sprintf("%.2fx", $3 / cp[k]) : "-";
       printf "%-8s %9s %10.2f %10s %8s\n", $1, $2, $3, (k in cp ? cp[k] : "-"), r }' "$c" "$t"
