# A returned object keeps exactly the references of its new holders.
import sys
def make():
    tmp = [1, 2]
    alias = tmp
    return tmp
r = make()
print(sys.getrefcount(r))
def passthrough(x):
    return x
r2 = passthrough(r)
print(sys.getrefcount(r))
t = (make(), make())
print(sys.getrefcount(t[0]))
print(sys.getrefcount(make()))
