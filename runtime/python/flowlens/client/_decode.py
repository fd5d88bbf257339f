"""Turning stored bytes back into Python objects and log lines.

Blobs: gzip unless stored raw. The `_meta` sidecar says which; when it is absent (S3 keeps
it as object metadata) the gzip magic number decides, which is equivalent because a pickle
never starts with 0x1f 0x8b.

Unpickling tolerates classes of a Metaflow installation that is not here: a run written by
Metaflow itself pickles `_foreach_stack` frames and `_exception` wrappers as classes of the
`metaflow` package, which Flowlens's alias does not define. Those load as `ForeignObject`s
(tuple-like, with their attributes), so the user's own artifacts stay readable.
"""

import gzip
import hashlib
import io
import json
import pickle
import re
import zlib
from datetime import datetime, timezone


class ForeignObject(tuple):
    """Stand-in for an instance of a class that cannot be imported here."""

    def __new__(cls, *args, **_kwargs):
        return tuple.__new__(cls, args)

    def __setstate__(self, state):
        if isinstance(state, tuple) and len(state) == 2:
            state = {**(state[0] or {}), **(state[1] or {})}
        if isinstance(state, dict):
            self.__dict__.update(state)

    def __repr__(self):
        return "<%s.%s %s>" % (type(self).__module__, type(self).__name__, tuple.__repr__(self))


_foreign_classes = {}


class _TolerantUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            if module.split(".")[0] not in ("metaflow", "flowlens", "metaflow_extensions"):
                raise
            cls = _foreign_classes.get((module, name))
            if cls is None:
                cls = type(name, (ForeignObject,), {"__module__": module})
                _foreign_classes[(module, name)] = cls
            return cls


class BlobDamaged(ValueError):
    """A blob whose bytes are not what its sha says: truncated, cut gzip, changed bytes."""


_SHA1 = re.compile(r"^[0-9a-f]{40}$")


def decode_blob(body, meta, sha=None):
    """The object in an artifact blob. `meta` is the parsed `_meta` sidecar or None.

    With `sha` (the sha1 of the pickled bytes, as the layout names blobs) the bytes are checked
    before unpickling: damaged data raises BlobDamaged, never a bare EOFError or BadGzipFile, and
    is never unpickled into a wrong value.
    """
    raw = meta.get("cas_raw") if isinstance(meta, dict) else None
    if raw is None:
        raw = not body[:2] == b"\x1f\x8b"
    if not raw:
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as e:
            raise BlobDamaged("not a whole gzip stream: %s" % (e or type(e).__name__)) from None
    if sha is not None and _SHA1.match(sha) and hashlib.sha1(body).hexdigest() != sha:
        raise BlobDamaged("its content does not match its sha1")
    try:
        return _TolerantUnpickler(io.BytesIO(body)).load()
    except (EOFError, pickle.UnpicklingError) as e:
        raise BlobDamaged("not a whole pickle: %s" % (e or type(e).__name__)) from None


def load_json(body):
    if body is None:
        return None
    try:
        value = json.loads(body.decode("utf-8") or "null")
    except (ValueError, UnicodeDecodeError):
        return None
    return value


# Flowlens: "[2026-11-26T19:53:25.123Z] text". Metaflow (mflog): "[MFLOG|0|2026-...Z|task|uuid]text".
_FLOWLENS_LINE = re.compile(r"^\[(\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)\] ?(.*)$", re.S)
_MFLOG_LINE = re.compile(r"^(?:\[!)?\[MFLOG\|0\|(.+?)Z\|(.+?)\|(.+?)\](.*)$", re.S)


def parse_timestamp(text):
    """An ISO-8601 timestamp (UTC when no offset is given) as an aware datetime, or None."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def parse_log(body):
    """[(datetime or None, line)] of one stored log file, in file order."""
    if not body:
        return []
    out = []
    last = None
    for raw in body.decode("utf-8", errors="replace").split("\n"):
        if raw == "":
            continue
        m = _MFLOG_LINE.match(raw)
        if m:
            ts = parse_timestamp(m.group(1))
            out.append((ts or last, m.group(4)))
            last = ts or last
            continue
        m = _FLOWLENS_LINE.match(raw)
        ts = parse_timestamp(m.group(1)) if m else None
        if m and ts is not None:
            out.append((ts, m.group(2)))
            last = ts
        else:
            # A line without a stamp belongs with the line before it.
            out.append((last, raw))
    return out


def merge_logs(parsed):
    """Lines of several log sources merged by time; stable within one source."""
    if len(parsed) == 1:
        return parsed[0]
    floor = datetime.min.replace(tzinfo=timezone.utc)
    tagged = []
    for src, lines in enumerate(parsed):
        for pos, (ts, line) in enumerate(lines):
            tagged.append(((ts or floor), src, pos, ts, line))
    tagged.sort(key=lambda t: (t[0], t[1], t[2]))
    return [(t[3], t[4]) for t in tagged]


def to_datetime(value):
    """Epoch seconds, epoch milliseconds or an ISO string as a naive local datetime (Metaflow's style)."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        seconds = float(value)
        if seconds > 1e14:  # microseconds (Metaflow run ids)
            seconds /= 1e6
        elif seconds > 1e11:  # milliseconds (Metaflow's ts_epoch)
            seconds /= 1e3
        return datetime.fromtimestamp(seconds)
    if isinstance(value, str):
        try:
            return to_datetime(float(value))
        except ValueError:
            pass
        parsed = parse_timestamp(value)
        if parsed is not None:
            return datetime.fromtimestamp(parsed.timestamp())
    return None


def to_epoch(value):
    dt = to_datetime(value)
    return dt.timestamp() if dt is not None else None
