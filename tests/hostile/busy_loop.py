# expect: TLE
# limits: time_limit=1
while True:
    pass
