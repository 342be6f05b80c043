#!/usr/bin/env bash
# Randomized stress programs (tests/stress/*.py) under BUILD/tally: seed
# after seed (1, 2, 3, ...) for SECONDS, at least one seed each. A run passes
# if it prints "stress: ok", exits 0 and leaves no heap block in use at exit
# (TALLY_EXIT_STATS); a failing seed is printed with its command.
# Usage: tests/stress/run.sh [BUILD_DIR] [SECONDS] [OPS]   (default build 60 20000)
# Ends with "N passed, N failed" (one test per program) and a line of totals.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-build}
SECS=${2:-60}
OPS=${3:-20000}
TALLY=$ROOT/$B/tally
[ -x "$TALLY" ] || { echo "$TALLY is not built"; echo "0 passed, 1 failed"; exit 1; }
pass=0 fail=0 runs=0 total_ops=0 total_nodes=0
end=$(( $(date +%s) + SECS ))
for py in "$ROOT"/tests/stress/*.py; do
    name=$(basename "$py")
    seed=1 bad=
    while :; do
        out=$(cd "$ROOT/tests/stress" && TALLY_EXIT_STATS=1 timeout 600 "$TALLY" "$name" --seed "$seed" --ops "$OPS" 2>&1)
        rc=$?
        runs=$((runs + 1))
        if [ "$rc" -ne 0 ] || ! grep -q '^stress: ok' <<<"$out" ||
            ! grep -q 'before the heap is released: 0 blocks' <<<"$out"; then
            bad="seed $seed: cd tests/stress && $B/tally $name --seed $seed --ops $OPS (exit $rc)"
            echo "$out" | tail -n 5 | sed 's/^/    /'
            break
        fi
        total_ops=$((total_ops + OPS))
        total_nodes=$((total_nodes + $(sed -n 's/^stress: ok .*, \([0-9]*\) nodes.*/\1/p' <<<"$out")))
        [ "$(date +%s)" -ge "$end" ] && break
        seed=$((seed + 1))
    done
    if [ -n "$bad" ]; then
        fail=$((fail + 1)); echo "FAIL tests/stress/$name: $bad"
    else
        pass=$((pass + 1)); echo "ok   tests/stress/$name: seeds 1..$seed"
    fi
done
echo "stress: $runs runs, $total_ops operations, $total_nodes objects made and freed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
