import math
import sys

lines = sys.stdin.read().split()
for token in lines[1:]:
    r = float(token)
    print(math.pi * r * r)
