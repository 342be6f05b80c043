# Randomized object-graph stress, checked against independent bookkeeping.
#
# Nodes are made, linked into graphs with cycles, unlinked and dropped at
# random; some finalizers resurrect their node and mutate the graph, some
# weak-reference callbacks drop other roots, and gc.collect() runs at random
# points. Every node carries a Token (no cycles through it), whose __del__
# runs once, when the node dies (by refcount, or as unreachable garbage). The
# bookkeeping then
# checks, with nothing taken from the collector itself:
#   - every node's __del__ ran exactly once (PEP 442), every token died
#     exactly once, and at the end every node made is gone (and the
#     interpreter's heap is empty at exit: the runner checks that);
#   - no token dies while its node is still reachable from the program's
#     roots (checked by a walk after each collection), and no weak reference
#     to a reachable node is dead, resurrected nodes aside (see came_back).
# Usage: graph.py [--seed S] [--ops N]      prints "stress: ok ..." or raises.
import gc
import random
import sys
import weakref

seed, ops = 1, 2000
args = sys.argv[1:]
for i in range(0, len(args) - 1, 2):
    if args[i] == "--seed":
        seed = int(args[i + 1])
    elif args[i] == "--ops":
        ops = int(args[i + 1])
rng = random.Random(seed)

made = 0                 # nodes created
finalized = {}           # node id -> __del__ calls
freed = {}               # node id -> token frees
resurrected = []         # nodes kept alive by their own finalizer
roots = []               # the program's references
weakrefs = []            # (node id, weak reference)
violations = []


class Token:
    __slots__ = ("id",)

    def __init__(self, ident):
        self.id = ident

    def __del__(self):
        freed[self.id] = freed.get(self.id, 0) + 1


class Node:
    def __init__(self, ident, resurrect):
        self.id = ident
        self.token = Token(ident)
        self.edges = []
        self.resurrect = resurrect

    def __del__(self):
        finalized[self.id] = finalized.get(self.id, 0) + 1
        if self.resurrect:
            # Resurrect, and mutate: point at a live root (or at nothing).
            resurrected.append(self)
            self.edges = [roots[0]] if roots else []


def make_node():
    global made
    made += 1
    n = Node(made, rng.random() < 0.1)
    roots.append(n)
    if rng.random() < 0.2:
        weakrefs.append((n.id, weakref.ref(n, drop_callback if rng.random() < 0.5 else None)))


def drop_callback(ref):
    # A callback that drops other objects.
    if roots and rng.random() < 0.5:
        roots.pop(rng.randrange(len(roots)))


def any_node():
    return roots[rng.randrange(len(roots))] if roots else None


def reachable():
    seen = {}
    stack = list(roots) + list(resurrected)
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen[id(n)] = n
        stack.extend(n.edges)
    return seen


def came_back(n):
    # A node whose finalizer resurrected it was unreachable when the
    # collector finalized it (and its token) and cleared its weak
    # references: both are allowed to show in a node reachable again.
    return n.resurrect and finalized.get(n.id)


def check_reachable():
    live = reachable()
    for n in live.values():
        if freed.get(n.id) and not came_back(n):
            violations.append("token of reachable node %d freed" % n.id)
    live_ids = {n.id for n in live.values() if not came_back(n)}
    for ident, ref in weakrefs:
        if ref() is None and ident in live_ids:
            violations.append("weak reference to reachable node %d is dead" % ident)


def step():
    r = rng.random()
    if r < 0.35 or len(roots) < 4:
        make_node()
    elif r < 0.6:
        a, b = any_node(), any_node()
        a.edges.append(b)                     # often a cycle
    elif r < 0.7:
        a = any_node()
        if a.edges:
            a.edges.pop(rng.randrange(len(a.edges)))
    elif r < 0.9:
        roots.pop(rng.randrange(len(roots)))
    elif r < 0.95:
        if resurrected and rng.random() < 0.5:
            resurrected.pop(rng.randrange(len(resurrected)))
    else:
        gc.collect(rng.randrange(3))
        check_reachable()


for _ in range(ops):
    step()
    if len(weakrefs) > 200:
        del weakrefs[:100]

gc.collect()
check_reachable()
roots.clear()
# Finalizers may resurrect again while their resurrected peers are dropped:
# repeat until nothing is left (each __del__ runs once, so this ends).
while resurrected:
    resurrected.clear()
    gc.collect()
gc.collect()

for ident in range(1, made + 1):
    if finalized.get(ident, 0) != 1:
        violations.append("node %d finalized %d times" % (ident, finalized.get(ident, 0)))
    if freed.get(ident, 0) != 1:
        violations.append("node %d freed %d times" % (ident, freed.get(ident, 0)))
for ident, ref in weakrefs:
    if ref() is not None:
        violations.append("weak reference to node %d alive at the end" % ident)

if violations:
    for v in violations[:20]:
        print(v)
    raise SystemExit("stress: %d violations (seed %d)" % (len(violations), seed))
print("stress: ok seed %d, %d operations, %d nodes made and freed once each" % (seed, ops, made))
