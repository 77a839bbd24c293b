import sys

lines = sys.stdin.read().split()
for token in lines[1:]:
    r = float(token)
    print(3.14 * r * r)  # pi is not 3.14
