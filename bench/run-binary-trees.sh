#!/usr/bin/env bash
# binary-trees: libtally (reference-counted nodes) against plain malloc/free.
# Wall time and peak RSS of each, and the ratios tally/plain.
# Usage: run-binary-trees.sh BUILD_DIR [DEPTH]   (default depth 18)
set -eu
B=${1:-build}
DEPTH=${2:-${BT_DEPTH:-18}}
cd "$(dirname "$0")/.."
SAN=0; [ "$B" = build-san ] && SAN=1
make -s SAN=$SAN "$B/examples/binary_trees" "$B/examples/binary_trees_plain" >/dev/null

# Prints "seconds kib" for one run of the command.
measure() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1
    else
        python3 -c 'import resource,subprocess,sys,time
t=time.perf_counter(); subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,check=True)
print("%.2f %d"%(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))' "$@"
    fi
}

# Best of three runs each, alternating.
best() { sort -n | head -1; }
t_runs=(); p_runs=()
for i in 1 2 3; do
    t_runs+=("$(measure "$B/examples/binary_trees" "$DEPTH")")
    p_runs+=("$(measure "$B/examples/binary_trees_plain" "$DEPTH")")
done
read -r tt tm <<<"$(printf '%s\n' "${t_runs[@]}" | best)"
read -r pt pm <<<"$(printf '%s\n' "${p_runs[@]}" | best)"
echo "binary-trees depth $DEPTH (best of 3)"
printf '%-20s %8s %12s\n' "" "seconds" "peak RSS KiB"
printf '%-20s %8s %12s\n' "tally (refcount)" "$tt" "$tm"
printf '%-20s %8s %12s\n' "plain malloc/free" "$pt" "$pm"
awk -v a="$tt" -v b="$pt" -v c="$tm" -v d="$pm" \
    'BEGIN { printf "ratio tally/plain: time %.2fx, peak RSS %.2fx\n", a / b, c / d }'
