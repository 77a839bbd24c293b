#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) to build and run pyjudge:
# build dependencies, a Docker Engine (installed from Debian's docker.io and
# started in the background when none answers), the build in build/, and the
# runner image. Idempotent: every step checks before it acts.
#
#   scripts/setup.sh               what a user needs: pyjudge and the image
#   scripts/setup.sh --with-tests  also doctest, clang-format, clang-tidy and redis-server
#                                  (the farm's test starts its own), and builds the
#                                  tests with warnings as errors (scripts/test.sh)
#   scripts/setup.sh --with-gvisor also installs gVisor (Debian's runsc) and
#                                  registers it with the engine as the runtime
#                                  "runsc" (pyjudge --runtime runsc)
#   scripts/setup.sh --with-compiler
#                                  also builds the compiler image pyjudge-gcc,
#                                  in which a package's C and C++ validators
#                                  are built and run
#   --without-unit-tests           with --with-tests: build the engine tests but
#                                  not the unit tests (scripts/test.sh builds
#                                  and runs those under ASan instead)
set -euo pipefail
with_tests=0
with_gvisor=0
with_compiler=0
unit_tests=1
for arg in "$@"; do
  case "$arg" in
    --with-tests) with_tests=1 ;;
    --with-gvisor) with_gvisor=1 ;;
    --with-compiler) with_compiler=1 ;;
    --without-unit-tests) unit_tests=0 ;;
    *) echo "setup: unknown option $arg (--with-tests, --with-gvisor, --with-compiler, --without-unit-tests)" >&2; exit 2 ;;
  esac
done

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
packages=(cmake g++ make pkg-config curl ca-certificates debootstrap python3
          libcurl4-openssl-dev nlohmann-json3-dev libboost-program-options-dev
          libtbb-dev libspdlog-dev libarchive-dev libyaml-cpp-dev libhiredis-dev)
[ "$with_tests" = 1 ] && packages+=(doctest-dev clang-format clang-tidy libxml2-utils dpkg-dev openssl chromium fonts-dejavu-core
                                      redis-server redis-tools python3-pytest)
[ "$with_gvisor" = 1 ] && packages+=(python3)
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

# --- gVisor (--with-gvisor) ---------------------------------------------------
# Debian's runsc runs here on the ptrace platform. A container without a
# network (pyjudge's) needs --network=none, or runsc refuses to start it
# ("cannot run with network enabled in root network namespace").
engine_runtimes() {
  curl -fsS --max-time 5 --unix-socket "$socket" http://localhost/info |
    python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin).get("Runtimes", {}))))'
}
if [ "$with_gvisor" = 1 ]; then
  case "${DOCKER_HOST:-}" in
    tcp://*) log "--with-gvisor registers runsc with the local engine only; DOCKER_HOST=$DOCKER_HOST"; exit 2 ;;
  esac
  command -v runsc >/dev/null || { log "installing gVisor (runsc)"; apt_install runsc; }
  if ! engine_runtimes | tr ' ' '\n' | grep -qx runsc; then
    log "registering runsc with the engine (/etc/docker/daemon.json)"
    mkdir -p /etc/docker
    python3 - "$(command -v runsc)" <<'PY'
import json, os, sys
path = "/etc/docker/daemon.json"
config = {}
if os.path.exists(path) and os.path.getsize(path) > 0:
    with open(path) as f:
        config = json.load(f)
config.setdefault("runtimes", {})["runsc"] = {
    "path": sys.argv[1], "runtimeArgs": ["--platform=ptrace", "--network=none", "--oci-seccomp"]}
tmp = path + ".pyjudge-tmp"
with open(tmp, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
PY
    # dockerd reloads its runtimes on SIGHUP; no restart, no container lost.
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ] && systemctl is-active -q docker; then
      systemctl reload docker
    else
      kill -HUP "$(pidof dockerd)"
    fi
    for _ in $(seq 1 40); do
      engine_runtimes | tr ' ' '\n' | grep -qx runsc && break
      sleep 0.25
    done
    engine_runtimes | tr ' ' '\n' | grep -qx runsc || { log "the engine did not take the runtime runsc"; exit 3; }
  fi
  log "gVisor: the engine's runtimes are $(engine_runtimes)"
fi

# --- build -----------------------------------------------------------------
if [ "$with_tests" = 1 ]; then
  log "building pyjudge, the supervisor and the tests into build/ (warnings are errors)"
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPYJUDGE_TESTS=ON -DPYJUDGE_WERROR=ON >/dev/null
  if [ "$unit_tests" = 1 ]; then
    cmake --build "$root/build" -j"$(nproc)" >/dev/null
  else
    cmake --build "$root/build" -j"$(nproc)" --target pyjudge pyjudge-supervisor engine_tests >/dev/null
  fi
else
  log "building pyjudge and the supervisor into build/"
  cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPYJUDGE_TESTS=OFF >/dev/null
  cmake --build "$root/build" -j"$(nproc)" --target pyjudge pyjudge-supervisor >/dev/null
fi

# --- the runner image (and the compiler image) ------------------------------
"$root/scripts/build-image.sh"
if [ "$with_compiler" = 1 ]; then
  "$root/scripts/build-image.sh" --with g++ --tag pyjudge-gcc
fi
log "ready: $root/build/pyjudge"
