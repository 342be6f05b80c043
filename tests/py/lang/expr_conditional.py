# Conditional expressions.
for n in [-5, 0, 5]:
    print(n, "neg" if n < 0 else "zero" if n == 0 else "pos")
x = 10
y = x * 2 if x > 5 else x / 2
print(y)
print([i if i % 2 else -i for i in range(6)])
f = lambda a: "big" if a > 100 else "small"
print(f(1000), f(1))
print((1 if True else 2) + 10)
print(1 if [] else 2, 1 if [0] else 2)
