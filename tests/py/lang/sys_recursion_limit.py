# getrecursionlimit/setrecursionlimit and their effect.
import sys
print(sys.getrecursionlimit())
def depth(n=1):
    try:
        return depth(n + 1)
    except RecursionError:
        return n
sys.setrecursionlimit(200)
print(sys.getrecursionlimit())
d = depth()
print(150 < d <= 200)
sys.setrecursionlimit(1000)
try:
    sys.setrecursionlimit(0)
except ValueError as e:
    print("ValueError:", e)
try:
    sys.setrecursionlimit("x")
except TypeError as e:
    print("TypeError:", e)
print(sys.getrecursionlimit())
