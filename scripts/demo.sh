#!/usr/bin/env bash
# The main job, end to end on this machine: sets everything up, then grades
# the sample submissions of every sample problem in the form its format
# intends, shows the tables, and checks every verdict. CI runs it
# (scripts/test.sh), so the README's main command cannot fail unnoticed.
#
#   - a problem.json problem: `pyjudge grade PROBLEM PROBLEM/submissions`,
#     then each submission's verdict against PROBLEM/expected.json, and an
#     MLE sample must be MLE on every test it ran;
#   - an ICPC/Kattis package: `pyjudge verify PROBLEM`, which grades the
#     submissions under submissions/<verdict>/ and holds each against its
#     folder's verdict;
#   - a function problem ("kind": "functions"): `pyjudge verify PROBLEM`,
#     which grades submissions/NAME/ and holds each against expected.json's
#     verdict and score.
#
# The results and reports go to results/demo/PROBLEM/. Exits 0 when every
# verdict is the expected one, 1 when one is not, and otherwise with
# pyjudge's own exit code (2 bad input, 3 no engine, ...).
#
#   scripts/demo.sh [--skip-setup] [PYJUDGE OPTIONS...]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = --skip-setup ]; then
  shift
else
  # With the compiler image: problems/peak's validator is C++.
  "$root/scripts/setup.sh" --with-compiler
fi
pyjudge="$root/build/pyjudge"

# report.json against expected.json: prints what differs, exits 1 if anything does.
check_grades() {  # PROBLEM_DIR REPORT_JSON
  python3 - "$1/expected.json" "$2" <<'EOF'
import json, sys
expected = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
bad = []
seen = set()
for s in report["submissions"]:
    name = s["submission"]
    seen.add(name)
    want = expected.get(name)
    if want is None:
        bad.append(f"{name}: not in expected.json")
        continue
    if s["verdict"] != want:
        bad.append(f"{name}: {s['verdict']}, expected {want}")
    if want == "MLE":
        for t in s["tests"]:
            if t["verdict"] not in ("MLE", None):
                bad.append(f"{name}, test {t['test']}: {t['verdict']}, expected MLE on every test")
for name in sorted(set(expected) - seen):
    bad.append(f"{name}: expected {expected[name]}, not graded")
for line in bad:
    print(f"demo: {sys.argv[2]}: {line}", file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

status=0
fail() {  # CODE: keeps the worst outcome (pyjudge's own errors over a wrong verdict)
  if [ "$1" -gt "$status" ]; then status=$1; fi
}
for problem in problems/*/; do
  problem=${problem%/}
  name=$(basename "$problem")
  out="results/demo/$name"
  echo
  set +e
  if [ -f "$problem/problem.yaml" ] || grep -q '"kind": *"functions"' "$problem/problem.json"; then
    # Packages' folders and function problems' expected.json (verdict and
    # score) are checked by verify itself.
    echo "== $name ($( [ -f "$problem/problem.yaml" ] && echo "ICPC/Kattis package" || echo "function problem")): pyjudge verify $problem"
    "$pyjudge" verify "$problem" --out "$out" "$@"
    code=$?
    set -e
    # 1: a sample missed its folder's verdict.
    [ "$code" = 0 ] || fail "$code"
  else
    echo "== $name: pyjudge grade $problem $problem/submissions"
    "$pyjudge" grade "$problem" "$problem/submissions" --out "$out" "$@"
    code=$?
    set -e
    # 1 means "graded, not all accepted": expected, the samples include failures.
    if [ "$code" != 0 ] && [ "$code" != 1 ]; then
      fail "$code"
    elif ! check_grades "$problem" "$out/report.json"; then
      fail 1
    fi
  fi
  echo "reports: $out/"
done
if [ "$status" = 0 ]; then echo "demo: every sample got its expected verdict" >&2; fi
exit "$status"
