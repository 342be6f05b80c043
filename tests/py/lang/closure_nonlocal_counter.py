# Closures with nonlocal keep independent state per call of the outer function.
def make_counter(start=0):
    count = start
    def inc(step=1):
        nonlocal count
        count += step
        return count
    def get():
        return count
    return inc, get
inc1, get1 = make_counter()
inc2, get2 = make_counter(100)
inc1(); inc1(); inc1(5)
inc2()
print(get1(), get2())
print(inc1.__closure__[0].cell_contents)
def outer():
    x = 1
    def middle():
        def inner():
            nonlocal x
            x += 10
            return x
        return inner()
    middle()
    return x
print(outer())
print(inc1.__code__.co_freevars, make_counter.__code__.co_cellvars)
