# Slicing with start/stop/step, negative and out-of-range bounds.
a = list(range(10))
print(a[2:5], a[:3], a[7:], a[:], a[::2], a[1::3])
print(a[::-1], a[8:2:-2], a[-3:], a[:-3], a[-3:-1])
print(a[100:], a[-100:2], a[5:2], a[::-3], a[-1:-11:-1])
print(a[2:8][::-1][1:3])
s = "abcdefgh"
print(s[1:4], s[::-1], s[::3], s[-2:], s[5:1:-1])
t = (0, 1, 2, 3, 4)
print(t[1:3], t[::-2], type(t[1:2]).__name__)
print(a[slice(1, 6, 2)], s[slice(None, None, -2)])
try:
    a[::0]
except ValueError as e:
    print("ValueError:", e)
print(b"abcdef"[::2], range(10)[2:8:3])
