import sys

total = sum(int(tok) for tok in sys.stdin.read().split())
while True:  # "double-checks" forever
    total += 0
