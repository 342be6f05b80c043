# stdout and stderr merged: the order shows whether stdout is buffered (the
# heap report of TALLY_EXIT_STATS would land in stdout here, so it is off).
unset TALLY_EXIT_STATS
"$INTERP" -u -c 'import sys
print("out 1")
print("err 1", file=sys.stderr)
print("out 2")' 2>&1
PYTHONUNBUFFERED=1 "$INTERP" -c 'import sys
print("out 3")
print("err 2", file=sys.stderr)' 2>&1
