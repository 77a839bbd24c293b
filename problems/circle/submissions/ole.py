import math
import sys

lines = sys.stdin.read().split()
step = "".join(f"{math.pi * float(token) ** 2:.60f}\n" for token in lines[1:])
step *= max(1, 65536 // len(step))
while True:  # "refines" the answers forever, printing every step
    sys.stdout.write(step)
