# expect: RE
# exit: 1
# stderr-has: not a number
import sys

sys.exit("not a number")
