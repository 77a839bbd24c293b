# Finds a different pair from the judge's on some tests: the validator
# accepts any right one.
n, t = map(int, input().split())
a = list(map(int, input().split()))
order = sorted(range(n), key=lambda k: a[k])
lo, hi = 0, n - 1
while lo < hi:
    s = a[order[lo]] + a[order[hi]]
    if s == t:
        i, j = sorted((order[lo] + 1, order[hi] + 1))
        print(i, j)
        break
    if s < t:
        lo += 1
    else:
        hi -= 1
else:
    print("IMPOSSIBLE")
