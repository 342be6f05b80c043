# weakref.finalize callbacks run at exit before any __del__ of remaining globals.
import weakref
class Res:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("__del__", self.name)
first = Res("first")
second = Res("second")
weakref.finalize(first, print, "finalize first")
weakref.finalize(second, print, "finalize second")
print("end of script")
