import math
import sys

lines = sys.stdin.read().split()
grid = [[0.0] * 10000 for _ in range(10000)]  # a "high-resolution" grid: 800 MB
for token in lines[1:]:
    print(math.pi * float(token) ** 2)
