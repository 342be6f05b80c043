# RecursionError can be caught and the program continues.
import sys
def depth(n):
    try:
        return depth(n + 1)
    except RecursionError:
        return n
d = depth(0)
print(d > 900, d < 1000)
def fact(n):
    return 1 if n == 0 else n * fact(n - 1)
print(len(str(fact(500))))
try:
    fact(5000)
except RecursionError as e:
    print("RecursionError:", e)
sys.setrecursionlimit(100)
try:
    fact(200)
except RecursionError:
    print("limit 100 hit")
print(fact(50) > 0)
