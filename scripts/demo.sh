#!/usr/bin/env bash
# The main job, end to end on this machine: sets everything up, then grades
# the sample submissions of every sample problem and shows the tables. The
# results and reports go to results/demo/PROBLEM/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"

status=0
for problem in problems/*/; do
  name=$(basename "$problem")
  echo
  set +e
  build/pyjudge grade "$problem" "$problem/submissions" --out "results/demo/$name"
  code=$?
  set -e
  # 1 means "graded, not all accepted": expected, the samples include failures.
  if [ "$code" != 0 ] && [ "$code" != 1 ]; then status=$code; fi
  echo "reports: results/demo/$name/{report.json,junit.xml,grades.csv}"
done
exit "$status"
