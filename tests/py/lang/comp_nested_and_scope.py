# Comprehensions have their own scope; the first iterable is evaluated outside.
n = 3
def f():
    n = 10
    return [n * i for i in range(n)]
print(f())
class C:
    k = 4
    vals = [i for i in range(k)]
print(C.vals)
i = "unchanged"
squares = [i * i for i in range(4)]
print(i, squares)
funcs = [lambda: i for i in range(3)]
print([g() for g in funcs])
print([[i * j for j in range(3)] for i in range(3)])
total = 0
gen = (total + x for x in range(3))
total = 100
print(list(gen))
