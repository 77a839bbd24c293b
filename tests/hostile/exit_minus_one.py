# expect: RE
# exit: 255
import sys

sys.exit(-1)
