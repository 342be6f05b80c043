"$INTERP" no_such_script.py arg
echo "status $?"
