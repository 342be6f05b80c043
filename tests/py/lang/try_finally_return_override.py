# return/break/continue in finally override pending exceptions and returns.
def f():
    try:
        return "try"
    finally:
        return "finally"
print(f())
def g():
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"
print(g())
def h():
    for i in range(3):
        try:
            if i == 1:
                raise KeyError(i)
        finally:
            continue
    return "loop done"
print(h())
def k():
    x = 1
    try:
        return x
    finally:
        x = 2
print(k())
def m():
    while True:
        try:
            raise RuntimeError
        finally:
            break
    return "broke out"
print(m())
