"$INTERP" -c 'x = (1,'
