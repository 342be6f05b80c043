# Short-circuit evaluation skips the right operand.
log = []
def t(name, value):
    log.append(name)
    return value
t("a", False) and t("b", True)
print(log); log.clear()
t("a", True) or t("b", True)
print(log); log.clear()
t("a", True) and t("b", 0) and t("c", 1)
print(log); log.clear()
t("a", 0) or t("b", "") or t("c", 5) or t("d", 6)
print(log); log.clear()
r = t("cond", 1) if t("test", False) else t("else", 2)
print(r, log); log.clear()
d = {}
print("k" in d and d["k"] > 0)
print(any(t(i, i > 1) for i in range(5)), log); log.clear()
print(all(t(i, i < 2) for i in range(5)), log)
