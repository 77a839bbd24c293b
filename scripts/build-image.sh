#!/usr/bin/env bash
# Builds the runner image pyjudge-python from images/python/ and the static
# supervisor binary (build/pyjudge-supervisor, built here when missing;
# PYJUDGE_SUPERVISOR names another).
# A plain `docker build` is tried first; when its base cannot be pulled (no
# registry here), a Debian bookworm base with python3 is made with debootstrap
# from the system's Debian mirror, imported, and the same Dockerfile is built
# on top of it. Idempotent: an image with the current protocol label is kept
# unless --force is given.
#
#   build-image.sh [--force] [--with PKG,PKG...] [--tag NAME]
#
# --with adds Debian packages (python3-numpy, python3-scipy...) to the image;
# such an image is always built on a debootstrapped base, since Debian's
# Python packages are built for Debian's python3. --tag names the image
# (default pyjudge-python, or PYJUDGE_IMAGE); jobs pick it with --image NAME.
set -euo pipefail

usage_error() { echo "build-image: $*" >&2; exit 2; }
force=0
packages=()
tag=${PYJUDGE_IMAGE:-pyjudge-python}
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --with)
      [ $# -ge 2 ] || usage_error "--with needs a comma-separated list of Debian packages"
      IFS=, read -r -a more <<<"$2"
      for p in "${more[@]}"; do
        [[ "$p" =~ ^[a-z0-9][a-z0-9+.-]+$ ]] || usage_error "--with: '$p' is not a Debian package name"
        packages+=("$p")
      done
      shift ;;
    --tag)
      [ $# -ge 2 ] || usage_error "--tag needs an image name"
      [[ "$2" =~ ^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]+)?$ ]] || usage_error "--tag: '$2' is not an image name"
      tag=$2
      shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown argument '$1' (try --help)" ;;
  esac
  shift
done
if [ ${#packages[@]} -gt 0 ]; then
  mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
fi
package_list=$(IFS=,; echo "${packages[*]:-}")

here=$(cd "$(dirname "$0")/.." && pwd)
image=$tag
# python3-pytest is in every base: function grading runs the staff's tests with it.
base_local=pyjudge-base:bookworm-pytest
if [ -n "$package_list" ]; then
  # One base per package list.
  base_local=pyjudge-base:bookworm-$(echo "pytest,$package_list" | sha256sum | cut -c1-12)
fi
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
source_hash=$( (cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum; echo "$package_list") \
  | sha256sum | cut -c1-16)

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
  docker build -q --build-arg "BASE=$1" --build-arg "PYJUDGE_SOURCE_HASH=$source_hash" \
    --build-arg "PYJUDGE_IMAGE_NAME=$image" --build-arg "PYJUDGE_PACKAGES=$package_list" -t "$image" "$ctx" >/dev/null
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
  local mirror
  # Global, so that the EXIT trap still sees it.
  root=$(mktemp -d /var/tmp/pyjudge-rootfs.XXXXXX)
  # Removed however this ends (a failed debootstrap or import exits).
  trap 'rm -rf "$root"; rm -rf "$ctx"' EXIT
  mirror=$(debian_mirror)
  local include=python3,python3-pytest
  [ -n "$package_list" ] && include="python3,python3-pytest,$package_list"
  log "debootstrapping bookworm with $include from $mirror (a minute or more)"
  debootstrap --variant=minbase --include="$include" bookworm "$root" "$mirror" >"$root.log" 2>&1 \
    || { cat "$root/debootstrap/debootstrap.log" >>"$root.log" 2>/dev/null || true
         log "debootstrap failed; see $root.log"; exit 1; }
  rm -f "$root.log"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import - "$base_local" >/dev/null
  rm -rf "$root"
  log "imported $base_local"
}

# Every package must be one Debian has: found here, before a long debootstrap.
for p in "${packages[@]}"; do
  if ! apt-cache show "$p" >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    apt-cache show "$p" >/dev/null 2>&1 || usage_error "--with: Debian has no package '$p'"
  fi
done

if [ -z "$package_list" ] && build_on "python:3.11-slim-bookworm" 2>/dev/null; then
  log "built $image from the public base"
else
  [ -n "$package_list" ] || log "the public base cannot be pulled; building from a local Debian base"
  make_local_base
  build_on "$base_local"
  log "built $image from $base_local"
fi
docker image inspect --format "$image protocol {{ index .Config.Labels \"org.pyjudge.protocol\" }}" "$image" >&2
