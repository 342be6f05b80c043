# slice objects: attributes, indices(), use with custom __getitem__.
s = slice(1, 10, 2)
print(s, s.start, s.stop, s.step, slice(5), slice(None, None, -1))
print(s.indices(5), slice(-3, None).indices(10), slice(None, None, -1).indices(4))
class Show:
    def __getitem__(self, key):
        return key
x = Show()
print(x[1:2], x[::3], x[1:2, 3], x[...], x[:])
print(slice(1, 2) == slice(1, 2), "abcdef"[slice(1, None, 2)])
