"$INTERP" -c 'import sys; sys.exit(3)'
echo "status $?"
"$INTERP" -c 'import sys; sys.exit("bye")'
echo "status $?"
"$INTERP" -c 'raise SystemExit'
echo "status $?"
"$INTERP" -c 'raise KeyError("k")'
echo "status $?"
