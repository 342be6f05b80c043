# weakref.finalize: alive, peek, detach, __call__ runs at most once.
import weakref
class Res:
    pass
def cleanup(name, *, mode):
    print("cleanup", name, mode)
    return "result-" + name
r = Res()
f = weakref.finalize(r, cleanup, "r", mode="normal")
print(f.alive, f.peek()[0] is r, f.peek()[1] is cleanup, f.peek()[2:], f.atexit)
print(f(), f.alive, f(), f.peek())
r2 = Res()
f2 = weakref.finalize(r2, cleanup, "r2", mode="on death")
del r2
print(f2.alive)
r3 = Res()
f3 = weakref.finalize(r3, cleanup, "r3", mode="detached")
obj, func, args, kwargs = f3.detach()
print(obj is r3, func is cleanup, args, kwargs, f3.alive, f3.detach())
del r3
print("r3 deleted, nothing called")
