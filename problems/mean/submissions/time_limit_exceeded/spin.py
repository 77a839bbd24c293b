# Right on the samples (which are tiny), then never finishes on a large group.
n = int(input())
xs = list(map(int, input().split()))
while n > 10:
    pass
print(sum(xs) / n)
