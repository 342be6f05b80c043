# Calls of plain Python functions nested several deep: return values, locals
# kept apart per frame, exceptions raised deep and caught at each level,
# frames seen by sys._getframe, the recursion limit, __del__ of arguments
# and locals at the callee's return, and a traceback through every level.
import sys


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("del", self.name)


def leaf(x):
    return x * 2


def middle(x):
    y = leaf(x) + leaf(x + 1)
    return y, leaf(y)


def top(x):
    a, b = middle(x)
    return a + b + leaf(a)


print(top(3), top(10))


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


print(fact(20))


def fail(n):
    if n == 0:
        raise ValueError("bottom")
    return fail(n - 1) + 1


def catch_at(level):
    try:
        return fail(level)
    except ValueError as e:
        return "caught " + str(e)


print(catch_at(0), catch_at(5))


def depth_here():
    return frame_names(sys._getframe())


def frame_names(f):
    names = []
    while f is not None:
        names.append(f.f_code.co_name)
        f = f.f_back
    return names


def outer_frames():
    return depth_here()


print(outer_frames())


def takes(obj):
    local = Noisy("local")
    print("in takes", obj.name)
    return obj.name


print(takes(Noisy("arg")))
print("after takes")


def method_chain():
    class C:
        def __init__(self, v):
            self.v = v

        def get(self):
            return self.v

        def twice(self):
            return self.get() + self.get()

    return C(21).twice()


print(method_chain())


def forever(n):
    return forever(n + 1)


try:
    forever(0)
except RecursionError as e:
    print("RecursionError", e)
print(fact(50) > 0)


def generator_user():
    def gen(n):
        for i in range(n):
            yield leaf(i)
    return sum(gen(5))


print(generator_user())


def kw(a, b=2):
    return a + b


def via_kw():
    return kw(1) + kw(1, b=5) + kw(*(3, 4))


print(via_kw())


def deep_error(n):
    if n == 0:
        return {}["missing"]
    return deep_error(n - 1)


def run():
    return deep_error(3)


run()
