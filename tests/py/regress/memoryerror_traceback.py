# A MemoryError carries a traceback like any other exception: when caught,
# and when it ends the program (exit status 1).
def make(n):
    return fill(n)


def fill(n):
    return [0] * n


for attempt in range(3):
    try:
        make(10 ** 15)
    except MemoryError as e:
        tb = e.__traceback__
        depth = 0
        while tb is not None:
            depth += 1
            tb = tb.tb_next
        print("caught", type(e).__name__, e.args, "traceback depth", depth)

make(10 ** 15)
