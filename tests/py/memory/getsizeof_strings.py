# sys.getsizeof of strings: compact ASCII, Latin-1, UCS-2 and UCS-4 layouts.
import sys
for s in ["", "a", "ab", "abcdefghij", "é", "ab\u00e9", "€", "a€", "😀", "a😀"]:
    print(ascii(s), sys.getsizeof(s))
print(sys.getsizeof("x" * 100) - sys.getsizeof("x" * 50))
