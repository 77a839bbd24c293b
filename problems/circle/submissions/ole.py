import math
import sys

lines = sys.stdin.read().split()
while True:  # "refines" the answers forever, printing every step
    for token in lines[1:]:
        print(f"{math.pi * float(token) ** 2:.60f}")
