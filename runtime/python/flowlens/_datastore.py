"""The task side of the datastore (runtime/README.md), on top of a Storage; keys from `_layout`.

Blobs are content-addressed: sha1 of the pickled bytes, stored once per flow. Small blobs
are gzip-compressed (level 3, as Metaflow); blobs above RAW_THRESHOLD bytes are stored raw
because compressing them costs far more than it saves (measured on this machine: gzip -3
runs at ~35 MB/s on float arrays and gains ~5%, a plain write ~400 MB/s).
"""

import errno
import gzip
import hashlib
import json
import pickle
import sys
import time
import zlib

from . import _layout
from ._taskrecord import parse_record
from .exceptions import MetaflowDataMissing, MetaflowException

RAW_THRESHOLD = 1024 * 1024
ENCODING_GZIP = "gzip+pickle-v4"
ENCODING_RAW = "pickle-v4"
PYTHON_VERSION = "%d.%d.%d" % sys.version_info[:3]


class DatastoreWriteError(MetaflowException):
    """The datastore refused a write: the disk is full, the folder is read-only, the store is gone."""

    headline = "Cannot write to the datastore"

    _REASONS = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "not permitted",
    }

    @classmethod
    def from_os_error(cls, error, what):
        code = errno.errorcode.get(error.errno or 0, "")
        reason = cls._REASONS.get(error.errno, error.strerror or str(error))
        where = " (%s)" % error.filename if error.filename else ""
        return cls("Cannot store %s: %s%s%s" % (what, reason, " [%s]" % code if code else "", where))


def _gunzip(body):
    """The bytes of a gzip blob: one member (what every writer makes) in one zlib call, without
    gzip's reader in Python, which a join over many inputs pays once an input; several members
    through that reader."""
    inflater = zlib.decompressobj(31)  # 16 + 15: a gzip header and trailer around a full window
    out = inflater.decompress(body)
    if not inflater.eof or inflater.unused_data:
        return gzip.decompress(body)
    return out


def dumps_json(obj):
    return json.dumps(obj, separators=(",", ":"), default=str).encode("utf-8")


class FlowDatastore(object):
    def __init__(self, storage, flow_name):
        self.storage = storage
        self.flow_name = flow_name
        self._blob_cache = {}
        # Blobs known to exist: those the task's inputs name (a finished attempt stored its blobs
        # before its DONE.lock) and those it stored, so that storing an inherited or repeated
        # value again checks nothing (on S3 a check is a request).
        self._present = set()

    # ---- blobs ------------------------------------------------------------------------
    def blob_key(self, sha):
        return _layout.blob_key(self.flow_name, sha)

    def save_pickled(self, pickled):
        """Stores pickled bytes unless a blob with their sha exists. Returns (sha, encoding)."""
        sha = hashlib.sha1(pickled).hexdigest()
        raw = len(pickled) > RAW_THRESHOLD
        key = self.blob_key(sha)
        if sha not in self._present and not self.storage.exists(key):
            if raw:
                # Only a raw blob has a sidecar: a blob without one is gzip (version 1) to every
                # reader, Metaflow's included, and a file not created is most of a small blob's cost.
                # The sidecar goes first: whoever sees the blob can also see how it is encoded.
                self.storage.put(key + "_meta", dumps_json({"cas_raw": True, "cas_version": 1}), overwrite=False)
            body = pickled if raw else gzip.compress(pickled, compresslevel=3)
            # Not checked again (overwrite=False would, on S3): a writer that raced this one since
            # the check stored the same bytes under the same sha.
            self.storage.put(key, body, metadata={"cas_raw": str(raw).lower(), "cas_version": "1"})
        self._present.add(sha)
        return sha, (ENCODING_RAW if raw else ENCODING_GZIP)

    def load_object(self, sha):
        if sha in self._blob_cache:
            return self._blob_cache[sha]
        body = self.storage.get(self.blob_key(sha))
        if body is None:
            raise MetaflowDataMissing("Artifact blob %s of flow %s is missing from %s" % (sha, self.flow_name, self.storage.describe()))
        # gzip's magic is 1f 8b; a pickle (protocol 2+) starts with 0x80, so sniffing is exact.
        if body[:2] == b"\x1f\x8b":
            body = _gunzip(body)
        return pickle.loads(body)

    # ---- tasks ------------------------------------------------------------------------
    def task_prefix(self, run_id, step, task_id):
        return _layout.task_prefix(self.flow_name, run_id, step, task_id)

    def done_attempt(self, run_id, step, task_id):
        # The plain listing (no Python step per entry): a join reads this for each of its inputs.
        return _layout.AttemptState(self.storage.list_names(self.task_prefix(run_id, step, task_id))).latest_done

    def read_task(self, pathspec, attempt=None):
        """TaskData of `run/step/task`: attempt `attempt` when the caller knows which attempt
        finished (the scheduler saw it succeed), else the highest finished attempt.

        Either way the attempt must be finished (its DONE.lock present): a known attempt costs
        one existence check instead of a listing of the task's folder."""
        parts = _layout.split_task_path(pathspec)
        if parts is None:
            raise MetaflowDataMissing("Input path %r is not of the form run/step/task" % pathspec)
        run_id, step, task_id = parts
        if attempt is None:
            attempt = self.done_attempt(run_id, step, task_id)
            if attempt is None:
                raise MetaflowDataMissing(
                    "Task %s/%s has no finished attempt in %s (no <attempt>.DONE.lock)" % (self.flow_name, "/".join(parts), self.storage.describe())
                )
        elif not self.storage.exists(self.attempt_key(run_id, step, task_id, attempt, _layout.ATTEMPT_DONE)):
            raise MetaflowDataMissing(
                "Task %s/%s has no finished attempt %d in %s (no %d.DONE.lock)" % (self.flow_name, "/".join(parts), attempt, self.storage.describe(), attempt)
            )
        body = self.storage.get(self.attempt_key(run_id, step, task_id, attempt, _layout.ATTEMPT_DATA))
        if body is None:
            raise MetaflowDataMissing("Task %s/%s attempt %d has DONE.lock but no data.json" % (self.flow_name, "/".join(parts), attempt))
        record = parse_record(self.flow_name, "/".join(parts), attempt, body)
        self._present.update(record.objects.values())
        return record

    def read_json(self, key):
        body = self.storage.get(key)
        return None if body is None else json.loads(body.decode("utf-8"))

    def write_json(self, key, obj):
        self.storage.put(key, dumps_json(obj))

    def attempt_key(self, run_id, step, task_id, attempt, suffix):
        return _layout.attempt_key(self.flow_name, run_id, step, task_id, attempt, suffix)

    def write_attempt_started(self, run_id, step, task_id, attempt):
        self.write_json(self.attempt_key(run_id, step, task_id, attempt, _layout.ATTEMPT_STARTED), {"time": time.time()})

    def write_data(self, run_id, step, task_id, attempt, objects, info):
        # Keys in this order, `info` last: `_taskrecord.parse_record` reads a record of this form
        # up to `objects` and leaves `info` for later.
        doc = {
            "datastore": self.storage.kind,
            "version": "1.0",
            "attempt": attempt,
            "python_version": PYTHON_VERSION,
            "objects": objects,
            "info": info,
        }
        self.write_json(self.attempt_key(run_id, step, task_id, attempt, _layout.ATTEMPT_DATA), doc)

    def write_done(self, run_id, step, task_id, attempt):
        self.write_json(self.attempt_key(run_id, step, task_id, attempt, _layout.ATTEMPT_DONE), {"time": time.time()})
