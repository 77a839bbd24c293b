import sys

cache = []
while True:  # keeps every partial sum, and a lot more
    cache.append(bytearray(50 * 1024 * 1024))
