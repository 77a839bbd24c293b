import sys

data = sys.stdin.read().split()
print(int(data[0]))  # counts values, not distinct ones
