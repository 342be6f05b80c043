# printf-style % formatting.
print("%s and %r" % ("str", "repr"))
print("%d %i %5d|%-5d|%05d" % (42, 7, 3, 3, 3))
print("%f %.2f %10.3f %e %g %G" % (3.14159, 3.14159, 2.5, 12345.678, 0.00001234, 1e20))
print("%x %X %o %#x %#o" % (255, 255, 8, 255, 8))
print("%c%c" % (72, "i"), "%%", "100%%" % ())
print("%(name)s is %(age)d" % {"name": "Bo", "age": 9})
print("%s" % [1, 2], "%s" % (1,), "%s %s" % (None, True))
print("%*d|%-*s|" % (5, 42, 4, "ab"))
print("%.3s" % "abcdef", "%5.1s|" % "xyz")
try:
    "%d" % "x"
except TypeError as e:
    print("TypeError:", e)
try:
    "%s %s" % ("one",)
except TypeError as e:
    print("TypeError:", e)
try:
    "%s" % (1, 2)
except TypeError as e:
    print("TypeError:", e)
print("%d" % 3.99, "%s" % 3.0, "%.0f" % 0.5, "%.0f" % 1.5)
