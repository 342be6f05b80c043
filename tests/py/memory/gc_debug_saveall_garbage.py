# DEBUG_SAVEALL keeps unreachable objects in gc.garbage instead of freeing them.
import gc
gc.collect()
print(gc.get_debug(), gc.DEBUG_SAVEALL, gc.DEBUG_LEAK, gc.DEBUG_STATS, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE)
gc.set_debug(gc.DEBUG_SAVEALL)
print(gc.get_debug())
l = []
l.append(l)
ident = id(l)
del l
print(gc.collect())
print(len(gc.garbage), id(gc.garbage[0]) == ident, gc.garbage[0][0] is gc.garbage[0])
gc.set_debug(0)
del gc.garbage[:]
print(gc.collect())
