# expect: MLE RE
# limits: memory=128m time_limit=10
# Unbounded recursion with the recursion limit lifted: the heap (3.11) or the
# C stack gives out; either way it is the script's failure, never OK or IE.
import sys

sys.setrecursionlimit(10**9)


def down(n):
    return down(n + 1) + 1


down(0)
