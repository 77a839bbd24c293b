#!/usr/bin/env bash
# Prints the Redis ACL commands that make a judge farm's two users: one for
# producers (batch/grade --queue) and one for workers (pyjudge worker), each
# allowed only what its side issues on the queue's keys. Pipe it into
# redis-cli as an admin; then `ACL SAVE` if Redis runs with an aclfile.
#
#   PYJUDGE_PRODUCER_PASSWORD=... PYJUDGE_WORKER_PASSWORD=... \
#     scripts/farm-acl.sh [--queue-name NAME] [--producer USER] [--worker USER] [--aclfile] \
#     | redis-cli -a ADMINPASS
#
# --aclfile prints the same users as lines of a Redis ACL file (redis-server
# --aclfile FILE) instead, so that they exist from Redis's first second.
#
# Defaults: queue pyjudge, users pyjudge-producer and pyjudge-worker. The
# passwords are taken from the environment and printed only as SHA-256
# hashes (Redis's '#HASH' form), so they appear in no command line.
#
# A producer may add units to NAME:jobs and read NAME:results:*; it may not
# write a result. A worker may read and acknowledge NAME:jobs and record
# results; it may not add a job. docs/farm.md ("Two users") and
# SECURITY.md ("The judge farm's trust boundary") say why each right is
# there.
set -euo pipefail

queue=pyjudge
producer=pyjudge-producer
worker=pyjudge-worker
head="ACL SETUSER"
qt='"'  # redis-cli keeps a quoted selector one argument; an ACL file splits at spaces and merges "(...)" itself
usage_error() { echo "farm-acl: $*" >&2; exit 2; }
name_ok() { [[ "$1" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; }
while [ $# -gt 0 ]; do
  case "$1" in
    --queue-name) [ $# -ge 2 ] || usage_error "--queue-name needs a name"; queue=$2; shift ;;
    --producer) [ $# -ge 2 ] || usage_error "--producer needs a user name"; producer=$2; shift ;;
    --worker) [ $# -ge 2 ] || usage_error "--worker needs a user name"; worker=$2; shift ;;
    --aclfile) head=user qt= ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown argument '$1' (try --help)" ;;
  esac
  shift
done
# The same rule as --queue-name: no glob characters, so a pattern below
# matches this queue's keys only.
name_ok "$queue" || usage_error "the queue name must be 1-64 of A-Z a-z 0-9 . _ -"
name_ok "$producer" && name_ok "$worker" || usage_error "user names must be 1-64 of A-Z a-z 0-9 . _ -"
[ "$producer" != "$worker" ] || usage_error "the producer and the worker need two users"
[ -n "${PYJUDGE_PRODUCER_PASSWORD:-}" ] || usage_error "set PYJUDGE_PRODUCER_PASSWORD"
[ -n "${PYJUDGE_WORKER_PASSWORD:-}" ] || usage_error "set PYJUDGE_WORKER_PASSWORD"
hash() { printf '%s' "$1" | sha256sum | cut -c1-64; }

q=$queue
# Every connection: AUTH (always allowed), PING, and SELECT for a /DB URL.
# A selector, "(...)", is one more set of keys and commands; a command is
# allowed when one set allows it with all its keys.
common="+ping +select"
# Producer (judge/farm/farm_producer.cpp): XADD, XRANGE (is a unit still
# queued?), XDEL and XACK of its own entries on the stream; the batch marker
# (HSET, HGETALL, EXPIRE, DEL); from the done map only HDEL (a unit sent
# again), EXPIRE and DEL; the results only read (XREAD), kept alive and
# deleted at the end. No EVAL, no HSET/HSETNX on done, no XADD on results:
# a producer cannot write a result.
echo "$head $producer reset on #$(hash "$PYJUDGE_PRODUCER_PASSWORD") $common" \
  "~$q:jobs +xadd +xrange +xdel +xack" \
  "$qt(~$q:batch:* +hset +hgetall +expire +del)$qt" \
  "$qt(~$q:done:* +hdel +expire +del)$qt" \
  "$qt(%R~$q:results:* +xread)$qt" \
  "$qt(~$q:results:* +expire +del)$qt"
# Worker (judge/farm/farm_worker.cpp, farm_recorder.cpp): on the stream,
# the group's commands (XGROUP CREATE and DELCONSUMER, XREADGROUP,
# XAUTOCLAIM, XCLAIM, XPENDING, XACK, XDEL) but not XADD: a worker cannot
# add a job. EXISTS on batch markers; XADD to NAME:rejected; the record-once
# script (EVAL over the batch, done and results keys, whose calls Redis
# checks against these same rules: EXISTS, HSETNX, XADD, EXPIRE) and HMGET
# of the done map.
echo "$head $worker reset on #$(hash "$PYJUDGE_WORKER_PASSWORD") $common" \
  "~$q:jobs +xreadgroup +xautoclaim +xclaim +xpending +xack +xdel +xgroup|create +xgroup|delconsumer" \
  "$qt(~$q:rejected +xadd)$qt" \
  "$qt(%R~$q:batch:* +exists)$qt" \
  "$qt(~$q:batch:* ~$q:done:* ~$q:results:* +eval +hsetnx +hmget +xadd +expire)$qt"
