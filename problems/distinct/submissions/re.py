import sys

n = int(sys.stdin.readline())
values = list(map(int, sys.stdin.readline().split()))
assert len(values) == n
print(len(set(values)) / 0)  # ZeroDivisionError
