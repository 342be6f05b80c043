"$INTERP" -c 'x = 1
print(x / 0)'
