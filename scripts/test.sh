#!/usr/bin/env bash
# The test command (README, CI): sets everything up on a fresh machine
# (with the tests, warnings as errors), checks the formatting and (beside the
# other steps) clang-tidy, runs the unit
# tests under AddressSanitizer and UBSan, then the engine integration tests on
# the regular build, the judge farm's test (its own redis-server), the
# README's demo (every sample problem, every verdict checked) and the .deb,
# then checks that no pyjudge container is left.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# The unit tests are built and run once, under ASan and UBSan (below).
"$root/scripts/setup.sh" --with-tests --with-gvisor --without-unit-tests

# Two slow steps run beside the others, to keep a run near 20 minutes on two
# cores: the extra images (mostly downloads) and clang-tidy (niced, so that the
# builds and the engine tests come first). Each is waited for, and its
# failure fails the run, before the step that needs it or at the end.
logs=$(mktemp -d /var/tmp/pyjudge-test-logs.XXXXXX)
background() {  # NAME COMMAND...: runs it, its output and exit code kept in $logs
  local name=$1
  shift
  ( set +e; "$@" >"$logs/$name.log" 2>&1; echo $? >"$logs/$name.rc" ) &
}
finish() {  # NAME: waits for it; prints its output and fails when it failed
  while [ ! -f "$logs/$1.rc" ]; do sleep 1; done
  if [ "$(cat "$logs/$1.rc")" != 0 ]; then
    cat "$logs/$1.log" >&2
    echo "$1 failed" >&2
    exit 1
  fi
  tail -n 3 "$logs/$1.log" >&2
}
echo "== in the background: the numpy and compiler images (engine tests) and clang-tidy (at ${SECONDS}s)" >&2
# The images with extra Debian packages that the engine tests and the demo
# use: numpy, and g++ for packages' C and C++ validators.
extra_images() {
  "$root/scripts/build-image.sh" --with python3-numpy --tag pyjudge-python-numpy &&
    "$root/scripts/build-image.sh" --with g++ --tag pyjudge-gcc
}
background images extra_images
background clang-tidy nice -n 10 cmake --build "$root/build" --target tidy

echo "== the layers: no include goes up one (at ${SECONDS}s)" >&2
"$root/scripts/check-layers.sh"

echo "== clang-format (at ${SECONDS}s)" >&2
cmake --build "$root/build" --target format-check

echo "== unit tests under ASan + UBSan (at ${SECONDS}s)" >&2
# A unity build: each batch of sources parses the heavy headers once, which
# halves this build's CPU (build/ stays one file per unit, for clang-tidy and
# to catch a missing include).
cmake -S "$root" -B "$root/build-asan" -DCMAKE_BUILD_TYPE=Debug -DPYJUDGE_SANITIZE=ON -DPYJUDGE_TESTS=ON \
  -DPYJUDGE_WERROR=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$root/build-asan" -j"$(nproc)" --target unit_tests >/dev/null
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$root/build-asan/tests/unit_tests"
echo "== Python unit tests: the runner image's harness (at ${SECONDS}s)" >&2
python3 -m unittest discover -s "$root/tests/unit/python" -p 'test_*.py'

echo "== the numpy and compiler images (at ${SECONDS}s)" >&2
finish images

echo "== engine integration tests (at ${SECONDS}s)" >&2
ctest --test-dir "$root/build" --output-on-failure -L engine

echo "== the zygote's conformance: forked runs behave as exec'd ones (at ${SECONDS}s)" >&2
python3 "$root/tests/zygote/conformance.py" --binary "$root/build/pyjudge"

echo "== the judge farm: Redis, workers, crashes (at ${SECONDS}s)" >&2
"$root/tests/farm/farm_test.sh" "$root/build/pyjudge"

echo "== the README's demo: every sample problem graded, every verdict checked (at ${SECONDS}s)" >&2
# grade for problem.json problems (each verdict against expected.json, an
# MLE sample MLE on every test), verify for packages (each sample against
# its submissions/<verdict>/ folder).
"$root/scripts/demo.sh" --skip-setup --quiet

# Before cpack, which builds in the same folder.
echo "== clang-tidy (runner/ and judge/) (at ${SECONDS}s)" >&2
finish clang-tidy
rm -rf "$logs"

echo "== the .deb package (at ${SECONDS}s)" >&2
(cd "$root/build" && rm -f pyjudge_*.deb && cpack -G DEB >/dev/null)
deb=$(ls "$root"/build/pyjudge_*_amd64.deb)
# (Read whole first: grep -q in a pipe can end it early and, with pipefail, fail it.)
depends=$(dpkg-deb -f "$deb" Depends)
case "$depends" in
  *libcurl4*) ;;
  *) echo "the .deb declares no dependencies on its libraries: '$depends'" >&2; exit 1 ;;
esac
# Installed for real (apt resolves the declared dependencies), then removed.
apt-get install -y -qq "$deb" >/dev/null
/usr/bin/pyjudge doctor >/dev/null
dpkg -r pyjudge >/dev/null
unpacked=$(mktemp -d /var/tmp/pyjudge-deb.XXXXXX)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
for f in usr/lib/pyjudge/pyjudge-supervisor usr/share/pyjudge/scripts/build-image.sh \
         usr/share/pyjudge/images/python/Dockerfile usr/share/man/man1/pyjudge.1; do
  [ -e "$unpacked/$f" ] || { echo "the .deb lacks /$f" >&2; exit 1; }
done
set +e
missing=$("$unpacked/usr/bin/pyjudge" run "$root/problems/sum/submissions/ac.py" --image pyjudge-no-such-image \
          --out "$unpacked/out" 2>&1)
set -e
case "$missing" in
  *"$unpacked/usr/share/pyjudge/scripts/build-image.sh"*) echo "$deb: installs, runs doctor, points at its own scripts" >&2 ;;
  *) echo "the installed pyjudge does not point at its own build-image.sh: $missing" >&2; exit 1 ;;
esac

echo "== leftover containers (at ${SECONDS}s)" >&2
socket=${DOCKER_HOST:-unix:///var/run/docker.sock}
socket=${socket#unix://}
left=$(curl -fsS --unix-socket "$socket" -G http://localhost/v1.41/containers/json \
        --data-urlencode all=1 --data-urlencode 'filters={"label":["org.pyjudge=1"]}')
if [ "$left" != "[]" ]; then
  echo "pyjudge containers were left behind: $left" >&2
  exit 1
fi
echo "no pyjudge container left" >&2
