#!/usr/bin/env bash
# Reruns every reliability mode and writes docs/reliability.md with the
# figures of this run. Usage: reliability-report.sh [FUZZ_SECONDS]   (60)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
FUZZ_SECS=${1:-60}
tmp=$(mktemp -d)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# run NAME COMMAND...: output in $tmp/NAME, seconds in $tmp/NAME.secs
run() {
    local name=$1; shift
    local t0=$(date +%s)
    "$@" > "$tmp/$name" 2>&1
    echo $? > "$tmp/$name.rc"
    echo $(( $(date +%s) - t0 )) > "$tmp/$name.secs"
    echo "$name: $(tail -n 1 "$tmp/$name") ($(cat "$tmp/$name.secs") s)"
}
last() { tail -n 1 "$tmp/$1"; }
secs() { cat "$tmp/$1.secs"; }
xfail() { local v; v=$(sed -n 's/^known failures (tests\/py\/xfail.txt): \([0-9]*\) still failing.*/\1/p' "$tmp/$1"); echo "${v:-0}"; }

make -s all >/dev/null 2>&1
run test make -s test
run debugheap make -s test-debugheap
run san make -s test SAN=1
export FAULT_SUMMARY=$tmp/fault.summary
run fault make -s test-fault
run valgrind make -s test-valgrind
run fuzz make -s fuzz SECONDS="$FUZZ_SECS"
run stress make -s stress SECONDS=60

f() { sed -n "s/^$1=//p" "$FAULT_SUMMARY" | head -n 1; }
nscripts=$(grep -c '^script=' "$FAULT_SUMMARY")
npy=$(find tests/py -name '*.expected' | wc -l)
fuzz_line=$(grep '^fuzz: [0-9]* executions' "$tmp/fuzz" | tail -n 1)
fuzz_crash=$(ls build-fuzz/crashes 2>/dev/null | wc -l)
outcome() { local v; v=$(f "outcome_$1"); echo "${v:-0}"; }
lib_points=$(sed -n 's/^# total: \([0-9]*\) failure points/\1/p' "$tmp/fault" | tail -n 1)
lib_ops=$(grep -c '^# op_[a-z_]*: ' "$tmp/fault")
stress_line=$(grep '^stress: [0-9]* runs' "$tmp/stress" | tail -n 1)

cat > docs/reliability.md <<DOC
# Reliability: what is tested, and how

