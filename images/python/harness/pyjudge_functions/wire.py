"""The TEST socket's frames, and the bounds every read of them keeps.

A frame is a 4-byte big-endian length and that many bytes of UTF-8 JSON.
Plain values inside a frame are plain.py wire values, decoded only through
plain.decode. Used by both processes: the staff's side trusts nothing it
reads here beyond what these functions return (bounded, decoded JSON and
plain data); the student's side uses the same code for convenience.
"""

import json
import struct

import plain

# A value may take plain.MAX_BYTES; a reply adds up to 64 KiB of stdout and
# stderr each (JSON-escaped, so up to 6 bytes a byte) and its envelope.
MAX_FRAME = plain.MAX_BYTES + (1 << 20)
# json.loads builds every list before plain's own item bound can refuse one:
# a frame with more brackets than a plain value may have is refused unread.
MAX_BRACKETS = 3 * plain.MAX_ITEMS + 64


class Malformed(Exception):
    """The other side sent a frame that breaks the protocol or its bounds."""


class Closed(Exception):
    """The other side closed the socket (or its process ended)."""


def send_frame(sock, payload):
    """Send one frame holding `payload` (bytes of JSON)."""
    if len(payload) > MAX_FRAME:
        raise Malformed(f"a frame of {len(payload)} bytes is larger than {MAX_FRAME}")
    try:
        sock.sendall(struct.pack(">I", len(payload)) + payload)
    except OSError as e:  # EPIPE, ECONNRESET: the process at the other end is gone
        raise Closed(str(e)) from e


def _read_exactly(sock, n):
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        try:
            k = sock.recv_into(view[got:], n - got)
        except InterruptedError:
            continue
        except OSError as e:
            raise Closed(str(e)) from e
        if k == 0:
            raise Closed("end of file")
        got += k
    return bytes(buf)


def recv_frame(sock, limit=MAX_FRAME):
    """The next frame's JSON object (a dict), read with at most `limit`
    bytes. Raises Closed at end of file, Malformed for anything else."""
    (n,) = struct.unpack(">I", _read_exactly(sock, 4))
    if n > limit:
        raise Malformed(f"a frame of {n} bytes is larger than {limit}")
    data = _read_exactly(sock, n)
    return loads_object(data)


def loads_object(data):
    """A bounded json.loads of bytes that must hold one JSON object."""
    if data.count(b"[") + data.count(b"{") > MAX_BRACKETS:
        raise Malformed("a frame with too many parts")
    try:
        obj = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise Malformed("a frame that is not JSON") from e
    if type(obj) is not dict:
        raise Malformed("a frame that is not a JSON object")
    return obj


def dumps(obj):
    """Compact ASCII JSON bytes of a small protocol object (no plain values)."""
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def value_of(node, max_items=plain.MAX_ITEMS, max_bytes=plain.MAX_BYTES):
    """The plain value a wire node (already parsed JSON) stands for, through
    plain.decode and its bounds; raises plain.NotPlain otherwise."""
    try:
        data = json.dumps(node, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    except (ValueError, TypeError, RecursionError) as e:
        raise plain.NotPlain("a malformed value") from e
    return plain.decode(data, max_items=max_items, max_bytes=max_bytes)


def text(value, limit):
    """A str from the other side, at most `limit` characters (None and other
    types become ''), with a note of how much was cut."""
    if type(value) is not str:
        return ""
    if len(value) > limit:
        return value[:limit] + f"\n... {len(value) - limit} more characters"
    return value
