# Resurrection is transitive: what the resurrected object references survives with its identity.
import gc
saved = []
class Holder:
    def __del__(self):
        saved.append(self)
gc.collect()
h = Holder()
h.cargo = [1, 2, 3]
h.cargo.append(h.cargo)
h.me = h
cargo_id = id(h.cargo)
del h
print(gc.collect())
print(len(saved), id(saved[0].cargo) == cargo_id, saved[0].cargo[:3])
