# Strings are immutable sequences of code points.
s = "Python"
print(s[0], s[-1], s[1:4], s[::-1], s[::2])
print(len(s), len("日本語"), "日本語"[1], list("héé"))
for i, c in enumerate("abc"):
    print(i, c, ord(c))
print("y" in s, "thon" in s, s * 2, s + "!")
print(s < "Ruby", "a" < "b", "Z" < "a", "abc" < "abd", "ab" < "abc")
print(min("hello"), max("hello"), sorted("hello"))
print(str(123) + str(4.5) + str(None) + str([1]))
t = s
t += "3"
print(s, t)
