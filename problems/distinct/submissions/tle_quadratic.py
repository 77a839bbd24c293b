import sys

data = sys.stdin.read().split()
seen = []
for token in data[1:]:
    if token not in seen:  # a linear scan per value: O(n^2)
        seen.append(token)
print(len(seen))
