"""The staff's CONTROL socket to the supervisor (fd 3, AF_UNIX SOCK_SEQPACKET).

`begin` before each test, `end` after it. The first line of each reply is
the supervisor's (trusted JSON); what follows it in a `begin` reply is the
zygote's ready payload, written by the student's process, which is decoded
here defensively: anything malformed becomes "the module's process sent a
malformed message", never an exception of the student's choosing.
"""

import json
import socket

import plain

from . import wire

MESSAGE_MAX = 64 << 10
MALFORMED = "the module's process sent a malformed message"


class ControlError(Exception):
    """The supervisor broke the protocol (a harness fault, not the student's)."""


class Start:
    """A `begin` reply: the TEST socket (or None) and what the zygote said."""

    def __init__(self, ok, sock, cause, exit, manifest, error, output, malformed):
        self.ok = ok              # a test process serves `sock`
        self.sock = sock
        self.cause = cause        # "", "cpu", "memory", "wall": why the import ended
        self.exit = exit          # {"status": N}, {"signal": N} or None
        self.manifest = manifest  # NAME -> ("callable",) | ("object",) | ("plain", value)
        self.error = error        # the import's exception: {"type","message","traceback"} or None
        self.output = output      # what the import printed
        self.malformed = malformed


class Control:
    def __init__(self, fd=3):
        self.sock = socket.socket(fileno=fd)

    def _recv(self, maxfds):
        try:
            msg, fds, _flags, _addr = socket.recv_fds(self.sock, MESSAGE_MAX + 1, maxfds)
        except OSError as e:
            raise ControlError(f"the control socket failed: {e}") from e
        if not msg:
            for fd in fds:
                socket.socket(fileno=fd).close()
            raise ControlError("the supervisor closed the control socket")
        return msg, fds

    def begin(self):
        self.sock.send(b"begin")
        msg, fds = self._recv(1)
        head, _, payload = msg.partition(b"\n")
        try:
            status = json.loads(head.decode("utf-8"))
            ok = status["ok"] is True
        except (ValueError, UnicodeDecodeError, KeyError, TypeError) as e:
            raise ControlError(f"a malformed begin reply: {head[:200]!r}") from e
        sock = None
        if ok:
            if len(fds) != 1:
                raise ControlError("a begin reply without the test socket")
            sock = socket.socket(fileno=fds[0])
        else:
            for fd in fds:
                socket.socket(fileno=fd).close()
        cause = status.get("cause") if status.get("cause") in ("", "cpu", "memory", "wall") else ""
        exit = status.get("exit") if type(status.get("exit")) is dict else None
        manifest, error, output, malformed = _ready(payload)
        return Start(ok, sock, cause, exit, manifest, error, output, malformed)

    def end(self):
        self.sock.send(b"end")
        msg, fds = self._recv(0)
        try:
            reply = json.loads(msg.decode("utf-8"))
            if type(reply) is not dict:
                raise ValueError("not an object")
        except (ValueError, UnicodeDecodeError) as e:
            raise ControlError(f"a malformed end reply: {msg[:200]!r}") from e
        return reply


def _ready(payload):
    """(manifest, error, output, malformed) from the zygote's ready payload."""
    if payload.startswith(b"ready\n"):
        payload = payload[len(b"ready\n"):]
    if not payload.strip():
        return {}, None, "", False
    try:
        body = wire.loads_object(payload)
    except wire.Malformed:
        return {}, None, "", True
    output = wire.text(body.get("output"), 8 << 10)
    error = None
    if body.get("ok") is not True:
        e = body.get("error")
        if type(e) is not dict:
            return {}, None, output, True
        error = {"type": wire.text(e.get("type"), 200), "message": wire.text(e.get("message"), 4 << 10),
                 "traceback": wire.text(e.get("traceback"), 8 << 10)}
        return {}, error, output, False
    manifest = {}
    entries = body.get("manifest")
    if type(entries) is not dict:
        return {}, None, output, True
    for name, kind in entries.items():
        if not name.isidentifier() or name.startswith("__") or type(kind) is not list or not kind:
            continue
        if kind == ["callable"]:
            manifest[name] = ("callable",)
        elif kind == ["object"]:
            manifest[name] = ("object",)
        elif kind[0] == "plain" and len(kind) == 2:
            try:
                value = wire.value_of(kind[1], max_items=10000, max_bytes=64 << 10)
            except plain.NotPlain:
                continue
            if not _has_handle(value):
                manifest[name] = ("plain", value)
    return manifest, None, output, False


def _has_handle(value):
    t = type(value)
    if t is plain.Handle:
        return True
    if t in (list, tuple, set, frozenset):
        return any(_has_handle(v) for v in value)
    if t is dict:
        return any(_has_handle(k) or _has_handle(v) for k, v in value.items())
    return False
