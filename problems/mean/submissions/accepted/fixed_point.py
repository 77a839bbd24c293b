# Seven decimals: within the tolerance, formatted unlike the answers.
n = int(input())
print(f"{sum(map(int, input().split())) / n:.7f}")
