# Nested indentation levels, dedenting several levels at once.
def outer(n):
    result = []
    for i in range(n):
        if i % 2 == 0:
            for j in range(i):
                if j == 1:
                    result.append((i, j))
        else:
          result.append(i)   # different indent width inside its own block
    return result
print(outer(6))
if True:
	print("tab-indented block")
class C:
    def m(self):
            return "deep"
print(C().m())
while False: pass
if 1: print("one-line suite"); print("two statements")
