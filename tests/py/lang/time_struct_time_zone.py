# time.struct_time: hidden tm_zone/tm_gmtoff fields, construction from 9 to 11 items, errors;
# sys.version_info, another struct sequence.
import time
t = time.localtime(0)
print(type(t.tm_zone).__name__, type(t.tm_gmtoff).__name__, len(t), t[:3] >= (1969,), type(t).__name__)
g = time.gmtime(86400 * 365)
print(g.tm_zone, g.tm_gmtoff, g)
print(time.struct_time((2020, 1, 2, 3, 4, 5, 6, 7, 0)))
s = time.struct_time((2020, 1, 2, 3, 4, 5, 6, 7, 0))
print(s.tm_zone, s.tm_gmtoff, time.mktime(time.localtime(1000)) == 1000.0)
print(time.strftime("%Y-%m-%d %Z", time.gmtime(0)))
try:
    class MyTime(time.struct_time):
        pass
except TypeError as e:
    print("TypeError:", e)
m = time.struct_time((2001, 2, 3, 4, 5, 6, 0, 34, -1))
print(m.tm_zone, len(m), m[0], m)
u = time.struct_time((2020, 1, 2, 3, 4, 5, 6, 7, 0, "XYZ", 3600))
print(u.tm_zone, u.tm_gmtoff, len(u), u == (2020, 1, 2, 3, 4, 5, 6, 7, 0), hash(u) == hash(tuple(u)))
for bad in [(1, 2), tuple(range(12))]:
    try:
        time.struct_time(bad)
    except TypeError as e:
        print("TypeError:", e)
print(time.strftime("%Y %j", u), time.asctime(time.gmtime(0)))
import sys
print(sys.version_info[:2], sys.version_info.major, len(sys.version_info))
