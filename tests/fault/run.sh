#!/usr/bin/env bash
# Allocation-failure injection over the interpreter.
#
# For each script listed in tests/fault/scripts.txt, a first run with
# TALLY_FAIL_ALLOC set past its end and TALLY_STATS=1 tells how many heap
# allocations the whole run makes (start-up, script, shutdown). Then the
# script runs again once per failure point N (TALLY_FAIL_ALLOC=N: the N-th
# allocation fails), with the debug heap on, and each run must end cleanly:
#   - no signal, no sanitizer report, no debug-heap report, no time-out;
#   - exit status 0 (the failure was absorbed), or
#   - exit status 1 with, as the last line of stderr, a MemoryError, the
#     start-up failure line, or the script's own final error line (from its
#     .expected file), or
#   - the script's own expected exit status and last line.
# Blocks left in the heap after a MemoryError (TALLY_EXIT_STATS) are counted
# and reported, not failed on, unless FAULT_LEAKS_FATAL=1.
#
# Which N: start-up is the same for every script, so it is swept once, on an
# empty script, every FAULT_INIT_STEP-th point. For each listed script, every
# point from the end of start-up on is tried up to FAULT_DENSE points, then
# every FAULT_STEP-th. FAULT_JOBS runs go in parallel.
#
# Usage: tests/fault/run.sh [BUILD_DIR]   (default build-san)
# The defaults keep CI near a minute on 2 cores; a thorough local run:
#   FAULT_INIT_STEP=1 FAULT_DENSE=2000 FAULT_STEP=5 make test-fault
# Env:   FAULT_INIT_STEP (default 25), FAULT_DENSE (300), FAULT_STEP (25),
#        FAULT_JOBS (nproc), FAULT_SCRIPTS (a list of paths instead of
#        scripts.txt), FAULT_LEAKS_FATAL (0), FAULT_LOG (where failing runs
#        are recorded; default BUILD_DIR/fault), FAULT_SUMMARY (a file that
#        receives the figures as KEY=VALUE lines).
# Ends with "N passed, N failed", one test per script (start-up included).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# --- one run: prints "N OUTCOME LEAKBLOCKS" ----------------------------------
if [ "${1:-}" = "--one" ]; then
    shift
    tally=$1 script=$2 n=$3 want_rc=$4 want_last=$5
    dir=$(dirname "$script"); base=$(basename "$script")
    err=$(mktemp)
    rc=0
    (cd "$dir" && TALLY_MALLOC=debug TALLY_FAIL_ALLOC=$n TALLY_EXIT_STATS=1 \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        timeout 30 "$tally" "$base" >/dev/null 2>"$err" </dev/null) || rc=$?
    leak=$(sed -n 's/^tally: at exit, before the heap is released: \([0-9]*\) blocks.*/\1/p' "$err")
    # The last line of stderr that is not part of an "Exception ignored in"
    # report (a __del__ of a half-made object may fail after the MemoryError
    # that ended the program was printed).
    last=$(grep -v '^tally: at exit, before the heap is released' "$err" | awk '
        /^Exception ignored in/ { ign = 1; next }
        /^Traceback \(most recent call last\):$/ || /^[ \t]/ || /^$/ { next }
        ign { ign = 0; next }
        { last = $0 }
        END { print last }')
    outcome=
    if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|tally: debug heap:' "$err"; then
        outcome=sanitizer
    elif [ "$rc" -eq 124 ]; then
        outcome=timeout
    elif [ "$rc" -gt 1 ] && [ "$rc" != "$want_rc" ]; then
        outcome=status$rc
    elif [ "$rc" -eq 0 ]; then
        outcome=ok
    elif [[ "$last" == MemoryError* ]]; then
        outcome=memoryerror
        grep -q '^Traceback (most recent call last):' "$err" || outcome=memoryerror-notb
    elif [ "$last" = "tally: failed to start the interpreter" ]; then
        outcome=startup
    elif [ "$rc" = "$want_rc" ] && [ "$last" = "$want_last" ]; then
        outcome=expected
    else
        outcome=badexit
    fi
    if [[ "$outcome" != ok && "$outcome" != memoryerror* && "$outcome" != startup && "$outcome" != expected ]] \
        && [ -n "${FAULT_LOG:-}" ]; then
        mkdir -p "$FAULT_LOG"
        f="$FAULT_LOG/$(echo "${script#$ROOT/}" | tr / _).$n"
        { echo "cd $dir && TALLY_MALLOC=debug TALLY_FAIL_ALLOC=$n $tally $base"
          echo "exit $rc"; cat "$err"; } > "$f"
    fi
    # What a failing run is known by: the sanitizer's first frame in tally's
    # own code (function and file, no line), or else the last line of stderr.
    sig=
    case "$outcome" in
        ok|memoryerror*|startup|expected) ;;
        sanitizer|status*)
            sig=$(grep -m1 -oE 'runtime error: .*|ERROR: [A-Za-z]*Sanitizer: [a-z-]*|debug heap: [^:]*' "$err" | sed 's/ on address.*//; s/ of type .*//')
            fr=$(grep -m1 -E '#[0-9]+ 0x[0-9a-f]+ in [a-z_0-9]+ .*(src|include)/' "$err" | sed -E 's/.* in ([a-z_0-9]+) .*((src|include)\/[a-z_/]+\.[ch]).*/\1 \2/')
            if [ -n "$sig" ]; then sig="$outcome: $sig at ${fr:-?}"; else sig="$outcome: $last"; fi ;;
        *) sig="$outcome: $last" ;;
    esac
    rm -f "$err"
    echo "$n $outcome ${leak:-?} $sig"
    exit 0
