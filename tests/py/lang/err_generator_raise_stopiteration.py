# StopIteration escaping a generator becomes RuntimeError (PEP 479), uncaught.
def first_of_each(lists):
    for l in lists:
        it = iter(l)
        yield next(it)
print(list(first_of_each([[1], [2, 3]])))
print(list(first_of_each([[1], []])))
