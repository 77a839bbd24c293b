#!/usr/bin/env python3
"""Exits 0 when the PNG given has at least MIN distinct colours (a page was
drawn), 1 when it is blank or unreadable. Standard library only."""
import struct
import sys
import zlib

MIN_COLOURS = 8


def colours(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width, height, depth, kind = 8, b"", 0, 0, 0, 0
    while pos < len(data):
        length, tag = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if tag == b"IHDR":
            width, height, depth, kind = struct.unpack(">IIBB", body[:10])
        elif tag == b"IDAT":
            idat += body
        pos += 12 + length
    if depth != 8 or kind not in (2, 6):
        raise ValueError("unexpected PNG kind %d/%d" % (depth, kind))
    channels = 3 if kind == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    seen, prev, i = set(), bytearray(stride), 0
    for _ in range(height):
        filt, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if filt == 1:
                line[x] = (line[x] + a) & 255
            elif filt == 2:
                line[x] = (line[x] + b) & 255
            elif filt == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, channels * 7):  # every seventh pixel is plenty
            seen.add(bytes(line[x:x + 3]))
        prev = line
    return len(seen)


try:
    n = colours(sys.argv[1])
except (OSError, ValueError, zlib.error) as e:
    print("unreadable: %s" % e)
    sys.exit(1)
print("%d colours" % n)
sys.exit(0 if n >= MIN_COLOURS else 1)
