# Always the first two: right on the first sample only.
input()
input()
print(1, 2)
