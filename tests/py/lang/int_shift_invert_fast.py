# ~x and x >> n over small, boundary and big ints, plain and augmented,
# with bools, and a negative shift count.
vals = [0, 1, -1, 5, -5, 255, -256, 2**62, -2**62, 2**63 - 1, -2**63, 2**63, 2**100, -2**100]
for x in vals:
    print(~x, [x >> s for s in (0, 1, 3, 62, 63, 64, 100)])
    y = x
    y >>= 2
    print(y)
try:
    print(1 >> -1)
except ValueError as e:
    print("ValueError:", e)
print(~True, True >> 1, 7 >> True)
