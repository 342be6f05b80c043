#!/usr/bin/env bash
# Interpreter workloads: each bench/py program under build/tally and under
# CPython 3.11 (Debian's /usr/bin/python3.11 when present, else python3),
# side by side. Outputs must match before anything is timed; then the two
# run alternately, RUNS times each, and the medians of wall time and peak RSS
# are printed with the ratios tally/CPython. A workload tally fails is
# reported and skipped; the others still run.
# Usage: run-python.sh BUILD_DIR [RUNS] [WORKLOAD...]   (default 5 runs, all)
set -u
B=${1:-build}
RUNS=${2:-${PY_BENCH_RUNS:-5}}
shift 2 2>/dev/null || shift $#
cd "$(dirname "$0")/.."
TALLY=$B/tally
PY=${PY_BENCH_PYTHON:-/usr/bin/python3.11}
[ -x "$PY" ] || PY=$(command -v python3)
LIMIT=${PY_BENCH_TIMEOUT:-300}

# name, script, argument: sizes chosen so CPython takes about a second.
WORKLOADS=(
    "binary-trees       binary_trees.py       15"
    "binary-trees-tuple binary_trees_tuple.py 15"
    "churn              churn.py              300000"
    "richards           richards.py           25"
    "nbody              nbody.py              200000"
)

if [ ! -x "$TALLY" ]; then
    make -s SAN=$([ "$B" = build-san ] && echo 1 || echo 0) "$TALLY" >/dev/null || {
        echo "($TALLY could not be built: interpreter workloads skipped)"; exit 0; }
fi

out=$(mktemp) ref=$(mktemp)
trap 'rm -f "$out" "$ref"' EXIT

# Prints "seconds kib" for one run of the command, or "fail" on a nonzero
# exit. GNU time when installed, else Python's getrusage around the child.
measure() {
    if [ -x /usr/bin/time ]; then
        local r
        r=$(/usr/bin/time -f '%x %e %M' timeout "$LIMIT" "$@" 2>&1 >/dev/null | tail -1)
        set -- $r
        if [ "$1" = 0 ]; then echo "$2 $3"; else echo fail; fi
    else
        "$PY" -c 'import resource,subprocess,sys,time
t=time.perf_counter(); r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
print("fail" if r.returncode else "%.2f %d"%(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))' \
            timeout "$LIMIT" "$@"
    fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "Interpreter workloads: $TALLY vs $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])')), median of $RUNS alternating runs"
printf '%-19s %7s | %8s %8s %6s | %9s %9s %6s\n' \
    workload arg "tally s" "CPy s" ratio "tally KiB" "CPy KiB" ratio
for w in "${WORKLOADS[@]}"; do
    read -r name script arg <<<"$w"
    if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
    if ! timeout "$LIMIT" "$PY" "bench/py/$script" "$arg" >"$ref" 2>&1; then
        echo "$name: CPython failed, skipped"; continue
    fi
    if ! timeout "$LIMIT" "$TALLY" "bench/py/$script" "$arg" >"$out" 2>&1; then
        echo "$name: tally failed (status $?): $(tail -1 "$out")"; continue
    fi
    if ! cmp -s "$out" "$ref"; then
        echo "$name: tally's output differs from CPython's:"
        diff "$ref" "$out" | head -5; continue
    fi
    tt=() tm=() pt=() pm=() failed=
    for ((i = 0; i < RUNS; i++)); do
        r=$(measure "$TALLY" "bench/py/$script" "$arg")
        [ "$r" = fail ] && { failed=1; break; }
        read -r a b <<<"$r"; tt+=("$a"); tm+=("$b")
        read -r a b <<<"$(measure "$PY" "bench/py/$script" "$arg")"
        pt+=("$a"); pm+=("$b")
    done
    [ -n "$failed" ] && { echo "$name: tally failed during timing"; continue; }
    T=$(printf '%s\n' "${tt[@]}" | median); M=$(printf '%s\n' "${tm[@]}" | median)
    P=$(printf '%s\n' "${pt[@]}" | median); Q=$(printf '%s\n' "${pm[@]}" | median)
    awk -v n="$name" -v g="$arg" -v t="$T" -v p="$P" -v m="$M" -v q="$Q" 'BEGIN {
        printf "%-19s %7s | %8.2f %8.2f %5.2fx | %9d %9d %5.2fx\n", n, g, t, p, t / p, m, q, m / q }'
done
echo "targets: time <= 1.0x on every workload, <= 0.6x on binary-trees; peak memory <= 0.7x on binary-trees"
