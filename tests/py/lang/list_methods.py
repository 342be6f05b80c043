# list methods: append, extend, insert, pop, remove, index, count, clear, copy, reverse.
l = [3, 1, 2]
l.append(4); l.extend([5, 6]); l.extend("ab"); l.insert(0, 0); l.insert(100, "end"); l.insert(-1, "pen")
print(l)
print(l.pop(), l.pop(0), l.pop(-2), l)
l.remove("a")
print(l, l.index(2), l.count(1), l.index(5, 2))
for bad in [lambda: l.remove("zz"), lambda: l.index("zz"), lambda: [].pop(), lambda: l.pop(99)]:
    try:
        bad()
    except (ValueError, IndexError) as e:
        print(type(e).__name__ + ":", e)
c = l.copy()
c.reverse()
print(c, l, c is l)
l.clear()
print(l, len(l))
m = [1, 2] * 3 + [0]
print(m, [[]] * 2, [1] * 0, [1] * -1)
print([1, 2] == [1, 2], [1, 2] < [1, 3], [2] > [1, 99], [] < [0])
n = [[0]] * 3
n[0].append(1)
print(n)
