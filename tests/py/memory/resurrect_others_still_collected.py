# N self-cycles plus one resurrector: exactly N are collected (test_gc's rule).
import gc
saved = []
class Plain:
    pass
class Res:
    def __del__(self):
        saved.append(self)
gc.collect()
for _ in range(5):
    p = Plain()
    p.me = p
del p
print(gc.collect())
r = Res()
r.me = r
del r
print(gc.collect())
for _ in range(3):
    p = Plain()
    p.me = p
r = Res()
r.me = r
del p, r
print(gc.collect())
saved.clear()
print(gc.collect())
