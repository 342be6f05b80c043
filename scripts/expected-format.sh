# Sourced by run-tests.sh and make-expected.sh: how a script's run is recorded.
# A test's .expected file is its stdout; if it wrote to stderr or exited with
# a non-zero status, these lines follow:
#     --- stderr ---
#     <stderr>
#     --- exit N ---
# The script runs from its own folder with its bare file name as argument, so
# tracebacks name it as `File "NAME.py"`.
# run_and_format INTERPRETER SCRIPT
run_and_format() {
    local interp=$1 py=$2 dir base out err rc
    dir=$(dirname "$py"); base=$(basename "$py")
    err=$(mktemp)
    rc=0; out=$(cd "$dir" && timeout 60 "$interp" "$base" 2>"$err" </dev/null) || rc=$?
    printf '%s' "$out"
    if [ -s "$err" ] || [ "$rc" -ne 0 ]; then
        printf '\n--- stderr ---\n%s\n--- exit %d ---' "$(sed "s|File \"$(cd "$dir" && pwd -P)/|File \"|g" "$err")" "$rc"
    fi
    rm -f "$err"
}
