# A weakref that is itself part of the garbage never fires its callback.
import gc
import weakref
class N:
    pass
gc.collect()
a = N()
b = N()
a.other = b
b.other = a
a.wr = weakref.ref(b, lambda ref: print("trash callback (should not run)"))
outside = weakref.ref(b, lambda ref: print("outside callback runs"))
del a, b
print(gc.collect())
print(outside())
