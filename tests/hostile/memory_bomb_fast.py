# expect: MLE
# limits: memory=64m time_limit=5
data = b"x" * (1024 * 1024 * 1024)
print(len(data))
