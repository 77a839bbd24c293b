#!/usr/bin/env bash
# The main job, end to end on this machine: sets everything up, then runs
# every sample submission of problems/sum on its first test with `pyjudge run`
# and shows the verdict each one gets. Results go to results/demo/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"

out=results/demo
problem=problems/sum
input=$problem/tests/02.in
printf '%-16s %-8s %-6s %s\n' submission verdict exit "stdout (first line)"
for script in "$problem"/submissions/*.py; do
  id=$(basename "$script" .py)
  set +e
  build/pyjudge run --id "$id" --script "$script" --stdin "$input" --time-limit 1 --out "$out" > /dev/null
  code=$?
  set -e
  verdict=$(sed -n 's/.*"verdict": "\([A-Z]*\)".*/\1/p' "$out/$id/result.json")
  printf '%-16s %-8s %-6s %s\n' "$id" "$verdict" "$code" "$(head -n1 "$out/$id/stdout" | cut -c1-40)"
done
echo "results: $out/ID/{stdout,stderr,result.json}"
