import math

n = int(input())
for _ in range(n):
    r = float(input())
    print(f"{math.pi * r ** 2:.12e}")
