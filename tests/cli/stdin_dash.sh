printf 'import sys\nprint(sys.argv)\nprint(1 +)\n' | "$INTERP" - x y
