# Indices from 0: rejected (the format's rejected folder takes any
# verdict but AC).
n, t = map(int, input().split())
a = list(map(int, input().split()))
seen = {}
for j, x in enumerate(a):
    if t - x in seen:
        print(seen[t - x], j)
        break
    seen.setdefault(x, j)
else:
    print("impossible")
