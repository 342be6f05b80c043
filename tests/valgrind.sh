#!/usr/bin/env bash
# Runs a sample of tests/py scripts under valgrind --leak-check=full
# --error-exitcode=1 with the plain build: no invalid read or write, no use of
# uninitialised memory, no leaked malloc block. The scripts are the ones the
# failure-injection test uses (tests/fault/scripts.txt), first VALGRIND_N (10).
# Ends with "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-build}
N=${VALGRIND_N:-10}
command -v valgrind >/dev/null || { echo "valgrind is not installed"; echo "0 passed, 1 failed"; exit 1; }
pass=0 fail=0
while IFS= read -r rel; do
    py=$ROOT/$rel; dir=$(dirname "$py"); log=$(mktemp)
    start=$(date +%s.%N)
    (cd "$dir" && valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 --log-file="$log" "$ROOT/$B/tally" "$(basename "$py")" >/dev/null 2>&1 </dev/null)
    rc=$?
    secs=$(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)")
    if [ "$rc" -eq 99 ] || [ -s "$log" ]; then
        fail=$((fail + 1)); echo "FAIL $rel (${secs}s)"; head -30 "$log" | sed 's/^/    /'
    else
        pass=$((pass + 1)); echo "ok   $rel (${secs}s)"
    fi
    rm -f "$log"
done < <(grep -v '^#' "$ROOT/tests/fault/scripts.txt" | grep . | head -n "$N")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
