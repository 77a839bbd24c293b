# expect: OLE
import sys

while True:
    sys.stdout.write("A" * 65536)
