# The guided tour `make demo` runs: its output is CPython's, line for line.
"$INTERP" ../../examples/tour.py
