#!/usr/bin/env bash
# The judge farm end to end, with a real redis-server on loopback (started
# here) and the real engine: three workers, 120 jobs, a worker killed with
# kill -9 and Redis killed with kill -9 and restarted mid-batch, a queue entry
# lost; then malformed, oversized and over-ceiling messages, the two ACL
# users' limits, a unit past the delivery cap, a fake Redis that serves
# entry ids with path traversals, a wrong password, SIGTERM to a busy
# worker, two signals, an interrupted producer and a lost one resumed.
#
#   tests/farm/farm_test.sh [path/to/pyjudge]
#
# PYJUDGE_FARM_IMAGE names the runner image the workers (and the local
# grade compared with the farm's) use; default pyjudge-python.
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
image=${PYJUDGE_FARM_IMAGE:-pyjudge-python}
# Two ACL users, as docs/farm.md makes them: producers and workers.
url="redis://worker:workerpass@127.0.0.1:$port"
purl="redis://producer:producerpass@127.0.0.1:$port"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  redis-cli -p "$port" -a adminpass --no-auth-warning shutdown nosave >/dev/null 2>&1 || true
  if [ "${keep:-0}" = 0 ]; then rm -rf "$work"; else echo "farm: kept $work" >&2; fi
}
trap cleanup EXIT

