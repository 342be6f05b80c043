# id(): equal ids for the same live object; ints in the small cache share ids.
a = [1, 2]
b = a
c = [1, 2]
print(id(a) == id(b), id(a) == id(c), id(a) == id(a[:]))
x = 256
y = 255 + 1
print(id(x) == id(y), x is y)
s1 = "hello"
s2 = "hello"
print(id(s1) == id(s2))
print(type(id(a)).__name__, id(a) > 0)
print(id(None) == id(None), id(True) == id(1 == 1))
class C:
    pass
o = C()
print(id(o) == id(o), id(C) == id(type(o)))
