import math

n = int(input())
for _ in range(n):
    r = int(input())  # radii are not integers: ValueError
    print(math.pi * r * r)
