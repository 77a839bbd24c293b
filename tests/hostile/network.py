# expect: OK
# stdout-lacks: CONNECTED
# stdout-lacks: SENT
# stdout-lacks: RESOLVED
# stdout-has: tcp blocked
# TCP, UDP and DNS, to the outside, the engine's bridge gateway and the host.
import socket

for host in ("1.1.1.1", "172.17.0.1", "10.0.0.1", "192.168.0.1"):
    for port in (53, 80, 443, 2375):
        try:
            socket.create_connection((host, port), timeout=1).close()
            print("CONNECTED", host, port)
        except OSError:
            pass
print("tcp blocked")
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("8.8.8.8", 53))
    print("SENT udp")
except OSError:
    print("udp blocked")
try:
    socket.getaddrinfo("deb.debian.org", 80)
    print("RESOLVED")
except OSError:
    print("dns blocked")
print([name for _, name in socket.if_nameindex()])
