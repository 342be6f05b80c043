# References held by locals disappear when the function returns.
import sys
shared = [0]
def hold():
    a = shared
    b = shared
    c = [shared, shared]
    print("inside:", sys.getrefcount(shared))
print("before:", sys.getrefcount(shared))
hold()
print("after:", sys.getrefcount(shared))
def make_closure():
    captured = shared
    def inner():
        return captured
    return inner
fn = make_closure()
print("closure alive:", sys.getrefcount(shared))
del fn
print("closure gone:", sys.getrefcount(shared))
