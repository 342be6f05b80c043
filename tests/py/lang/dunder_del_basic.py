# __del__ runs when the last reference goes away (refcount path).
class Res:
    def __init__(self, name):
        self.name = name
        print("open", name)
    def __del__(self):
        print("close", self.name)
r = Res("a")
print("rebinding")
r = Res("b")
print("deleting")
del r
def scope():
    local = Res("local")
    print("leaving scope")
scope()
print("after scope")
l = [Res("in-list")]
l.pop()
print("popped")
Res("temporary")
print("end of script")