fi

B=${1:-build-san}
TALLY=$ROOT/$B/tally
[ -x "$TALLY" ] || { echo "$TALLY is not built"; echo "0 passed, 1 failed"; exit 1; }
INIT_STEP=${FAULT_INIT_STEP:-25}
DENSE=${FAULT_DENSE:-300}
STEP=${FAULT_STEP:-25}
JOBS=${FAULT_JOBS:-$(nproc 2>/dev/null || echo 2)}
export FAULT_LOG=${FAULT_LOG:-$ROOT/$B/fault}
rm -rf "$FAULT_LOG"
if [ -n "${FAULT_SCRIPTS:-}" ]; then
    scripts=($FAULT_SCRIPTS)
else
    mapfile -t scripts < <(grep -v '^#' "$ROOT/tests/fault/scripts.txt" | grep .)
fi

# Allocations of a whole run with nothing failing (the count is kept while the
# failure hook is armed, so it is armed past the end).
count_allocations() {
    local dir base
    dir=$(dirname "$1"); base=$(basename "$1")
    (cd "$dir" && TALLY_STATS=1 TALLY_FAIL_ALLOC=1000000000000 ASAN_OPTIONS=detect_leaks=0 \
        timeout 60 "$TALLY" "$base" 2>&1 >/dev/null </dev/null) |
        sed -n 's/^tally: stats: \([0-9]*\) allocations.*/\1/p'
}

# The script's own exit status and last stderr line, from its .expected file.
expected_ending() {
    local exp=${1%.py}.expected
    want_rc=0 want_last=
    [ -f "$exp" ] || return
    local r
    r=$(sed -n 's/^--- exit \([0-9]*\) ---$/\1/p' "$exp" | tail -n 1)
    [ -n "$r" ] || return
    want_rc=$r
    want_last=$(grep -B1 '^--- exit [0-9]* ---$' "$exp" | head -n 1)
}

pass=0 fail=0 total_runs=0 total_leaky=0 total_points=0
declare -A outcomes
summary() { [ -n "${FAULT_SUMMARY:-}" ] && echo "$1" >> "$FAULT_SUMMARY"; return 0; }
[ -n "${FAULT_SUMMARY:-}" ] && : > "$FAULT_SUMMARY"

