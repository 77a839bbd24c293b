import sys

while True:  # prints its working, endlessly
    sys.stdout.write("still summing...\n" * 1000)
