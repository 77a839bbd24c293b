import sys

data = sys.stdin.read().split()
seen = bytearray(10**9 + 1)  # one byte per possible value: 1 GB
count = 0
for token in data[1:]:
    v = int(token)
    if not seen[v]:
        seen[v] = 1
        count += 1
print(count)