# Persistence as docs/farm.md documents it: an append-only file, synced on
# every write. The users come from an ACL file that scripts/farm-acl.sh
# writes (so they are there again after a restart): "producer" and "worker"
# may touch only what their side needs of the queue's keys; the default user
# is the test's admin.
{
  echo "user default on >adminpass ~* &* +@all"
  PYJUDGE_PRODUCER_PASSWORD=producerpass PYJUDGE_WORKER_PASSWORD=workerpass \
    "$root/scripts/farm-acl.sh" --queue-name "$queue" --producer producer --worker worker --aclfile
} >"$work/users.acl"
start_redis() {
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work" --daemonize yes --logfile "$work/redis.log" \
    --pidfile "$work/redis.pid" --save '' --appendonly yes --appendfsync always --aclfile "$work/users.acl" >/dev/null
  for _ in $(seq 50); do
    [ "$(R ping 2>/dev/null)" = PONG ] && return 0
    sleep 0.1
  done
  die "redis-server did not start: $(tail -5 "$work/redis.log")"
}
R() { redis-cli -p "$port" -a adminpass --no-auth-warning "$@"; }  # the admin: inspects and cleans up
RP() { redis-cli -p "$port" --user producer --pass producerpass --no-auth-warning "$@"; }
RW() { redis-cli -p "$port" --user worker --pass workerpass --no-auth-warning "$@"; }
containers() {  # ours: of this test's image (another pyjudge may share the engine with another image)
  curl -fsS --unix-socket "$socket" -G http://localhost/v1.41/containers/json --data-urlencode all=1 \
    --data-urlencode "filters={\"label\":[\"org.pyjudge=1\",\"org.pyjudge.image=$image\"]}"
}
worker() {  # NAME [OPTIONS...]: starts a worker in the background; its pid in $worker_pid
  local name=$1
  shift
  "$pyjudge" worker --queue "$url" --queue-name "$queue" --image "$image" --log-level info "$@" >"$work/$name.log" 2>&1 &
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
  "$pyjudge" batch "$work/$name/jobs.jsonl" --queue "$purl" --queue-name "$queue" --out "$work/$name/out" "$@" \
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
RP xadd "$queue:jobs" '*' v 1 meta 'not json' >/dev/null
head -c $((64 * 1024 * 1024 + 1)) /dev/zero | RP -x xadd "$queue:jobs" '*' v 1 meta '{}' b0 >/dev/null
batch=0123456789abcdef0123
RP hset "$queue:batch:$batch" producer test >/dev/null
RP xadd "$queue:jobs" '*' v 1 meta "{\"batch\":\"$batch\",\"unit\":\"u0\",\"shared\":false,\"jobs\":[{\"id\":\"x1\",\"script\":7,\"limits\":{}}]}" >/dev/null
wait_for 30 "the rejections" rejected_at_least 3
R xrange "$queue:rejected" - + >"$work/rejected.txt"
grep -q "not a JSON object" "$work/rejected.txt" || die "no rejection for a malformed meta: $(cat "$work/rejected.txt")"
grep -q "larger than the farm's 64m" "$work/rejected.txt" || die "no rejection for an oversized file"
grep -q "names no blob" "$work/rejected.txt" || die "no rejection for a job naming a missing blob"
R xrange "$queue:results:$batch" - + | grep -q '"verdict":"IE"' ||
  die "the producer of a rejected unit got no IE result for its job"
R del "$queue:batch:$batch" "$queue:done:$batch" "$queue:results:$batch" >/dev/null
kill -0 "$w2" && kill -0 "$w3" || die "a worker died of a malformed message"

# --- messages over a worker's own ceilings, from a hostile producer ------
# Each would pass a check the producer skipped; a worker must find it.
say "over-ceiling messages, a file named main.py, a huge name"
lim='{"time_limit":2,"kill_grace":1,"memory":268435456,"cpus":1,"pids":64,"output_limit":1024,"stderr_limit":1024,"tmp_size":67108864,"cpu_time_limit":null,"runtime":null}'
unit_meta() {  # UNIT JOB FILES LIMITS: one job's meta in batch $batch, script b0
  echo "{\"batch\":\"$batch\",\"unit\":\"$1\",\"shared\":false,\"jobs\":[{\"id\":\"$2\",\"script\":0,\"files\":$3,\"limits\":$4}]}"
}
RP hset "$queue:batch:$batch" producer test >/dev/null
RP xadd "$queue:jobs" '*' v 1 meta "$(unit_meta u1 big-out '[]' "${lim/\"output_limit\":1024/\"output_limit\":1073741824}")" \
  b0 'print(1)' >/dev/null
RP xadd "$queue:jobs" '*' v 1 meta "$(unit_meta u2 big-tmp '[]' "${lim/\"tmp_size\":67108864/\"tmp_size\":1099511627776}")" \
  b0 'print(1)' >/dev/null
names=$(for i in $(seq 300); do printf '["f%d",1],' "$i"; done)
head -c $((1024 * 1024)) /dev/zero >"$work/one-mib"
RP -x xadd "$queue:jobs" '*' v 1 meta "$(unit_meta u3 many-names "[${names%,}]" "$lim")" b0 'print(1)' b1 \
  <"$work/one-mib" >/dev/null
RP xadd "$queue:jobs" '*' v 1 meta "$(unit_meta u4 main-file '[["main.py",1]]' "$lim")" b0 'print(1)' b1 'data' >/dev/null
{ # a 1 MiB key: too long for a command line
  printf '{"batch":"%s","unit":"u5","shared":false,"jobs":[{"id":"long-name","script":0,"' "$batch"
  head -c $((1024 * 1024)) /dev/zero | tr '\0' k
  printf '":1,"limits":%s}]}' "$lim"
} >"$work/long-meta"
RP -x xadd "$queue:jobs" '*' v 1 b0 'print(1)' meta <"$work/long-meta" >/dev/null
ie_results() { [ "$(R xrange "$queue:results:$batch" - + | grep -c '"verdict":"IE"')" -ge "$1" ]; }
wait_for 30 "IE results for the 5 over-ceiling jobs" ie_results 5
R xrange "$queue:results:$batch" - + >"$work/ceiling-results.txt"
for want in "job 'big-out': output limit 1g or stderr limit 1k is above the farm's 256m" \
  "job 'big-tmp': tmp size 1024g is above the farm's 1g" \
  "job 'many-names': its script and files come to 314572808 bytes, each file counted under every name it has" \
  "job 'main-file': file name 'main.py' is the script's own name in /tmp (reserved)" \
  "job 'long-name': unknown key 'kkkk"; do
  grep -qF "$want" "$work/ceiling-results.txt" || die "no IE result saying: $want"
done
longest=$(R xrange "$queue:rejected" - + | awk '{ if (length($0) > m) m = length($0) } END { print m }')
[ "$longest" -lt 1100 ] || die "a rejection repeats $longest bytes of the message"
longest_ie=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$work/ceiling-results.txt")
[ "$longest_ie" -lt 4000 ] || die "an IE result repeats $longest_ie bytes of the message"
R del "$queue:batch:$batch" "$queue:done:$batch" "$queue:results:$batch" >/dev/null
kill -0 "$w2" && kill -0 "$w3" || die "a worker died of an over-ceiling message"
say "over-ceiling messages: IE with their reasons (a 1 MiB name: rejections $longest bytes, results $longest_ie)"

# --- the two users: a producer cannot write results, a worker cannot add jobs
say "the producer's and the worker's ACL users"
noperm() {  # WHAT COMMAND...: the command must be refused with NOPERM
  local what=$1 out
  shift
  out=$("$@" 2>&1 || true)
  case "$out" in *NOPERM*) ;; *) die "$what was not refused: $out" ;; esac
}
noperm "a producer's XADD of a result" RP xadd "$queue:results:$batch" '*' meta '{}' stdout '' stderr ''
noperm "a producer's HSET of a done job" RP hset "$queue:done:$batch" x1 me
noperm "a producer's EVAL" RP eval "return redis.call('XADD', KEYS[1], '*', 'a', 'b')" 1 "$queue:results:$batch"
noperm "a producer's XREADGROUP" RP xreadgroup group workers p count 1 streams "$queue:jobs" '>'
noperm "a worker's XADD of a job" RW xadd "$queue:jobs" '*' v 1 meta '{}'
noperm "a worker's EVAL that adds a job" RW eval "return redis.call('XADD', KEYS[1], '*', 'v', '1')" 1 "$queue:jobs"
noperm "a worker's XGROUP SETID (replaying the stream)" RW xgroup setid "$queue:jobs" workers 0
noperm "a worker's DEL of a batch" RW del "$queue:batch:$batch"
noperm "a producer's key outside the queue" RP set other 1
noperm "a worker's key outside the queue" RW set other 1
# Undeclared keys in a script are checked too (Redis says so without NOPERM).
out=$(RW eval "return redis.call('XADD', '$queue:jobs', '*', 'v', '1')" 0 2>&1 || true)
case "$out" in *"can't access"*|*NOPERM*) ;; *) die "a worker's script added a job: $out" ;; esac
[ "$(R exists "$queue:results:$batch" "$queue:done:$batch")" = 0 ] || die "a refused command wrote something"
say "each user refused the other side's writes (NOPERM)"

