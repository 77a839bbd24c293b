# Reads the answer as a number.
print(500, flush=True)
hint = int(input())
