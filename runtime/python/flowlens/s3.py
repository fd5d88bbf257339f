"""Metaflow's `S3` data tool: fast bulk transfers between a flow and S3.

    with S3(s3root="s3://bucket/prefix") as s3:
        s3.put("a", "text"); s3.get("a").text
    with S3(run=self) as s3:          # inside a step: scoped to this run
        url = s3.put("model", blob)

Keys are relative to the root (or full s3:// URLs when no root is given). Objects come back as
`S3Object` with .url .key .path .blob .text .size .exists .metadata. Many keys move at once on
a thread pool over one boto3 client (its retries back off on throttling, 5xx and dropped
connections); GETs go out as directly signed requests first (_s3direct.py: a fraction of
boto3's CPU per object), with boto3 answering whatever is not a plain 200 or 404; a large
object comes as ranges fetched in parallel into its file (_s3ranged.py). boto3 is
imported when an `S3` is made, never by `import metaflow`.
"""

import os
import shutil
import tempfile

# The transfer code (_s3direct: http.client, ssl; the thread pool) loads when an S3 is made: a
# task is a fork of the worker, which imports this module, and a smaller worker forks and exits
# faster (3 MB less to map: 0.5 ms of CPU a task).
from ._s3storage import _MISSING, BODY_ATTEMPTS, error_code, stream_errors, whole_body  # one definition of each, for both
from ._s3objects import (  # noqa: F401  (re-exported: flows import them from here)
    MetaflowS3AccessDenied,
    MetaflowS3Exception,
    MetaflowS3NotFound,
    MetaflowS3URLException,
    S3Object,
    S3PutObject,
    _run_root,
    _split,
)

# Objects up to this size are kept in memory; bigger ones stream straight to a file.
_IN_MEMORY = 8 * 1024 * 1024


