#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) to build and run pyjudge:
# build dependencies, a Docker Engine (installed from Debian's docker.io and
# started in the background when none answers), the build in build/, and the
# runner image. Idempotent: every step checks before it acts.
#
#   scripts/setup.sh               what a user needs: pyjudge and the image
#   scripts/setup.sh --with-tests  also doctest and clang-format, and builds the
#                                  tests with warnings as errors (scripts/test.sh)
set -euo pipefail
with_tests=0
[ "${1:-}" = "--with-tests" ] && with_tests=1

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log() { echo "setup: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then exec sudo -E "$0" "$@"; fi
  log "run as root (apt-get and dockerd need it)"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# --- build dependencies --------------------------------------------------
packages=(cmake g++ make pkg-config curl ca-certificates debootstrap
          libcurl4-openssl-dev nlohmann-json3-dev libboost-program-options-dev
          libtbb-dev libspdlog-dev libarchive-dev)
[ "$with_tests" = 1 ] && packages+=(doctest-dev clang-format libxml2-utils dpkg-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -q >/dev/null; apt_updated=1; fi
  apt-get install -y -q --no-install-recommends "$@" >/dev/null
}
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt_install "${missing[@]}"
fi

# --- the engine ----------------------------------------------------------
socket=/var/run/docker.sock
case "${DOCKER_HOST:-}" in
  unix://*) socket=${DOCKER_HOST#unix://} ;;
esac
engine_answers() {
  case "${DOCKER_HOST:-}" in
    tcp://*) curl -fsS --max-time 3 "http://${DOCKER_HOST#tcp://}/_ping" >/dev/null 2>&1 ;;
    *) curl -fsS --max-time 3 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1 ;;
  esac
}
if engine_answers; then
  log "a Docker engine answers"
else
  case "${DOCKER_HOST:-}" in
    tcp://*) log "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine"; exit 3 ;;
  esac
  if ! command -v dockerd >/dev/null; then
    log "installing Docker Engine (docker.io)"
    apt_install docker.io
  fi
  if ! engine_answers; then
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      systemctl start docker || true
    fi
  fi
  if ! engine_answers; then
    log "starting dockerd in the background (log: /var/log/pyjudge-dockerd.log)"
    host_arg=()
    [ "$socket" != /var/run/docker.sock ] && host_arg=(-H "unix://$socket")
    setsid nohup dockerd "${host_arg[@]}" >>/var/log/pyjudge-dockerd.log 2>&1 < /dev/null &
    for _ in $(seq 1 120); do
      engine_answers && break
      sleep 0.5
    done
  fi
  if ! engine_answers; then
    log "dockerd did not come up; see /var/log/pyjudge-dockerd.log"
    tail -n 20 /var/log/pyjudge-dockerd.log >&2 || true
    exit 3
  fi
  log "the Docker engine is up"
fi

# --- build -----------------------------------------------------------------
if [ "$with_tests" = 1 ]; then
  log "building pyjudge, the supervisor and the tests into build/ (warnings are errors)"
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPYJUDGE_TESTS=ON -DPYJUDGE_WERROR=ON >/dev/null
  cmake --build "$root/build" -j"$(nproc)" >/dev/null
else
  log "building pyjudge and the supervisor into build/"
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPYJUDGE_TESTS=OFF >/dev/null
  cmake --build "$root/build" -j"$(nproc)" --target pyjudge pyjudge-supervisor >/dev/null
fi

# --- the runner image --------------------------------------------------------
"$root/scripts/build-image.sh"
log "ready: $root/build/pyjudge"
