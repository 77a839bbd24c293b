import sys

data = sys.stdin.read().split()
values = sorted(map(int, data[1:]))
count = sum(1 for i, v in enumerate(values) if i == 0 or v != values[i - 1])
print(count)
