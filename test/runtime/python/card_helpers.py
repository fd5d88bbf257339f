"""Shared pieces of the card component tests: strict rendering, real PNG bytes, a logger."""

import json
import struct
import zlib
from typing import Any


def rendered(component) -> Any:
    out = component.render()
    json.dumps(out, allow_nan=False)  # every render is strict JSON
    return out


def png(width=2, height=1):
    """A real PNG made with zlib: what a user's image bytes look like."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


class Logger:
    def __init__(self):
        self.lines = []

    def __call__(self, msg, timestamp=True, bad=False):
        self.lines.append(msg)


class BrokenRepr:
    def __repr__(self):
        raise RuntimeError("nope")
