# Big-int arithmetic, repr and hashing: GMP's allocations come from the tally
# heap, and a refused one must end as MemoryError, never as an abort.
x = 3 ** 200
y = x * x + 7
z = (y // 12345678901234567890) % (10 ** 40)
values = [x, y, z, -y, x << 300, y >> 17, x ^ y, x & y, x | z, abs(-x)]
total = 0
for v in values:
    total += len(str(v)) + hash(v) % 1000
print(total)
print(pow(x, 65537, 2 ** 127 - 1))
print(int("9" * 60) + 1, hex(x)[:20], float(y) > 1e100)
d = {v: i for i, v in enumerate(values)}
print(len(d), d[x])
