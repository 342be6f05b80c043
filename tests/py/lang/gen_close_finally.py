# close() raises GeneratorExit inside the generator; finally blocks run.
def g():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
it = g()
print(next(it))
it.close()
print("closed")
it.close()
print(list(it))
def stubborn():
    try:
        yield 1
    except GeneratorExit:
        print("got GeneratorExit")
        raise
s = stubborn()
next(s)
s.close()
def unstarted():
    try:
        yield 1
    finally:
        print("never printed")
u = unstarted()
u.close()
print("unstarted closed")
def bad():
    try:
        yield 1
    except GeneratorExit:
        yield 2
b = bad()
next(b)
try:
    b.close()
except RuntimeError as e:
    print("RuntimeError:", e)
