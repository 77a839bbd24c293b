# Binary search on the slope: a[m] < a[m + 1] means the peak lies after m.
def ask(i):
    print("?", i, flush=True)
    return int(input())


n = int(input())
lo, hi = 1, n
while lo < hi:
    m = (lo + hi) // 2
    if ask(m) < ask(m + 1):
        lo = m + 1
    else:
        hi = m
print("!", lo, flush=True)
