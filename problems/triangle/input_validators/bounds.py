"""Triangle numbers' input validator: one line holding n, 1 <= n <= MAX, with
no sign, no leading zero and nothing else. MAX comes from the test group's
input_validator_args (--max MAX). Exit 42: valid; 43: invalid, saying why."""
import re
import sys

limit = 10**18
args = sys.argv[1:]
if len(args) == 2 and args[0] == "--max":
    limit = int(args[1])


def invalid(why):
    print(why)
    sys.exit(43)


text = sys.stdin.read()
if not re.fullmatch(r"[1-9][0-9]*\n", text):
    invalid("not one line with a positive integer: %r" % text[:40])
n = int(text)
if n > limit:
    invalid("n = %d is above this group's limit %d" % (n, limit))
sys.exit(42)