class S3(object):
    """Metaflow's S3 client. Use as a context manager; temporary files go when it closes."""

    def __init__(self, tmproot=".", bucket=None, prefix=None, run=None, s3root=None, max_workers=None, **kwargs):
        if run is not None:
            s3root = _run_root(run)
        elif bucket is not None:
            s3root = "s3://%s/%s" % (bucket, (prefix or "").strip("/"))
        if s3root is not None:
            _split(s3root)
            s3root = s3root.rstrip("/")
        self._root = s3root
        self._tmpdir = tempfile.mkdtemp(dir=tmproot if os.path.isdir(tmproot) else None, prefix="metaflow.s3.")
        self._workers = max_workers or int(os.environ.get("FLOWLENS_S3_WORKERS", "32"))
        from ._s3direct import DirectGetter
        from ._s3storage import s3_client, s3_session

        try:
            session = s3_session()
            self._client = s3_client(max_pool=self._workers + 4, session=session)
        except RuntimeError as e:
            raise MetaflowS3Exception(str(e))
        # GETs go out directly (see _s3direct), falling back to boto3 for anything but a plain
        # answer; FLOWLENS_S3_DIRECT=0 sends every request through boto3.
        direct = DirectGetter(session, self._client) if os.environ.get("FLOWLENS_S3_DIRECT", "1") != "0" else None
        self._direct = direct if direct is not None and direct.enabled else None
        from botocore.exceptions import ClientError, IncompleteReadError

        self._client_error = ClientError
        self._incomplete_read = IncompleteReadError
        self._stream_errors = stream_errors()
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=self._workers)
        self._range_pool = None  # made by the first large object (_s3ranged)

    # -- context ---------------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._pool.shutdown(wait=True)
        if self._range_pool is not None:
            self._range_pool.shutdown(wait=True)
        shutil.rmtree(self._tmpdir, ignore_errors=True)

    # -- addressing ------------------------------------------------------------------------
    def _url(self, key):
        if key is None or key == "":
            if self._root is None:
                raise MetaflowS3URLException("no key given and this S3 has no s3root")
            return self._root
        if key.startswith("s3://"):
            return key
        if self._root is None:
            raise MetaflowS3URLException("%r is not a full s3:// URL and this S3 has no s3root (give s3root=, bucket= or run=)" % key)
        return "%s/%s" % (self._root, key.lstrip("/"))

    def _rel(self, url):
        if self._root is not None and url.startswith(self._root + "/"):
            return url[len(self._root) + 1:]
        return url

    def _fail(self, error, url):
        code = error_code(error)
        bucket = _split(url)[0]
        if code == "NoSuchBucket":
            return MetaflowS3NotFound("S3 bucket %r does not exist (%s)" % (bucket, url))
        if code in _MISSING:
            return MetaflowS3NotFound("%s not found" % url)
        if code in ("AccessDenied", "403"):
            return MetaflowS3AccessDenied("access denied to %s" % url)
        if code in ("PreconditionFailed", "412"):
            return MetaflowS3Exception("%s changed while it was being downloaded: get it again" % url)
        return MetaflowS3Exception("S3 request for %s failed (%s)" % (url, code or type(error).__name__))

    def _map(self, fn, items):
        return list(self._pool.map(fn, items)) if len(items) > 1 else [fn(i) for i in items]

    # -- reading ---------------------------------------------------------------------------
    def _fetch(self, url, bucket, k):
        """One GET and its whole body: (response, size, bytes or None, file path or None)."""
        # One plain GET per object, whatever its size: its Content-Length says whether the body
        # fits in memory or streams to a file. (A Range header here, to learn the size first,
        # cost more CPU per request, the client's on moto and s3rver and the server's on moto.)
        # get_many runs objects in parallel; one large object goes on as parallel ranges, its
        # first one read from this GET (_s3ranged), so that a small object costs no extra request.
        resp = None
        if self._direct is not None:
            from ._s3direct import UseBoto3  # loaded with the direct getter (__init__)

            try:
                resp = self._direct.get_object(bucket, k)
            except UseBoto3:
                resp = None
        if resp is None:
            resp = self._client.get_object(Bucket=bucket, Key=k)
        total = resp["ContentLength"]
        body = resp["Body"]
        from . import _s3ranged  # with the transfer code: not in the worker a task forks from

        if total >= _s3ranged.RANGED_FROM and _s3ranged.RANGE_WORKERS > 0:
            return resp, total, None, _s3ranged.fetch_to_file(self, resp, total, bucket, k)
        if total <= _IN_MEMORY:
            blob = body.read()
            got, path = len(blob), None
        else:
            blob = None
            fd, path = tempfile.mkstemp(dir=self._tmpdir, prefix="s3obj-")
            try:
                with os.fdopen(fd, "wb") as f:
                    shutil.copyfileobj(body, f, 1024 * 1024)
                    got = f.tell()
            except BaseException:
                os.unlink(path)
                raise
        if got != total:
            raise self._incomplete_read(actual_bytes=got, expected_bytes=total)
        return resp, total, blob, path

    def _get_one(self, key, return_missing=False, return_info=True):
        url = self._url(key)
        bucket, k = _split(url)

        def broken(error):
            return MetaflowS3Exception("%s: the download broke off %d times (%s)" % (url, BODY_ATTEMPTS, type(error).__name__))

        try:
            resp, total, blob, path = whole_body(lambda: self._fetch(url, bucket, k), self._stream_errors, broken)
        except self._client_error as e:
            code = error_code(e)
            if return_missing and code in _MISSING:
                return S3Object(url, self._root, self._rel(url), exists=False, tmpdir=self._tmpdir)
            raise self._fail(e, url)
        return S3Object(
            url, self._root, self._rel(url), True, blob, path, total,
            resp.get("Metadata") if return_info else None, resp.get("ContentType"), resp.get("LastModified"), self._tmpdir,
        )

    def get(self, key=None, return_missing=False, return_info=True):
        """One object; a missing key raises MetaflowS3NotFound unless return_missing."""
        return self._get_one(key, return_missing, return_info)

    def get_many(self, keys, return_missing=False, return_info=True):
        """Many objects, fetched in parallel, in the order asked."""
        return self._map(lambda k: self._get_one(k, return_missing, return_info), list(keys))

    def get_recursive(self, keys, return_info=False):
        """Every object below each of `keys` (prefixes)."""
        found = self.list_recursive(keys)
        return self.get_many([o.url for o in found], return_info=return_info)

    def get_all(self, return_info=False):
        """Every object below the root."""
        if self._root is None:
            raise MetaflowS3URLException("get_all() needs an s3root")
        return self.get_recursive([None], return_info=return_info)

    def _info_one(self, key, return_missing=False):
        url = self._url(key)
        bucket, k = _split(url)
        try:
            h = self._client.head_object(Bucket=bucket, Key=k)
        except self._client_error as e:
            code = error_code(e)
            if return_missing and code in _MISSING:
                return S3Object(url, self._root, self._rel(url), exists=False, tmpdir=self._tmpdir)
            raise self._fail(e, url)
        return S3Object(url, self._root, self._rel(url), True, None, None, h["ContentLength"], h.get("Metadata"), h.get("ContentType"), h.get("LastModified"), self._tmpdir)

    def info(self, key=None, return_missing=False):
        """Size and metadata without the bytes."""
        return self._info_one(key, return_missing)

    def info_many(self, keys, return_missing=False):
        return self._map(lambda k: self._info_one(k, return_missing), list(keys))

    # -- listing ---------------------------------------------------------------------------
    def _list(self, key, delimiter):
        url = self._url(key)
        bucket, prefix = _split(url)
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        out = []
        try:
            kwargs = {"Bucket": bucket, "Prefix": prefix}
            if delimiter:
                kwargs["Delimiter"] = "/"
            for page in self._client.get_paginator("list_objects_v2").paginate(**kwargs):
                for cp in page.get("CommonPrefixes", []):
                    u = "s3://%s/%s" % (bucket, cp["Prefix"].rstrip("/"))
                    out.append(S3Object(u, self._root, self._rel(u), exists=False, tmpdir=self._tmpdir))
                for o in page.get("Contents", []):
                    u = "s3://%s/%s" % (bucket, o["Key"])
                    out.append(S3Object(u, self._root, self._rel(u), True, size=o["Size"], last_modified=o.get("LastModified"), tmpdir=self._tmpdir))
        except self._client_error as e:
            raise self._fail(e, url)
        return out

    def list_paths(self, keys=None):
        """Immediate children of each key: objects (exists) and prefixes (exists False)."""
        return [o for k in (keys or [None]) for o in self._list(k, True)]

    def list_recursive(self, keys=None):
        """Every object below each key."""
        return [o for k in (keys or [None]) for o in self._list(k, False)]

    # -- writing ---------------------------------------------------------------------------
    def _put_one(self, key, obj, overwrite=True, content_type=None, metadata=None, is_path=False):
        url = self._url(key)
        bucket, k = _split(url)
        try:
            if not overwrite:
                try:
                    self._client.head_object(Bucket=bucket, Key=k)
                    return url
                except self._client_error as e:
                    if error_code(e) not in _MISSING:
                        raise
            extra = {}
            if content_type:
                extra["ContentType"] = content_type
            if metadata:
                extra["Metadata"] = {str(a): str(b) for a, b in metadata.items()}
            if is_path:
                self._client.upload_file(obj, bucket, k, ExtraArgs=extra or None)
            elif hasattr(obj, "read"):
                self._client.upload_fileobj(obj, bucket, k, ExtraArgs=extra or None)
            else:
                body = obj.encode("utf-8") if isinstance(obj, str) else bytes(obj)
                self._client.put_object(Bucket=bucket, Key=k, Body=body, **extra)
        except self._client_error as e:
            raise self._fail(e, url)
        return url

    def put(self, key, obj, overwrite=True, content_type=None, metadata=None):
        """Stores str/bytes/a file object at key; returns the URL."""
        return self._put_one(key, obj, overwrite, content_type, metadata)

    @staticmethod
    def _items(items):
        out = []
        for item in items:
            if isinstance(item, S3PutObject):
                out.append((item.key, item.value if item.path is None else item.path, item.content_type, item.metadata))
            else:
                key, value = item
                out.append((key, value, None, None))
        return out

    def put_many(self, key_objs, overwrite=True):
        """[(key, obj), ...] in parallel; returns [(key, url), ...]."""
        items = self._items(key_objs)
        return self._map(lambda it: (it[0], self._put_one(it[0], it[1], overwrite, it[2], it[3])), items)

    def put_files(self, key_paths, overwrite=True):
        """[(key, local path), ...] in parallel; returns [(key, url), ...]."""
        items = self._items(key_paths)
        for _, path, _, _ in items:
            if not os.path.isfile(path):
                raise MetaflowS3NotFound("local file %s does not exist" % path)
        return self._map(lambda it: (it[0], self._put_one(it[0], it[1], overwrite, it[2], it[3], is_path=True)), items)
