# Uncaught exception without a message prints just the class name.
class Stop(Exception):
    pass
def f():
    raise Stop()
print("about to fail")
f()
