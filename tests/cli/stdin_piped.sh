printf 'total = sum(range(10))\nprint(total)\nimport sys\nprint(sys.argv)\n' | "$INTERP"
