# expect: OK
# limits: time_limit=20
# stdout-has: multiprocessing ok
# stdout-has: threading ok
# stdout-has: subprocess ok
# stdout-has: ctypes ok
# stdout-has: sqlite3 ok
# stdout-has: asyncio ok
# stdout-has: mkfifo ok
# Not an attack: what honest scripts use must keep working under every
# seccomp profile and runtime pyjudge offers.
import asyncio
import ctypes
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading


def square(x):
    return x * x


async def later():
    await asyncio.sleep(0.01)
    reader, writer = await asyncio.open_connection(*server_address)
    writer.write(b"ping\n")
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    return answer


async def serve():
    global server_address

    async def echo(reader, writer):
        writer.write(await reader.readline())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    server_address = server.sockets[0].getsockname()[:2]
    async with server:
        return await later()


if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        assert pool.map(square, range(10)) == [x * x for x in range(10)]
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=queue.put, args=(42,))
    child.start()
    assert queue.get(timeout=10) == 42
    child.join()
    print("multiprocessing ok")

    seen = []
    threads = [threading.Thread(target=seen.append, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(8))
    print("threading ok")

    out = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "42"
    print("subprocess ok")

    libc = ctypes.CDLL(None)
    assert libc.getpid() == os.getpid()
    print("ctypes ok")

    db = sqlite3.connect("/tmp/conformance.db")
    db.execute("create table t (a integer)")
    db.executemany("insert into t values (?)", [(i,) for i in range(100)])
    db.commit()
    assert db.execute("select sum(a) from t").fetchone()[0] == 4950
    print("sqlite3 ok")

    assert asyncio.run(serve()) == b"ping\n"
    print("asyncio ok")

    # A named pipe (mknodat with S_IFIFO, allowed by an argument filter).
    os.mkfifo("/tmp/conformance.fifo")
    if os.fork() == 0:
        with open("/tmp/conformance.fifo", "w") as w:
            w.write("through the fifo\n")
        os._exit(0)
    with open("/tmp/conformance.fifo") as r:
        assert r.read() == "through the fifo\n"
    os.wait()
    os.mknod("/tmp/conformance.plain")  # a regular file, the other allowed kind
    assert os.path.isfile("/tmp/conformance.plain")
    print("mkfifo ok")
