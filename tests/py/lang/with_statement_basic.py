# with calls __enter__/__exit__; the as-target gets __enter__'s result.
class Res:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return False
with Res("a") as x:
    print("body", x)
with Res("outer") as o, Res("inner") as i:
    print("both", o, i)
try:
    with Res("err"):
        raise ValueError("inside")
except ValueError as e:
    print("propagated", e)
def f():
    with Res("ret"):
        return "returned"
print(f())
for n in range(2):
    with Res(str(n)):
        if n == 0:
            continue
        break
