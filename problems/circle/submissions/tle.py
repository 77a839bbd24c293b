import sys

lines = sys.stdin.read().split()
for token in lines[1:]:
    r = float(token)
    # Monte Carlo "integration" that never converges
    inside = 0
    while True:
        inside += 1
