# A guided tour of Python's memory management, following the four seed tutorials.
# Every step prints what it shows and what to notice. The output is deterministic:
# identities are shown as comparisons, never as raw addresses.
import ctypes
import gc
import sys
import weakref

step_no = 0


def step(title, *notes):
    global step_no
    step_no += 1
    print()
    print(f"--- Step {step_no}: {title}")
    for note in notes:
        print("    " + note)


def refcnt(obj_id):
    # Reads ob_refcnt straight from the object header; takes an id so that no
    # extra reference to the object is held while reading.
    return ctypes.c_long.from_address(obj_id).value


print("A tour of memory management: objects, names, reference counts and the collector.")

# ---------------------------------------------------------------- names and objects
step("A name refers to an object",
     "x = 10 binds the name x to an int object living in the private heap.")
x = 10
print("x =", x, "| type:", type(x).__name__)

step("Two names, one object",
     "y = x does not copy: both names refer to the same object.")
x = 10
y = x
if id(x) == id(y):
    print("x and y refer to the same object")

step("Rebinding makes a new object",
     "x += 1 computes 11 and rebinds x to it; y still refers to 10.")
x = 10
y = x
x += 1
if id(x) != id(y):
    print("x and y do not refer to the same object")
print("x =", x, "y =", y)

step("Equal values can share one object",
     "Small ints (-5..256) are cached, and a module's constants are shared,",
     "so a = 200 and b = 200 give the same object.")
a = 200
b = 200
print("a is b:", a is b)
a = 1
b = 1
c = 2
print("id(a) == id(b):", id(a) == id(b), "| id(c) == id(a):", id(c) == id(a))
a = 3
print("after a = 3, id(a) == id(b):", id(a) == id(b), "| b is still", b)

step("Rebinding to a float",
     "x and y share an int until x is rebound to 2.0, a brand-new float object.")
x = 1
y = x
print("id(x) == id(y):", id(x) == id(y))
x = 2.0
print("id(x) == id(y):", id(x) == id(y), "| y is still", y)

# ---------------------------------------------------------------- reference counts
step("Counting references",
     "sys.getrefcount counts its own argument too, so one name gives 2;",
     "ctypes.c_long.from_address(id(obj)) reads the header's count directly: 1.")
var1 = [10, 20]
print("sys.getrefcount(var1):", sys.getrefcount(var1))
print("c_long.from_address(id(var1)).value:", ctypes.c_long.from_address(id(var1)).value)

step("More names, higher count",
     "var2 = var1 and var3 = var1 add one reference each.")
var2 = var1
var3 = var1
print("refcount:", ctypes.c_long.from_address(id(var1)).value)

step("Dropping references",
     "Setting a name to None (or deleting it) removes its reference at once.")
var3 = None
print("after var3 = None:", ctypes.c_long.from_address(id(var1)).value)
var2 = None
print("after var2 = None:", ctypes.c_long.from_address(id(var1)).value)

step("The last reference",
     "When the count reaches zero the object is freed immediately, inside the",
     "statement that dropped it. A __del__ method shows the moment.")


class Noisy:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print(f"    (freed: {self.name})")


n = Noisy("a Noisy object")
print("deleting the last name...")
del n
print("...and the object was already gone before this line.")

step("del removes a name, not the object",
     "b = a; del a leaves the list alive: b still refers to it.")
a = [1, 2, 3]
b = a
before = sys.getrefcount(b)
del a
dropped = before - sys.getrefcount(b)
print("b =", b, "| references dropped by del a:", dropped)

step("Leaving a scope releases locals",
     "A local variable's reference goes away when the function returns.")
shared = ["shared"]


def scope():
    x = shared
    print("inside the function, extra references:", sys.getrefcount(shared) - 2)


scope()
print("after return, extra references:", sys.getrefcount(shared) - 2)

step("Reassigning releases the old object",
     "a = 1 then a = 2: the name now refers to a different object.")
a = 1
first = id(a)
a = 2
print("same object after reassignment:", id(a) == first)

# ---------------------------------------------------------------- cycles and the collector
step("Reference cycles need the garbage collector",
     "Two Nodes that refer to each other keep their counts above zero after",
     "del n1, n2. Only the cycle collector can find them: gc.collect() reports 2.")


class Node:
    def __init__(self, value):
        self.value = value
        self.ref = None


gc.collect()
n1 = Node(1)
n2 = Node(2)
n1.ref = n2
n2.ref = n1
probe = weakref.ref(n1)
del n1
del n2
print("after del, still alive (unreachable cycle):", probe() is not None)
print("gc.collect() found:", gc.collect())
print("after collection, alive:", probe() is not None)

step("Generations",
     "New container objects start in generation 0; survivors move to older",
     "generations. Thresholds decide when automatic collections run.")
print("thresholds:", gc.get_threshold())
gc.collect()
print("counts right after a full collection:", gc.get_count())

step("Weak references do not keep objects alive",
     "A weakref.ref returns the object while it lives and None afterwards;",
     "its callback runs when the object dies.")


class Target:
    pass


t = Target()
r = weakref.ref(t, lambda ref: print("    (callback: target died)"))
print("r() is t:", r() is t)
del t
print("r() after del:", r())

print()
print("Summary:")
print("  * Names refer to objects; assignment never copies.")
print("  * Every object counts its references; at zero it is freed at once.")
print("  * getrefcount shows one extra (its argument); from_address shows the raw count.")
print("  * Cycles are found by the generational garbage collector (gc.collect()).")
print("  * Weak references observe an object without keeping it alive.")
