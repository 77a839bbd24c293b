# expect: OLE
import sys

while True:
    sys.stderr.write("E" * 65536)
