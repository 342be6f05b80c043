# pass, Ellipsis and docstring-only bodies.
def nothing():
    pass
class Empty:
    pass
def doc_only():
    """Just a docstring."""
def dots():
    ...
print(nothing(), doc_only(), dots())
print(doc_only.__doc__, nothing.__doc__)
print(..., Ellipsis is ..., type(...).__name__)
for _ in range(2):
    pass
if True:
    pass
else:
    pass
print(Empty.__doc__)