# --- the workers stop; nothing is left ---------------------------------
kill -TERM "$w2" "$w3"
exits_with "$w2" 0 60
exits_with "$w3" 0 60
queue_is_clean
[ "$(containers)" = "[]" ] || die "containers left after the workers stopped: $(containers)"
say "malformed messages rejected with their reasons; queue and engine clean after the workers stopped"

# --- the delivery cap ----------------------------------------------------
# Units that every worker that took them died of (simulated: delivered 5
# times to a consumer that never came back) end IE with the reason and leave
# the queue, instead of taking down the next worker too. One is a good unit,
# one is over a ceiling (as old workers, which ran out of memory on it, let
# through).
say "two units past the delivery cap"
batch=0123456789abcdef0c4a
RP hset "$queue:batch:$batch" producer test >/dev/null
e1=$(RP xadd "$queue:jobs" '*' v 1 meta "$(unit_meta u1 again '[]' "$lim")" b0 'print(1)')
e2=$(RP xadd "$queue:jobs" '*' v 1 meta "$(unit_meta u2 again-big '[]' "${lim/\"output_limit\":1024/\"output_limit\":1073741824}")" \
  b0 'print(1)')
R xreadgroup group workers ghost count 2 streams "$queue:jobs" '>' >/dev/null
R xclaim "$queue:jobs" workers ghost 0 "$e1" "$e2" idle 3600000 retrycount 5 justid >/dev/null
worker wcap --jobs 2 --lease 3; wcap=$worker_pid
wait_for 30 "the two poisoned units' IE results" ie_results 2
R xrange "$queue:results:$batch" - + >"$work/cap-results.txt"
grep -q '"id":"again",.*delivered 6 times (the farm.s cap is 3)' "$work/cap-results.txt" ||
  die "no IE for the unit past the delivery cap: $(cat "$work/cap-results.txt")"
grep -q "delivered 6 times.*; job 'again-big': output limit 1g" "$work/cap-results.txt" ||
  die "the over-ceiling unit past the cap does not say both reasons"
! grep -q '"verdict":"OK"' "$work/cap-results.txt" || die "a unit past the delivery cap ran"
kill -TERM "$wcap"
exits_with "$wcap" 0 30
R del "$queue:batch:$batch" "$queue:done:$batch" "$queue:results:$batch" >/dev/null
R xgroup delconsumer "$queue:jobs" workers ghost >/dev/null
queue_is_clean
say "units past the delivery cap: IE with the reason, acknowledged, never run"

# --- a fake Redis serves entry ids that climb out of the scratch folder --
# The worker's scratch folder is TMPDIR/pyjudge-worker-SESSION; the ids name
# TMPDIR/x, the folder above TMPDIR, and an absolute path. Each target holds
# a canary: a worker that wrote there would also remove_all it at the end.
say "a fake Redis with path-traversal entry ids"
fport=$((port + 1))
targets=("$work/fake-tmp/x" "$work/pyjudge-escape" "$work/pyjudge-absolute")
for d in "${targets[@]}"; do
  mkdir -p "$d"
  echo canary >"$d/canary"
done
python3 "$root/tests/farm/fake_redis.py" "$fport" "$queue" "$work/fake.log" "$work/pyjudge-absolute" &
fake=$!
pids+=("$fake")
wait_for 10 "the fake Redis" bash -c "exec 3<>/dev/tcp/127.0.0.1/$fport" 2>/dev/null
TMPDIR=$work/fake-tmp "$pyjudge" worker --queue "redis://worker:workerpass@127.0.0.1:$fport" --queue-name "$queue" \
  --image "$image" --log-level info >"$work/wfake.log" 2>&1 &
wfake=$!
pids+=("$wfake")
wait_for 30 "the worker to refuse the 3 entries" log_count_at_least wfake "is not a stream entry id" 3
kill -TERM "$wfake"
exits_with "$wfake" 0 30
kill "$fake"
for d in "${targets[@]}"; do
  [ "$(ls -A "$d")" = canary ] || die "the worker wrote into or removed from $d, outside its scratch folder: $(ls -A "$d")"
done
[ "$(ls -A "$work/fake-tmp")" = x ] || die "the worker left $(ls -A "$work/fake-tmp") in its TMPDIR"
! log_has wfake "unit \.\./" || die "the worker ran a unit with a forged id"
grep -q "^XADD $queue:rejected .*'\.\./x' is not a stream entry id" "$work/fake.log" ||
  die "the worker did not record the rejection: $(grep XADD "$work/fake.log" | head -3)"
grep -q "^EVAL .*\"id\":\"t0\".*rejected the message" "$work/fake.log" ||
  die "the worker did not give the named job an IE result"
! grep -qE "^(XACK|XDEL|XCLAIM) .*(\.\./|$work)" "$work/fake.log" || die "the worker sent a forged id back to Redis"
say "forged entry ids refused; nothing written outside the worker's scratch folder"

# --- a wrong password ----------------------------------------------------
set +e
msg=$("$pyjudge" worker --queue "redis://worker:wrong@127.0.0.1:$port" --queue-name "$queue" --image "$image" 2>&1)
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
"$pyjudge" batch "$work/ff/jobs.jsonl" --queue "$purl" --queue-name "$queue" --out "$work/ff/out" --fail-fast \
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
"$pyjudge" batch "$work/lost/jobs.jsonl" --queue "$purl" --queue-name "$queue" --out "$work/lost/out" --resume \
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
  "$pyjudge" grade "$root/problems/$p" "${subs[@]}" --queue "$purl" --queue-name "$queue" \
    --out "$work/grade-farm-$p" --format csv --quiet >"$work/grade-farm-$p.csv" 2>"$work/grade-farm-$p.log"
  farm_rc=$?
  "$pyjudge" grade "$root/problems/$p" "${subs[@]}" --out "$work/grade-local-$p" --image "$image" --format csv --quiet \
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

# --- verify and watch on the farm (through the Executor, like batch and grade)
say "verify and watch --once with --queue"
"$pyjudge" verify "$root/problems/mean" --queue "$purl" --queue-name "$queue" --out "$work/verify-farm" --quiet \
  >"$work/verify-farm.txt" 2>"$work/verify-farm.log" || die "verify mean with --queue: $(cat "$work/verify-farm.log")"
grep -q "mean: verified" "$work/verify-farm.txt" || die "verify mean with --queue: $(cat "$work/verify-farm.txt")"
grep -rq '"worker"' "$work/verify-farm" || die "verify with --queue: no result names its worker"
# A function problem: the collection run and one run per submission, each
# scored exactly as expected.json says.
"$pyjudge" verify "$root/problems/stats" --queue "$purl" --queue-name "$queue" --out "$work/verify-farm-stats" \
  --quiet >"$work/verify-farm-stats.txt" 2>"$work/verify-farm-stats.log" \
  || die "verify stats with --queue: $(cat "$work/verify-farm-stats.txt" "$work/verify-farm-stats.log")"
grep -q "stats: verified" "$work/verify-farm-stats.txt" || die "verify stats with --queue: $(cat "$work/verify-farm-stats.txt")"
grep -rq '"worker"' "$work/verify-farm-stats" || die "verify stats with --queue: no result names its worker"
spool=$work/spool
mkdir -p "$spool/inbox"
printf 'print(int(input()) * 2)\n' >"$spool/inbox/double.py"
echo 21 >"$spool/inbox/double.in"
printf 'import sys\nsys.exit(3)\n' >"$spool/inbox/three.py"
set +e
"$pyjudge" watch "$spool" --once --settle 0 --queue "$purl" --queue-name "$queue" --quiet 2>"$work/watch-farm.log"
watch_rc=$?
set -e
[ "$watch_rc" = 255 ] || die "watch --once --queue exited $watch_rc, not 255 (a job with status -1): $(cat "$work/watch-farm.log")"
[ "$(cat "$spool/results/double/stdout")" = 42 ] || die "watch --queue: double's stdout is not 42"
grep -q '"worker"' "$spool/results/double/result.json" || die "watch --queue: double's result names no worker"
grep -q '"exit_code": 3' "$spool/results/three/result.json" || die "watch --queue: three did not exit 3"
[ -z "$(ls -A "$spool/inbox")" ] || die "watch --queue left files in the inbox: $(ls "$spool/inbox")"
say "verify and watch ran on the farm's workers"

kill -TERM "$w6" "$w7"
exits_with "$w6" 0 60
exits_with "$w7" 0 60
queue_is_clean
[ "$(containers)" = "[]" ] || die "containers left: $(containers)"
say "all farm scenarios passed"
