# String repetition, concatenation, comparison and membership corner cases.
print("ab" * 3, 3 * "ab", "ab" * 0, "ab" * -2, repr("" * 5))
print("a" + "b" + "c", "abc" == "a" "bc", "abc" != "ABC")
print("apple" < "banana", "apple" < "Apple", "a" * 3 < "a" * 4, "" < "a")
print(sorted(["b", "B", "a", "A", "1", " "]))
try:
    "a" + 1
except TypeError as e:
    print("TypeError:", e)
try:
    "a" * 2.0
except TypeError as e:
    print("TypeError:", e)
try:
    "a" < 1
except TypeError as e:
    print("TypeError:", e)
print(str.join(",", "abc"), "-".join(reversed("abc")))
