# A __del__ that breaks its own cycle frees the object by refcount: collect() returns 0.
import gc
class Suicidal:
    def __del__(self):
        print("breaking my cycle")
        self.me = None
    def __repr__(self):
        return "Suicidal"
gc.collect()
s = Suicidal()
s.me = s
del s
print(gc.collect())
