"""The values of Metaflow's `S3` data tool (flowlens/s3.py): its exceptions, the objects it returns
(`S3Object`) and takes (`S3PutObject`), URL splitting and the root of `S3(run=...)`. Kept apart
from the transfers so each file stays small; s3.py re-exports every public name."""

import os
import tempfile

from .exceptions import MetaflowException


class MetaflowS3Exception(MetaflowException):
    headline = "S3 error"


class MetaflowS3NotFound(MetaflowS3Exception):
    headline = "S3 object not found"


class MetaflowS3AccessDenied(MetaflowS3Exception):
    headline = "S3 access denied"


class MetaflowS3URLException(MetaflowS3Exception):
    headline = "Invalid S3 URL"


def _split(url):
    if not url.startswith("s3://"):
        raise MetaflowS3URLException("%r is not an S3 URL (expected s3://bucket/key)" % (url,))
    bucket, _, key = url[len("s3://"):].partition("/")
    if not bucket:
        raise MetaflowS3URLException("%r names no bucket" % (url,))
    return bucket, key


class S3Object(object):
    """One object (or, from list_paths, a prefix): what was asked, what exists, and its bytes."""

    def __init__(self, url, prefix, key, exists=True, blob=None, path=None, size=None, metadata=None, content_type=None, last_modified=None, tmpdir=None):
        self._url = url
        self._prefix = prefix
        self._key = key
        self._exists = exists
        self._blob = blob
        self._path = path
        self._size = size
        self._metadata = metadata
        self._content_type = content_type
        self._last_modified = last_modified
        self._tmpdir = tmpdir

    exists = property(lambda self: self._exists, doc="Whether the object exists (False for a missing key or a prefix).")
    url = property(lambda self: self._url, doc="Full s3:// URL.")
    prefix = property(lambda self: self._prefix, doc="The root the key is relative to.")
    key = property(lambda self: self._key, doc="The key relative to the root (the URL when there is no root).")
    size = property(lambda self: self._size)
    metadata = property(lambda self: self._metadata)
    content_type = property(lambda self: self._content_type)
    last_modified = property(lambda self: self._last_modified)
    has_info = property(lambda self: self._size is not None)

    @property
    def downloaded(self):
        return self._exists and (self._blob is not None or self._path is not None)

    @property
    def path(self):
        """A local file with the object's bytes (made on first use for small objects)."""
        if not self.downloaded:
            return None
        if self._path is None:
            assert self._blob is not None  # downloaded, and no file yet: the bytes are in memory
            fd, self._path = tempfile.mkstemp(dir=self._tmpdir, prefix="s3obj-")
            with os.fdopen(fd, "wb") as f:
                f.write(self._blob)
        return self._path

    @property
    def blob(self):
        if not self.downloaded:
            return None
        if self._blob is None:
            assert self._path is not None  # downloaded, and not in memory: the bytes are in a file
            with open(self._path, "rb") as f:
                self._blob = f.read()
        return self._blob

    @property
    def text(self):
        blob = self.blob
        return None if blob is None else blob.decode("utf-8", errors="replace")

    def __repr__(self):
        return "<S3Object %s (%s)>" % (self._url, "%d bytes" % self._size if self._size is not None else ("exists" if self._exists else "missing"))


class S3PutObject(object):
    """An item for put_many / put_files: key plus value (or path), optional content type and metadata."""

    def __init__(self, key, value=None, path=None, content_type=None, metadata=None):
        self.key, self.value, self.path, self.content_type, self.metadata = key, value, path, content_type, metadata

    def __iter__(self):
        return iter((self.key, self.value if self.path is None else self.path))


def _run_root(run):
    """Root for S3(run=...): <datatools root>/<Flow>/<run id>, as Metaflow scopes it."""
    from .current import current

    pathspec = getattr(run, "pathspec", None)
    if isinstance(pathspec, str) and pathspec.count("/") >= 1:
        flow, run_id = pathspec.split("/")[:2]
    else:
        flow, run_id = current.flow_name, current.run_id
    if not flow or not run_id:
        raise MetaflowS3Exception("S3(run=...) needs a running flow or a client Run; give s3root= instead")
    env = os.environ
    base = env.get("FLOWLENS_DATATOOLS_S3ROOT") or env.get("METAFLOW_DATATOOLS_S3ROOT")
    if not base:
        root = env.get("FLOWLENS_DATASTORE_ROOT") if env.get("FLOWLENS_DATASTORE") == "s3" else env.get("METAFLOW_DATASTORE_SYSROOT_S3")
        if not root or not root.startswith("s3://"):
            raise MetaflowS3Exception(
                "S3(run=self) needs an S3 datastore: run with --datastore s3 --datastore-root s3://bucket/prefix, "
                "or set FLOWLENS_DATATOOLS_S3ROOT"
            )
        base = root.rstrip("/") + "/data"
    return "%s/%s/%s" % (base.rstrip("/"), flow, run_id)
