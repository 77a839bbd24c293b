#!/usr/bin/env bash
# The judge farm end to end, with a real redis-server on loopback (started
# here) and the real engine: three workers, 120 jobs, a worker killed with
# kill -9 and Redis killed with kill -9 and restarted mid-batch, a queue entry
# lost; then malformed messages, a wrong password, SIGTERM to a busy worker,
# two signals, an interrupted producer and a lost one resumed.
#
#   tests/farm/farm_test.sh [path/to/pyjudge]
#
# Needs redis-server and redis-cli (scripts/setup.sh --with-tests installs
# them), the engine and the runner image (scripts/setup.sh).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
pyjudge=${1:-$root/build/pyjudge}
say() { echo "farm: $*" >&2; }
die() { echo "farm: FAILED: $*" >&2; exit 1; }

command -v redis-server >/dev/null || die "redis-server is missing: run scripts/setup.sh --with-tests"
[ -x "$pyjudge" ] || die "$pyjudge is missing: run scripts/setup.sh --with-tests"
socket=${DOCKER_HOST:-unix:///var/run/docker.sock}
socket=${socket#unix://}
curl -fsS --max-time 3 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1 ||
  die "no Docker engine answers at $socket: start one with scripts/setup.sh"

work=$(mktemp -d "${TMPDIR:-/var/tmp}/pyjudge-farm.XXXXXX")
export TMPDIR=$work  # the workers' scratch folders too
port=$((20000 + RANDOM % 20000))
queue=pyjudge-ci
url="redis://farm:farmpass@127.0.0.1:$port"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  redis-cli -p "$port" -a adminpass --no-auth-warning shutdown nosave >/dev/null 2>&1 || true
  if [ "${keep:-0}" = 0 ]; then rm -rf "$work"; else echo "farm: kept $work" >&2; fi
}
trap cleanup EXIT

# Persistence as the README documents it: an append-only file, synced on
# every write. The ACL user "farm" may touch only the queue's keys.
start_redis() {
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --daemonize yes --logfile "$work/redis.log" \
    --pidfile "$work/redis.pid" --save '' --appendonly yes --appendfsync always --requirepass adminpass \
    --user farm on '>farmpass' "~$queue:*" '+@all' '-@dangerous' >/dev/null
  for _ in $(seq 50); do
    [ "$(R ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  die "redis-server did not start: $(tail -5 "$work/redis.log")"
}
R() { redis-cli -p "$port" --user farm --pass farmpass --no-auth-warning "$@"; }
containers() {
  curl -fsS --unix-socket "$socket" -G http://localhost/v1.41/containers/json \
    --data-urlencode all=1 --data-urlencode 'filters={"label":["org.pyjudge=1"]}'
}
worker() {  # NAME [OPTIONS...]: starts a worker in the background; its pid in $worker_pid
  local name=$1
  shift
  "$pyjudge" worker --queue "$url" --queue-name "$queue" --log-level info "$@" >"$work/$name.log" 2>&1 &
  worker_pid=$!
  pids+=("$worker_pid")
}
wait_for() {  # SECONDS WHAT COMMAND...: polls until COMMAND succeeds
  local limit=$1 what=$2
  shift 2
  for _ in $(seq $((limit * 10))); do
    "$@" && return 0
    sleep 0.1
  done
  die "timed out after ${limit}s waiting for $what"
}
produce() {  # NAME [OPTIONS...]: batch $work/NAME/jobs.jsonl on the farm into $work/NAME/out, in the
             # background, logging to $work/NAME.log; its pid in $producer
  local name=$1
  shift
  "$pyjudge" batch "$work/$name/jobs.jsonl" --queue "$url" --queue-name "$queue" --out "$work/$name/out" "$@" \
    >"$work/$name.log" 2>&1 &
  producer=$!
  pids+=("$producer")
}
results_in() { find "$1" -name result.json 2>/dev/null | wc -l; }
at_least() { [ "$(results_in "$1")" -ge "$2" ]; }
log_has() { grep -q -- "$2" "$work/$1.log"; }
log_count_at_least() { [ "$(grep -c -- "$2" "$work/$1.log")" -ge "$3" ]; }  # LOG TEXT N
rejected_at_least() { [ "$(R xlen "$queue:rejected")" -ge "$1" ]; }
nothing_pending() { [ "$(R xpending "$queue:jobs" workers | head -1)" = 0 ]; }
exits_with() {  # PID CODE SECONDS
  local pid=$1 want=$2 limit=$3 rc
  for _ in $(seq $((limit * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && die "process $pid did not exit within ${limit}s"
  set +e
  wait "$pid"
  rc=$?
  set -e
  [ "$rc" = "$want" ] || die "process $pid exited $rc, not $want"
}
queue_is_clean() {
  [ "$(R xlen "$queue:jobs")" = 0 ] || die "entries left in $queue:jobs: $(R xrange "$queue:jobs" - + count 3)"
  local pending
  pending=$(R xpending "$queue:jobs" workers | head -1)
  [ "$pending" = 0 ] || die "$pending entries left pending in $queue:jobs"
  local left
  left=$(R --scan --pattern "$queue:*" | grep -v -e ":jobs$" -e ":rejected$" || true)
  [ -z "$left" ] || die "batch keys left in Redis: $left"
}
jobs_file() {  # FILE COUNT SLEEP: jobs jN whose script prints N*N after SLEEP seconds
  local file=$1 n=$2 sleep=$3 dir
  dir=$(dirname "$file")
  printf 'import sys, time\nn = int(sys.stdin.read())\ntime.sleep(%s)\nprint(n * n)\n' "$sleep" >"$dir/square.py"
  : >"$file"
  for i in $(seq "$n"); do
    echo "$i" >"$dir/in$i"
    echo "{\"id\":\"j$i\",\"script\":\"square.py\",\"stdin\":\"in$i\",\"time_limit\":20}" >>"$file"
  done
}
all_right() {  # OUT COUNT: every jN has result OK and stdout N*N
  local out=$1 n=$2
  for i in $(seq "$n"); do
    [ "$(cat "$out/j$i/stdout" 2>/dev/null)" = $((i * i)) ] || die "$out/j$i/stdout is not $((i * i))"
    grep -q '"verdict": "OK"' "$out/j$i/result.json" || die "$out/j$i is not OK: $(cat "$out/j$i/result.json")"
  done
}

start_redis

# --- three workers, 120 jobs, kill -9 of a worker and of Redis -----------
say "3 workers, 120 jobs; a worker and Redis killed with kill -9 mid-batch"
mkdir -p "$work/big"
jobs_file "$work/big/jobs.jsonl" 120 0.3
worker w1 --jobs 2 --lease 4; w1=$worker_pid
worker w2 --jobs 2 --lease 4; w2=$worker_pid
worker w3 --jobs 2 --lease 4; w3=$worker_pid
produce big --log-level info
wait_for 120 "20 results" at_least "$work/big/out" 20
log_has w1 "unit " || die "worker 1 took no unit before it was killed"
kill -9 "$w1"
say "worker 1 killed at $(results_in "$work/big/out") results"
wait_for 120 "50 results" at_least "$work/big/out" 50
# An entry lost from the queue (as a Redis without persistence would lose
# it): the producer must send it again.
last=$(R xrevrange "$queue:jobs" + - count 1 | head -1)
[ -n "$last" ] || die "the queue is empty at 50 of 120 results"
R xdel "$queue:jobs" "$last" >/dev/null
kill -9 "$(cat "$work/redis.pid")"
say "entry $last deleted and Redis killed at $(results_in "$work/big/out") results"
sleep 2
start_redis
say "Redis restarted"
exits_with "$producer" 0 300
all_right "$work/big/out" 120
for i in $(seq 120); do
  n=$(grep -c "job j$i: " "$work/big.log" || true)
  [ "$n" = 1 ] || die "job j$i was recorded $n times"
done
workers=$(grep -h '"worker"' "$work"/big/out/*/result.json | sort -u | wc -l)
[ "$workers" -ge 2 ] || die "the jobs ran on $workers worker(s), not at least 2"
grep -q '"done": 120' "$work/big/out/summary.json" || die "summary.json does not say 120 done"
log_has big "lost from the queue; sending it again" || die "the producer did not send the lost entry again"
grep -q "taking over unit" "$work/w2.log" "$work/w3.log" || die "no worker took over the killed worker's units"
say "120/120 right, each recorded once, on $workers workers; the killed worker's units taken over"

# --- malformed and oversized messages ----------------------------------
say "malformed messages"
R xadd "$queue:jobs" '*' v 1 meta 'not json' >/dev/null
head -c $((64 * 1024 * 1024 + 1)) /dev/zero | R -x xadd "$queue:jobs" '*' v 1 meta '{}' b0 >/dev/null
batch=0123456789abcdef0123
R hset "$queue:batch:$batch" producer test >/dev/null
R xadd "$queue:jobs" '*' v 1 meta "{\"batch\":\"$batch\",\"unit\":\"u0\",\"shared\":false,\"jobs\":[{\"id\":\"x1\",\"script\":7,\"limits\":{}}]}" >/dev/null
wait_for 30 "the rejections" rejected_at_least 3
R xrange "$queue:rejected" - + >"$work/rejected.txt"
grep -q "not a JSON object" "$work/rejected.txt" || die "no rejection for a malformed meta: $(cat "$work/rejected.txt")"
grep -q "larger than the farm's 64m" "$work/rejected.txt" || die "no rejection for an oversized file"
grep -q "names no blob" "$work/rejected.txt" || die "no rejection for a job naming a missing blob"
R xrange "$queue:results:$batch" - + | grep -q '"verdict":"IE"' ||
  die "the producer of a rejected unit got no IE result for its job"
R del "$queue:batch:$batch" "$queue:done:$batch" "$queue:results:$batch" >/dev/null
kill -0 "$w2" && kill -0 "$w3" || die "a worker died of a malformed message"

# --- the workers stop; nothing is left ---------------------------------
kill -TERM "$w2" "$w3"
exits_with "$w2" 0 60
exits_with "$w3" 0 60
queue_is_clean
[ "$(containers)" = "[]" ] || die "containers left after the workers stopped: $(containers)"
say "malformed messages rejected with their reasons; queue and engine clean after the workers stopped"

# --- a wrong password ----------------------------------------------------
set +e
msg=$("$pyjudge" worker --queue "redis://farm:wrong@127.0.0.1:$port" --queue-name "$queue" 2>&1)
rc=$?
set -e
[ "$rc" = 3 ] || die "a wrong password exits $rc, not 3: $msg"
case "$msg" in *"refused the credentials"*) ;; *) die "a wrong password says: $msg" ;; esac
say "a wrong password: exit 3 ($msg)"

# --- SIGTERM to a busy worker: its jobs finish -------------------------
say "SIGTERM to a busy worker"
mkdir -p "$work/term"
jobs_file "$work/term/jobs.jsonl" 2 3
worker w4 --jobs 2 --lease 4; w4=$worker_pid
produce term
wait_for 60 "worker 4 to start both units" log_count_at_least w4 "unit " 2
kill -TERM "$w4"
exits_with "$w4" 0 60
exits_with "$producer" 0 30
all_right "$work/term/out" 2
queue_is_clean

# --- two signals: the running job is killed and goes to another worker --
say "two signals to a busy worker; another worker takes its job over"
mkdir -p "$work/kill"
jobs_file "$work/kill/jobs.jsonl" 1 3
worker w5 --jobs 1 --lease 3; w5=$worker_pid
produce kill
wait_for 60 "worker 5 to start the unit" log_has w5 "unit "
sleep 1
kill -TERM "$w5"
sleep 0.3
kill -TERM "$w5"
exits_with "$w5" 143 30
[ "$(containers)" = "[]" ] || die "worker 5 left containers: $(containers)"
worker w6 --jobs 1 --lease 3; w6=$worker_pid
exits_with "$producer" 0 60
all_right "$work/kill/out" 1
grep -q '"worker": ".*:'"$w6"'"' "$work/kill/out/j1/result.json" || die "the job was not recorded by worker 6"

# --- an interrupted producer leaves the queue clean --------------------
say "SIGINT to a producer"
mkdir -p "$work/int"
jobs_file "$work/int/jobs.jsonl" 8 5
before=$(grep -c "unit " "$work/w6.log")
produce int
wait_for 60 "worker 6 to start a unit of it" log_count_at_least w6 "unit " $((before + 1))
kill -INT "$producer"
exits_with "$producer" 130 30
wait_for 30 "worker 6 to stop the cancelled unit" log_has w6 "was cancelled"
wait_for 30 "the queue to be clean" nothing_pending
queue_is_clean

# --- --fail-fast cancels the rest -----------------------------------------
say "--fail-fast on the farm"
mkdir -p "$work/ff"
jobs_file "$work/ff/jobs.jsonl" 5 2
printf 'raise SystemExit(3)\n' >"$work/ff/fail.py"
sed -i '1i {"id":"bad","script":"fail.py"}' "$work/ff/jobs.jsonl"
set +e
"$pyjudge" batch "$work/ff/jobs.jsonl" --queue "$url" --queue-name "$queue" --out "$work/ff/out" --fail-fast \
  >"$work/ff.log" 2>&1
rc=$?
set -e
[ "$rc" = 255 ] || die "--fail-fast on the farm exited $rc, not 255: $(cat "$work/ff.log")"
grep -q '"skipped"' "$work/ff/out/summary.json" || die "--fail-fast on the farm skipped nothing"
wait_for 30 "the queue to be clean" nothing_pending
queue_is_clean

# --- a lost producer is resumed ------------------------------------------
say "a producer killed with kill -9, then --resume"
mkdir -p "$work/lost"
jobs_file "$work/lost/jobs.jsonl" 10 0.5
produce lost
wait_for 60 "2 results" at_least "$work/lost/out" 2
kill -9 "$producer"
wait "$producer" 2>/dev/null || true
sleep 3  # the worker goes on recording into Redis
"$pyjudge" batch "$work/lost/jobs.jsonl" --queue "$url" --queue-name "$queue" --out "$work/lost/out" --resume \
  --log-level info >"$work/lost2.log" 2>&1 || die "the resumed producer failed: $(tail -3 "$work/lost2.log")"
all_right "$work/lost/out" 10
log_has lost2 "resuming batch" || die "the resumed producer did not take up its batch"
[ ! -e "$work/lost/out/.pyjudge" ] || die "the farm's state file outlived the batch"

# --- grade on the farm writes what a local grade writes ------------------
worker w7 --jobs 3 --lease 4; w7=$worker_pid
for p in pairsum; do  # two phases: the runs, then the output validator's checks
  say "grade $p with --queue, against a local grade"
  mapfile -t subs < <(find "$root/problems/$p/submissions" -name '*.py' | sort)
  set +e
  "$pyjudge" grade "$root/problems/$p" "${subs[@]}" --queue "$url" --queue-name "$queue" \
    --out "$work/grade-farm-$p" --format csv --quiet >"$work/grade-farm-$p.csv" 2>"$work/grade-farm-$p.log"
  farm_rc=$?
  "$pyjudge" grade "$root/problems/$p" "${subs[@]}" --out "$work/grade-local-$p" --format csv --quiet \
    >"$work/grade-local-$p.csv" 2>"$work/grade-local-$p.log"
  local_rc=$?
  set -e
  [ "$farm_rc" = "$local_rc" ] || die "grade $p: exit $farm_rc on the farm, $local_rc locally"
  case "$farm_rc" in 0|1) ;; *) die "grade $p exited $farm_rc: $(cat "$work/grade-farm-$p.log")" ;; esac
  verdicts() {
    (cd "$1" && find . -type f -not -name '*.html' | sort &&
      find . -name result.json | sort | xargs grep -H '"verdict"')
  }
  diff <(verdicts "$work/grade-local-$p") <(verdicts "$work/grade-farm-$p") >"$work/grade-$p.diff" ||
    die "grade $p: the farm's files or verdicts differ from a local grade: $(head -20 "$work/grade-$p.diff")"
  diff <(cut -d, -f1-4 "$work/grade-local-$p.csv") <(cut -d, -f1-4 "$work/grade-farm-$p.csv") >/dev/null ||
    die "grade $p: the farm's grades differ from a local grade"
  grep -rq '"worker"' "$work/grade-farm-$p" || die "grade $p: no result names its worker"
done

kill -TERM "$w6" "$w7"
exits_with "$w6" 0 60
exits_with "$w7" 0 60
queue_is_clean
[ "$(containers)" = "[]" ] || die "containers left: $(containers)"
say "all farm scenarios passed"