Written by \`make reliability-report\` (scripts/reliability-report.sh), which
reruns every mode below; the figures are those of its last run
($(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)).

| mode | command | what it proves | last run |
|---|---|---|---|
| suite | \`make test\` | C library tests, then the $npy tests/py scripts against CPython 3.11's output, each ending with no heap block in use | $(last test) ($(xfail test) known failures listed in tests/py/xfail.txt), $(secs test) s |
| debug heap | \`make test-debugheap\` | the same with TALLY_MALLOC=debug: poisoned fresh and freed memory, guard bytes, double-free and write-after-free checks on every block | $(last debugheap), $(secs debugheap) s |
| sanitizers | \`make test SAN=1\` | the same built with AddressSanitizer + UndefinedBehaviorSanitizer | $(last san), $(secs san) s |
| failure injection | \`make test-fault\` | every allocation of start-up and of $nscripts scripts made to fail in turn (below) | $(last fault), $(secs fault) s |
| valgrind | \`make test-valgrind\` | ten scripts under valgrind --leak-check=full | $(last valgrind), $(secs valgrind) s |
| fuzzing | \`make fuzz SECONDS=N\` | libFuzzer over source text (below) | ${fuzz_line#fuzz: }; $fuzz_crash crashing inputs kept |
| stress | \`make stress SECONDS=N\` | randomized object graphs against independent bookkeeping (below), 60 s | ${stress_line#stress: }; $(last stress) |

CI (.ci/run) runs all of them, the fuzzer and the stress programs for 60
seconds each.

## Library failure injection

\`tests/lib/test_fault_lib.c\` runs $lib_ops library operations (raw blocks
and realloc; a graph of cycles with finalizers; weak references with
callbacks; resurrecting and legacy finalizers; collector callbacks and
freeze) on a fresh debug heap failing at allocation 1, 2, ... until the
operation completes with nothing failed, then with every allocation from
the N-th on failing (SQLite's way). Each run must stop cleanly on the NULL,
leave no block behind after a full collection, and leave the collector's
lists valid. It runs in every \`make test\` mode; \`make test-fault\` runs it
first: $lib_points failure points in the last run.

## Allocation-failure injection

\`tests/fault/run.sh\` runs each script once with \`TALLY_STATS=1\` and the
failure hook armed past the end, which prints the run's allocation count;
then once per failure point N with \`TALLY_FAIL_ALLOC=N\` (the N-th heap
allocation returns NULL), under the ASan+UBSan build with the debug heap on.
Start-up is the same for every script, so it is swept once (an empty script,
every 25th point); each script is then tried at every point from the end of
start-up for 300 points, then every 25th to its end and through shutdown.
A run passes if it ends with status 0, or status 1 and a MemoryError (or the
script's own error) as the last line of stderr, with no signal, no sanitizer
report, no debug-heap report. Outcomes of the last run:

| | |
|---|---|
| start-up allocations (empty script) | $(f startup_allocations) |
| failure points tried | $(f points) in $(f seconds) s |
| absorbed (exit 0) | $(outcome ok) |
| MemoryError (exit 1) | $(( $(outcome memoryerror) + $(outcome memoryerror-notb) )), of which $(outcome memoryerror-notb) without a traceback |
| the script's own expected error | $(outcome expected) |
| start-up failed ("failed to start the interpreter") | $(outcome startup) |
| known unclean endings (tests/fault/known.txt) | $(f known) |
| new unclean endings (fail the test) | $(( $(f points) - $(outcome ok) - $(outcome memoryerror) - $(outcome memoryerror-notb) - $(outcome expected) - $(outcome startup) - $(f known) )) |
| runs leaving heap blocks behind | $(f leaky) |

Per script (allocations of a whole run):

$(sed -n 's/^script=\(.*\) allocations=\(.*\)/- `\1`: \2/p' "$FAULT_SUMMARY")

Each MemoryError is an instance of its own (from a reserve refilled as they
die) and carries a traceback; those that end without one failed before any
Python frame ran (reading or compiling the script). Scale the run
up with FAULT_INIT_STEP=1 FAULT_DENSE=2000 FAULT_STEP=5; failing runs are
recorded with their reproducing command in build-san/fault/.

## Fuzzing

\`fuzz/fuzz_source.c\` gives each input a fresh interpreter and heap:
\`py_init\`, the input compiled as a module and run as \`__main__\`, then
\`py_fini\` and \`py_release\`. Every run ends: the fuzzing build's VM
(PY_STEP_BUDGET) gives it 20,000 calls and backward jumps, after which each
one raises RuntimeError, and its heap is capped at 64 MiB
(tl_heap_set_limit); only inputs that would sleep or read stdin are compiled
without running. A heap
block still in use at release fails the input, as does any sanitizer report.
The corpus is seeded with every tests/py script; build-fuzz/corpus keeps what
the fuzzer adds. Crashing inputs are kept in build-fuzz/crashes/ and become
tests in tests/py/regress/.

## Hostile input, limits and reference counts

- Deep nesting in source (\`tests/py/regress/hostile_source.py\`): 300
  brackets, 100,000 operators, 5,000 calls or attributes, 101 indentation
  levels, 21 nested loops or 30 \`with\` blocks each end in CPython's
  SyntaxError, IndentationError, RecursionError or MemoryError, word for
  word; code just inside the limits runs.
- Invalid UTF-8: in a script (\`tests/cli/bad_utf8_source\`, CPython's
  "Non-UTF-8 code" SyntaxError) and in a file read with open()
  (\`tests/py/regress/bad_utf8_file.py\`, UnicodeDecodeError).
- Runaway memory: \`-X max-memory=SIZE\` caps the heap
  (\`tl_heap_set_limit\`); past it allocations fail and the program sees
  MemoryError with its traceback, 1/16 of the cap being granted to report it
  (\`tests/py/tally-only/runaway_memory.py\`). Infinite recursion:
  RecursionError (\`tests/py/lang/err_recursion_error.py\`).
- Reference counts (\`tests/lib/test_debug_heap.c\`): a count driven into the
  immortal band saturates there and the object is never freed; a decref
  below zero writes a freed, poisoned block and the debug heap reports it.

## Stress

\`tests/stress/graph.py\` builds and mutates graphs with cycles, finalizers
that resurrect and rewire their node, weak-reference callbacks that drop
other roots and \`gc.collect()\` at random points; each node's token marks
its death, and the program checks that every finalizer ran once, every
node died once and none while reachable, and that nothing is left; the
runner wants 0 heap blocks at exit. CPython 3.11 prints the same for the
same seed. \`make test\` runs one seed of 2,000 operations.

## Valgrind

The pooled heap hands out blocks valgrind does not see individually, so
valgrind checks what lies outside the pools (large blocks, GMP, the C
library) and every read of uninitialised memory; the debug heap and ASan
cover the pools.
DOC
rm -rf "$tmp"
echo "wrote docs/reliability.md"
