#!/usr/bin/env bash
# Runs the libFuzzer target fuzz_source for a number of seconds.
#   The corpus starts from every tests/py script (build-fuzz/corpus keeps what
#   the fuzzer adds between runs); inputs run in a scratch folder, since a
#   program may write files. A crash, a sanitizer report, a debug-heap
#   report, a leak or a time-out stops the run and leaves the input in
#   BUILD/crashes/; turn each into a test in tests/py/regress/.
# Usage: fuzz.sh BUILD_DIR SECONDS    Ends with "fuzz: N executions in S s".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/${1:-build-fuzz}
SECS=${2:-60}
mkdir -p "$B/corpus" "$B/crashes" "$B/work"
n=0
while IFS= read -r py; do
    n=$((n + 1))
    cp "$py" "$B/corpus/seed-$(echo "${py#$ROOT/tests/py/}" | tr / _)"
done < <(find "$ROOT/tests/py" -name '*.py' | sort)
echo "fuzz: $n seed scripts, $SECS s"
log=$B/fuzz.log
cd "$B/work" || exit 1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$B/fuzz_source" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=2048 -max_len=8192 \
    -close_fd_mask=2 -print_final_stats=1 -artifact_prefix="$B/crashes/" "$B/corpus" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_source:|artifact_prefix|Test unit written)' "$log" | head -20
tail -n 3 "$log" | grep -v '^stat::' || true
echo "fuzz: ${execs:-0} executions in $SECS s, corpus $(ls "$B/corpus" | wc -l) inputs"
if [ "$rc" -ne 0 ]; then
    echo "fuzz: FAILED (exit $rc): reproduce with $B/fuzz_source <input> (inputs in $B/crashes/); log in $log"
fi
exit $rc
