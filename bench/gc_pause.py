"""gc_pause.py -- CPython's side of bench/gc_pause.c.

The same graph shapes, built from a two-slot class (__slots__, so each node
is one tracked object of the same 48 bytes as tally's), then one timed
gc.collect() per repetition. Objects that exist before the benchmark are
frozen so that they are not examined. Prints "shape N ns_per_object" lines
(best of R repetitions).

usage: python3.11 gc_pause.py [N...]   (default 100000 1000000 4000000)
"""
import gc
import sys
import time


class Node:
    __slots__ = ("next", "prev")

    def __init__(self):
        self.next = None
        self.prev = None


def build_chain(n, back):
    head = tail = Node()
    for _ in range(n - 1):
        x = Node()
        tail.next = x
        if back:
            x.prev = tail
        tail = x
    return head


def time_collect(n):
    t0 = time.perf_counter()
    gc.collect()
    return (time.perf_counter() - t0) * 1e9 / n


def bench_survivors(n, back, reps):
    root = build_chain(n, back)
    best = min(time_collect(n) for _ in range(reps))
    del root
    gc.collect()
    return best


def bench_garbage(n, reps):
    best = 1e30
    for _ in range(reps):
        done = 0
        while done < n:
            build_chain(min(1000, n - done), True)
            done += 1000
        best = min(best, time_collect(n))
    return best


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100000, 1000000, 4000000]
    gc.collect()
    gc.freeze()
    gc.disable()
    for n in sizes:
        reps = 5 if n <= 1000000 else 3
        print(f"list {n} {bench_survivors(n, False, reps):.2f}", flush=True)
        print(f"dlist {n} {bench_survivors(n, True, reps):.2f}", flush=True)
        print(f"garbage {n} {bench_garbage(n, reps):.2f}", flush=True)


if __name__ == "__main__":
    main()
