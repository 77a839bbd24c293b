# Binary search that stops one short: hi = m - 1 skips the peak.
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
        hi = m - 1
print("!", max(lo, 1), flush=True)
