# send() resumes a generator with a value; the first send must be None.
def acc():
    total = 0
    while True:
        v = yield total
        if v is None:
            return total
        total += v
g = acc()
print(g.send(None))
print(g.send(5))
print(g.send(10))
try:
    g.send(None)
except StopIteration as e:
    print("returned", e.value)
g2 = acc()
try:
    g2.send(1)
except TypeError as e:
    print("TypeError:", e)
def thrower():
    try:
        yield 1
    except ValueError as e:
        print("caught inside", e)
        yield 2
t = thrower()
next(t)
print(t.throw(ValueError("boom")))
