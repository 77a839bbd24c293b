# A list of n numbers: a MemoryError for group 2's n.
n = int(input())
print(sum(list(range(1, n + 1))) % 1_000_000_007)
