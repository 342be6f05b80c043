# freeze moves tracked objects to the permanent generation; unfreeze brings them back to gen 2.
import gc
gc.collect()
keep = [[] for _ in range(10)]
before = gc.get_freeze_count()
gc.freeze()
frozen = gc.get_freeze_count() - before
print(frozen >= 11, gc.get_count())
print(any(x is keep for x in gc.get_objects()))
l = []
l.append(l)
del l
print(gc.collect())
gc.unfreeze()
print(gc.get_freeze_count())
print(any(x is keep for x in gc.get_objects(generation=2)))
