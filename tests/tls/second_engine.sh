#!/usr/bin/env bash
# A second Docker engine for the TLS tests: certificates made here with
# openssl (a CA, the engine's for 127.0.0.1 and localhost, a client's, and
# a rogue CA that signed nothing the engine uses), a dockerd on loopback that
# demands client certificates, and the runner image loaded into it.
#
#   second_engine.sh start DIR PORT [IMAGE]   DIR/client is a DOCKER_CERT_PATH that works;
#                                             DIR/rogue-client trusts another CA; DIR/stranger's
#                                             certificate is one the engine does not trust
#   second_engine.sh stop DIR                 stops the engine and removes DIR
set -euo pipefail

cmd=${1:?start or stop}
dir=$(realpath -m "${2:?a folder}")

# The second engine's own bridge: with --bridge none, dockerd deletes the
# host's docker0, which the first engine needs (docker build's RUN steps use
# it), so it gets a bridge of its own instead.
bridge=pyjt$(echo "$dir" | sha256sum | cut -c1-8)

stop() {
  if [ -f "$dir/dockerd.pid" ]; then
    pid=$(cat "$dir/dockerd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  # Mounts the engine left under its roots, then the folder.
  { grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  ip link delete "$bridge" 2>/dev/null || true
  rm -rf "$dir"
}

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi
[ "$cmd" = start ] || { echo "second_engine.sh: start or stop, not '$cmd'" >&2; exit 2; }
port=${3:?a port}
image=${4:-pyjudge-python}
mkdir -p "$dir"/{ca,rogue,server,client,rogue-client,data,exec}
cd "$dir"

ssl() { openssl "$@" >/dev/null 2>&1; }
make_ca() {  # folder, name
  ssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$2" -keyout "$1/ca-key.pem" -out "$1/ca.pem"
}
sign() {  # folder, CN, extensions file, CA folder
  ssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$1/key.pem" -out "$1/req.csr"
  ssl x509 -req -in "$1/req.csr" -CA "$4/ca.pem" -CAkey "$4/ca-key.pem" -CAcreateserial -days 2 \
    -extfile "$3" -out "$1/cert.pem"
}
make_ca ca "pyjudge test CA"
make_ca rogue "pyjudge rogue CA"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
printf 'extendedKeyUsage=clientAuth\n' > client.ext
sign server localhost server.ext ca
sign client client client.ext ca
cp ca/ca.pem client/ca.pem
# A client that trusts the rogue CA: the engine's certificate is refused.
sign rogue-client client client.ext ca
cp rogue/ca.pem rogue-client/ca.pem
# A client whose certificate the engine does not trust.
mkdir -p stranger
sign stranger client client.ext rogue
cp ca/ca.pem stranger/ca.pem

ip link add "$bridge" type bridge
ip addr add 10.213.$(( 0x$(echo "$bridge" | cut -c5-6) % 250 )).1/24 dev "$bridge"
ip link set "$bridge" up
echo '{}' > daemon.json
dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
  -H "tcp://127.0.0.1:$port" --tlsverify --tlscacert ca/ca.pem --tlscert server/cert.pem --tlskey server/key.pem \
  --bridge "$bridge" --iptables=false --ip-masq=false --config-file "$dir/daemon.json" \
  >"$dir/dockerd.log" 2>&1 &
export DOCKER_HOST="tcp://127.0.0.1:$port" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$dir/client"
for _ in $(seq 1 150); do docker version >/dev/null 2>&1 && break; sleep 0.2; done
docker version >/dev/null 2>&1 || { echo "second_engine.sh: the second engine did not start; see $dir/dockerd.log" >&2; exit 1; }
# The runner image, from the first engine.
DOCKER_HOST= DOCKER_TLS_VERIFY= docker save "$image" | docker load >/dev/null
