# Uncaught ReferenceError from a dead proxy.
import weakref
class Conn:
    name = "db"
c = Conn()
p = weakref.proxy(c)
print(p.name)
del c
print(p.name)
