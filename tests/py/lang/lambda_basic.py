# Lambdas: defaults, closures, immediately called, in sort keys.
sq = lambda x: x * x
print(sq(7), (lambda: "no args")(), (lambda a, b=10: a + b)(1))
print((lambda *a, **k: (a, k))(1, 2, z=3))
adders = [lambda x, n=n: x + n for n in range(3)]
print([f(10) for f in adders])
late = [lambda x: x + n for n in range(3)]
print([f(10) for f in late])
pairs = [(1, "b"), (3, "a"), (2, "c")]
print(sorted(pairs, key=lambda p: p[1]))
print(sq.__name__, (lambda: 0).__name__)
compose = lambda f, g: lambda x: f(g(x))
print(compose(sq, lambda x: x + 1)(3))
print(list(map(lambda x: x * 2, [1, 2, 3])))
