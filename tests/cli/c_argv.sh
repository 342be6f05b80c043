"$INTERP" -c 'import sys; print(sys.argv)' a -b --c
