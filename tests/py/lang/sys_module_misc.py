# sys.path is a list of str, sys.modules a dict; sys.maxsize and version_info.
import sys
print(type(sys.path).__name__, all(isinstance(p, str) for p in sys.path))
print(type(sys.modules).__name__, "sys" in sys.modules, sys.modules["sys"] is sys)
print(sys.maxsize == 2 ** 63 - 1, sys.version_info[:2], sys.version_info.major)
sys.path.append("extra_dir")
print(sys.path[-1])
sys.path.pop()
print(sys.byteorder in ("little", "big"), sys.platform == "linux")
