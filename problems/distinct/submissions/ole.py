import sys

data = sys.stdin.read().split()
chunk = "".join("considering %s\n" % token for token in data[1:])
chunk *= max(1, 65536 // len(chunk))
while True:  # debugging output left in, in a loop that never ends
    sys.stdout.write(chunk)
