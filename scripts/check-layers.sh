#!/usr/bin/env bash
# Fails on an include that goes up a layer. The layers, lowest first:
#   runner/shared    the vocabulary every layer (and the supervisor) shares
#   runner/job       a job, its limits and what came of it
#   runner/engine    the Docker Engine API
#   runner/sandbox   containers, and one run in one
#   judge/check      how an output is checked: the built-in checkers and the
#                    package format's default validator
#   judge/formats    problems and submissions as loaded from disk
#   judge            grading, batches, the spool, the farm, reports
#   judge/cli        the pyjudge command
# A file may include its own layer and the ones below it. The supervisor
# (runner/supervisor) is a program of its own: it includes runner/shared and
# itself only. Includes are rooted ("runner/job/job.h"); a quoted include
# that is not is an error too. scripts/test.sh runs this (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

rank() {
  case "$1" in
    runner/shared/*) echo 0 ;;
    runner/job/*) echo 1 ;;
    runner/engine/*) echo 2 ;;
    runner/sandbox/*) echo 3 ;;
    judge/check/*) echo 4 ;;
    judge/formats/*) echo 5 ;;
    judge/cli/*) echo 7 ;;
    judge/*) echo 6 ;;
    *) echo 99 ;;
  esac
}

bad=0
while IFS= read -r file; do
  from=$(rank "$file")
  while IFS=: read -r line target; do
    target=${target#*\"}
    target=${target%%\"*}
    if [[ "$target" != */* ]]; then
      echo "$file:$line: \"$target\" is not a rooted include (write the path from the top of the tree)"
      bad=1
      continue
    fi
    if [[ "$file" == runner/supervisor/* ]]; then
      case "$target" in
        runner/shared/* | runner/supervisor/*) ;;
        *) echo "$file:$line: the supervisor includes only runner/shared and runner/supervisor, not $target"; bad=1 ;;
      esac
      continue
    fi
    to=$(rank "$target")
    if ((to > from)); then
      echo "$file:$line: $target is a layer above ${file%/*}/"
      bad=1
    fi
  done < <(grep -n '^#include "' "$file" || true)
done < <(find runner judge -name '*.h' -o -name '*.cpp' | sort)

if ((bad)); then
  echo "check-layers: includes that go up a layer (see the layers at the top of $0)" >&2
  exit 1
fi
echo "check-layers: every include goes down or sideways" >&2
