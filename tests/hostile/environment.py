# expect: OK
# stdout-lacks: PYJUDGE_TEST_SECRET
# stdout-lacks: s3cr3t-value
# stdout-has: HOME
# The judge's environment must not leak in.
import os

for k, v in sorted(os.environ.items()):
    print(k, v)
