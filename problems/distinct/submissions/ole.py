import sys

data = sys.stdin.read().split()
while True:  # debugging output left in, in a loop that never ends
    for token in data[1:]:
        print("considering", token)
