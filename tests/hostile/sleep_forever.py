# expect: TLE
# limits: time_limit=1
import time

time.sleep(10**6)
