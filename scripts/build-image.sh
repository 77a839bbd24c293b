#!/usr/bin/env bash
# Builds the runner image pyjudge-python from images/python/ and the static
# supervisor binary (build/pyjudge-supervisor, built here when missing;
# PYJUDGE_SUPERVISOR names another).
# A plain `docker build` is tried first; when its base cannot be pulled (no
# registry here), a Debian bookworm base with python3 is made with debootstrap
# from the system's Debian mirror, imported, and the same Dockerfile is built
# on top of it. Idempotent: an image with the current protocol label is kept
# unless --force is given.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
image=${PYJUDGE_IMAGE:-pyjudge-python}
base_local=pyjudge-base:bookworm
src="$here/images/python"
# The supervisor: PYJUDGE_SUPERVISOR; an installed package's
# PREFIX/lib/pyjudge/ (this script is then PREFIX/share/pyjudge/scripts/);
# or a source tree's build/, built here when missing.
if [ -n "${PYJUDGE_SUPERVISOR:-}" ]; then
  supervisor=$PYJUDGE_SUPERVISOR
elif [ -x "$here/../../lib/pyjudge/pyjudge-supervisor" ]; then
  supervisor=$(cd "$here/../../lib/pyjudge" && pwd)/pyjudge-supervisor
else
  supervisor=$here/build/pyjudge-supervisor
  if [ ! -x "$supervisor" ]; then
    cmake -S "$here" -B "$here/build" >/dev/null
    cmake --build "$here/build" --target pyjudge-supervisor >/dev/null
  fi
fi
# The build context: the folder plus the stripped supervisor.
ctx=$(mktemp -d /var/tmp/pyjudge-image.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
cp -r "$src"/. "$ctx"/
strip -o "$ctx/pyjudge-supervisor" "$supervisor"
protocol=$(sed -n 's/^ARG PYJUDGE_PROTOCOL=\([0-9]*\)$/\1/p' "$ctx/Dockerfile")
source_hash=$(cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
force=0
[ "${1:-}" = "--force" ] && force=1

# The classic builder resolves a local base image without asking a registry.
export DOCKER_BUILDKIT=0
log() { echo "build-image: $*" >&2; }

if ! docker version >/dev/null 2>&1; then
  log "no Docker engine answers; run scripts/setup.sh (or start dockerd) first"
  exit 3
fi

current=$(docker image inspect --format '{{ index .Config.Labels "org.pyjudge.source-hash" }}' "$image" 2>/dev/null || true)
if [ "$force" = 0 ] && [ "$current" = "$source_hash" ]; then
  log "$image is up to date (protocol $protocol, source $source_hash)"
  exit 0
fi

build_on() {
  docker build -q --build-arg "BASE=$1" --build-arg "PYJUDGE_SOURCE_HASH=$source_hash" -t "$image" "$ctx" >/dev/null
}

debian_mirror() {
  # First deb URI of the system's own sources (deb822 or one-line format).
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '{print $2}' | grep -v security | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null \
          | awk '{print $2}' | grep -v security | head -n1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

make_local_base() {
  if docker image inspect "$base_local" >/dev/null 2>&1; then
    log "reusing local base $base_local"
    return
  fi
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
  local root mirror
  root=$(mktemp -d /var/tmp/pyjudge-rootfs.XXXXXX)
  trap 'rm -rf "$root"' RETURN
  mirror=$(debian_mirror)
  log "debootstrapping bookworm with python3 from $mirror (about a minute)"
  debootstrap --variant=minbase --include=python3 bookworm "$root" "$mirror" >"$root.log" 2>&1 \
    || { log "debootstrap failed; see $root.log"; exit 1; }
  rm -f "$root.log"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import - "$base_local" >/dev/null
  log "imported $base_local"
}

if build_on "python:3.11-slim-bookworm" 2>/dev/null; then
  log "built $image from the public base"
else
  log "the public base cannot be pulled; building from a local Debian base"
  make_local_base
  build_on "$base_local"
  log "built $image from $base_local"
fi
docker image inspect --format "$image protocol {{ index .Config.Labels \"org.pyjudge.protocol\" }}" "$image" >&2
