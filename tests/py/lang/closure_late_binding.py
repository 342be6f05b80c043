# Closures capture variables, not values.
def make():
    fs = []
    for i in range(3):
        def f():
            return i
        fs.append(f)
    return fs
print([f() for f in make()])
def make_bound():
    fs = []
    for i in range(3):
        def f(i=i):
            return i
        fs.append(f)
    return fs
print([f() for f in make_bound()])
def outer():
    x = "before"
    def get():
        return x
    x = "after"
    return get
print(outer()())
def shared():
    v = []
    def add(n):
        v.append(n)
        return v
    def peek():
        return v
    return add, peek
add, peek = shared()
add(1); add(2)
print(peek(), add(3) is peek())
