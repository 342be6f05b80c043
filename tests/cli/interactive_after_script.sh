printf 'x * 2\nfor i in range(2):\n    print(i)\n\n1/0\ny = x + 1\ny\n' | "$INTERP" -i setx.py
