"$INTERP" args.py one "two words" -c
