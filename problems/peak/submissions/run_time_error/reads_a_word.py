# Reads the judge's first line as a list of words and indexes past its end.
n = input().split()[1]
print("!", n, flush=True)
