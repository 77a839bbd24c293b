# Reads one line too many.
n = int(input())
xs = list(map(int, input().split()))
input()
print(sum(xs) / n)
