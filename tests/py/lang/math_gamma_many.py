# math.gamma and math.lgamma over many arguments (both signs, tiny, near the
# poles, past the switch points 5 and 140) agree with CPython to the last bit,
# and float repr of many doubles is CPython's shortest form.
import math, random
random.seed(1234)
vals = [random.uniform(-180, 180) for _ in range(400)] + [random.uniform(-6, 6) for _ in range(400)]
vals += [k / 4 for k in range(-60, 60)] + [1e-21, -1e-21, 4.999999, 5.0000001, 139.99, 140.01, 171.62, 171.63]
out = []
for v in vals:
    for f in (math.gamma, math.lgamma):
        try:
            out.append(repr(f(v)))
        except (ValueError, OverflowError) as e:
            out.append(type(e).__name__)
print(len(out), out[:6], out[-6:])
for i in range(0, len(out), 8):
    print(" ".join(out[i:i + 8]))
floats = [random.random() * 10.0 ** random.randint(-320, 308) for _ in range(300)]
print(" ".join(repr(x) for x in floats))
print(sum(1 for x in floats if float(repr(x)) == x), [repr(2.0 ** k) for k in range(700, 720, 3)])
