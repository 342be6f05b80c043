# is_tracked: atoms and object() are never tracked; containers, instances, classes, functions are.
import gc
class C:
    pass
class Slot:
    __slots__ = ()
class IntSub(int):
    pass
for name, v in [("int", 1), ("big int", 10 ** 40), ("float", 1.5), ("str", "s"), ("bytes", b"b"),
                ("None", None), ("True", True), ("object()", object()), ("range", range(3)),
                ("list", []), ("set", set()), ("frozenset", frozenset()), ("instance", C()),
                ("slots instance", Slot()), ("int subclass", IntSub(3)), ("class", C),
                ("function", lambda: 0), ("module", gc), ("type int", int)]:
    print(name, gc.is_tracked(v))