# Known failures: signatures (as printed under a FAIL) of runs that do not
# end cleanly today, one a line; such runs are counted, not failed on.
declare -A known_sig
while IFS= read -r line; do
    [[ -z "$line" || "$line" == \#* ]] && continue
    known_sig["$line"]=1
done < <(cat "$ROOT/tests/fault/known.txt" 2>/dev/null)
total_known=0
declare -A seen_sig

# run_points NAME SCRIPT WANT_RC WANT_LAST N...
run_points() {
    local name=$1 script=$2 wrc=$3 wlast=$4; shift 4
    local res leaky runs n o l sig nbad=0 nknown=0 report=
    res=$(printf '%s\n' "$@" | xargs -P "$JOBS" -I{} bash "$0" --one "$TALLY" "$script" {} "$wrc" "$wlast" 2>/dev/null | sort -n)
    runs=$#
    leaky=$(awk '$3 != "?" && $3 != 0' <<<"$res" | wc -l)
    total_runs=$((total_runs + runs)); total_leaky=$((total_leaky + leaky))
    while read -r n o l sig; do
        [ -n "$n" ] || continue
        outcomes[$o]=$(( ${outcomes[$o]:-0} + 1 ))
        [ -n "$sig" ] || continue
        if [ -n "${known_sig[$sig]:-}" ]; then
            nknown=$((nknown + 1))
        else
            nbad=$((nbad + 1))
        fi
        if [ -z "${seen_sig[$name$sig]:-}" ]; then
            seen_sig[$name$sig]=1
            report+="    N=$n${known_sig[$sig]:+ (known)}: $sig"$'\n'
        fi
    done <<<"$res"
    total_known=$((total_known + nknown))
    local counts
    counts=$(awk '{print $2}' <<<"$res" | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')
    if [ "$nbad" -gt 0 ] || { [ "${FAULT_LEAKS_FATAL:-0}" = 1 ] && [ "$leaky" -gt 0 ]; }; then
        fail=$((fail + 1))
        echo "FAIL $name: $runs failure points: ${counts%, }; $nknown known; $leaky leaving blocks behind"
    else
        pass=$((pass + 1))
        echo "ok   $name: $runs failure points: ${counts%, }; $nknown known; $leaky leaving blocks behind"
    fi
    printf '%s' "$report"
}

start=$(date +%s)
empty=$(mktemp -d)/empty.py
: > "$empty"
init=$(count_allocations "$empty")
[ -n "$init" ] || { echo "could not count the allocations of an empty script"; echo "0 passed, 1 failed"; exit 1; }
summary "startup_allocations=$init"
run_points "start-up and shutdown (empty script, $init allocations)" "$empty" 0 "" \
    $(seq 1 "$INIT_STEP" "$((init + 5))")
rm -rf "$(dirname "$empty")"

for rel in "${scripts[@]}"; do
    py=$ROOT/$rel
    [ -f "$py" ] || { echo "FAIL $rel: no such script"; fail=$((fail + 1)); continue; }
    total=$(count_allocations "$py")
    if [ -z "$total" ]; then echo "FAIL $rel: could not count its allocations"; fail=$((fail + 1)); continue; fi
    expected_ending "$py"
    # Start-up points are covered above; a script's own begin just before
    # the end of start-up: start a little early.
    from=$(( init > 20 ? init - 20 : 1 ))
    dense_end=$(( from + DENSE - 1 ))
    pts=$(seq "$from" "$(( dense_end < total + 5 ? dense_end : total + 5 ))")
    [ "$dense_end" -lt "$total" ] && pts="$pts $(seq "$((dense_end + STEP))" "$STEP" "$((total + 5))")"
    run_points "$rel ($total allocations)" "$py" "$want_rc" "$want_last" $pts
    summary "script=$rel allocations=$total"
done
secs=$(( $(date +%s) - start ))

echo
echo "failure points tried: $total_runs in ${secs}s; outcomes:$(for o in "${!outcomes[@]}"; do printf ' %s=%s' "$o" "${outcomes[$o]}"; done)"
echo "runs that left heap blocks behind: $total_leaky; runs ending as a known failure: $total_known"
summary "known=$total_known"
summary "points=$total_runs"
summary "seconds=$secs"
summary "leaky=$total_leaky"
for o in "${!outcomes[@]}"; do summary "outcome_$o=${outcomes[$o]}"; done
summary "passed=$pass"
summary "failed=$fail"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
