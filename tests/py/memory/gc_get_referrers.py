# get_referrers finds the tracked containers that hold an object.
import gc
target = ["target"]
holder_list = [target]
holder_dict = {"k": target}
class H:
    pass
h = H()
h.t = target
refs = gc.get_referrers(target)
print(any(r is holder_list for r in refs), any(r is holder_dict for r in refs))
print(any(r is h for r in refs))
del holder_list
refs = gc.get_referrers(target)
print(any(isinstance(r, list) and r and r[0] is target and len(r) == 1 for r in refs if r is not refs))
