import sys

print(int(sys.stdin.read()))  # ValueError: one number expected, several given
