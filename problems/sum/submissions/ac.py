import sys

print(sum(int(tok) for tok in sys.stdin.read().split()))
