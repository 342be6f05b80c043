# get_objects argument checking.
import gc
print(type(gc.get_objects(generation=None)).__name__)
for bad in [1000, -1000, 3, -1]:
    try:
        gc.get_objects(generation=bad)
    except ValueError as e:
        print("ValueError:", e)
for bad in ["1", 1.234]:
    try:
        gc.get_objects(generation=bad)
    except TypeError as e:
        print("TypeError:", e)
print(type(gc.get_objects(0)).__name__)
