# random with a fixed seed reproduces CPython's Mersenne Twister output exactly.
import random
random.seed(42)
print([random.random() for _ in range(3)])
print([random.randint(1, 100) for _ in range(10)])
random.seed(42)
print(random.random())
random.seed(0)
print(random.randrange(10), random.randrange(0, 100, 5), random.getrandbits(32), random.getrandbits(70))
print(random.uniform(1, 2))
random.seed(12345)
print([random.randrange(1000) for _ in range(8)])
random.seed("text seed")
print(random.random())
