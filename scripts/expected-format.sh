# Sourced by run-tests.sh and make-expected.sh: how a script's run is recorded.
# A test's .expected file is its stdout; if it wrote to stderr or exited with
# a non-zero status, these lines follow:
#     --- stderr ---
#     <stderr>
#     --- exit N ---
# The script runs from its own folder with its bare file name as argument, so
# tracebacks name it as `File "NAME.py"`; a first line "# options: OPTS" puts
# OPTS before it.
# run_and_format INTERPRETER SCRIPT
run_and_format() {
    local interp=$1 py=$2 dir base out err rc
    dir=$(dirname "$py"); base=$(basename "$py")
    err=$(mktemp)
    # TALLY_EXIT_STATS=1 makes tally report on stderr the heap blocks still in
    # use at exit; that line is taken out of stderr here, and a script that
    # leaves any block behind gets a "--- leak ---" line, so it cannot match.
    # A script whose first line is "# options: OPTS" runs as INTERP OPTS NAME.py
    # (tally-only scripts use it for -X options CPython does not have).
    local opts
    opts=$(sed -n '1s/^# options: //p' "$py")
    rc=0; out=$(cd "$dir" && TALLY_EXIT_STATS=1 timeout 60 "$interp" $opts "$base" 2>"$err" </dev/null) || rc=$?
    local leak
    leak=$(grep -o 'at exit, before the heap is released: [0-9]* blocks' "$err" | grep -v ': 0 blocks' || true)
    if grep -q 'at exit, before the heap is released' "$err"; then
        grep -v 'at exit, before the heap is released' "$err" > "$err.x"; mv "$err.x" "$err"
    fi
    printf '%s' "$out"
    if [ -s "$err" ] || [ "$rc" -ne 0 ]; then
        printf '\n--- stderr ---\n%s\n--- exit %d ---' "$(sed "s|File \"$(cd "$dir" && pwd -P)/|File \"|g" "$err")" "$rc"
    fi
    if [ -n "$leak" ]; then printf '\n--- leak: %s still in use ---' "${leak##*: }"; fi
    rm -f "$err"
}

# run_cli_case INTERPRETER CASE.sh: a tests/cli case, recorded as above, with
# the interpreter's own path at the start of a line written INTERP and the
# case's folder written <dir>.
run_cli_case() {
    local interp=$1 case=$2 root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    CLI_INTERP=$interp run_and_format "$root/scripts/cli-case.sh" "$case" |
        sed -E -e 's#^[^ ]*(python3(\.[0-9]+)?|tally): #INTERP: #' -e "s#$(cd "$(dirname "$case")" && pwd -P)/#<dir>/#g"
}
