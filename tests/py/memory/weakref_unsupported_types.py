# Which types accept weak references.
import weakref
class C:
    pass
class L(list):
    pass
class D(dict):
    pass
class Slots:
    __slots__ = ("x",)
class SlotsWR:
    __slots__ = ("x", "__weakref__")
def f():
    pass
for name, v in [("int", 1), ("str", "s"), ("tuple", (1,)), ("list", [1]), ("dict", {}),
                ("None", None), ("object()", object()), ("instance", C()), ("class", C),
                ("function", f), ("list subclass", L()), ("dict subclass", D()),
                ("set", set()), ("frozenset", frozenset()), ("slots", Slots()), ("slots+weakref", SlotsWR())]:
    try:
        weakref.ref(v)
        print(name, "ok")
    except TypeError as e:
        print(name, "TypeError:", e)
