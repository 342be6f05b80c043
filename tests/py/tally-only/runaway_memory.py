# options: -X max-memory=32M
# Runaway memory under a heap cap: the allocation that would pass 32 MiB
# fails, the program sees MemoryError with its traceback, can free memory
# and go on, and an uncaught one ends the run with status 1 and every block
# freed. (tally only: CPython has no -X max-memory.)
def hoard(chunks):
    while True:
        chunks.append("x" * 4096)


kept = []
try:
    hoard(kept)
except MemoryError as e:
    print("MemoryError caught; traceback:", e.__traceback__ is not None)
print("more than 1000 chunks:", len(kept) > 1000)
kept.clear()
again = ["y" * 4096 for i in range(1000)]
print("after freeing, 1000 chunks again:", len(again))
del again


def nest(n):
    if n == 0:
        return [0] * (8 << 20)      # 64 MiB: past the cap in one request
    return nest(n - 1)


nest(3)
