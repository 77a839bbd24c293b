# expect: RE
# signal: 9
import os
import signal

os.killpg(0, signal.SIGKILL)
