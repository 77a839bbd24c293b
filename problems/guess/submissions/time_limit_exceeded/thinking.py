# Thinks forever before its first guess.
n = 0
while True:
    n += 1
