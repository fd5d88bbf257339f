"""S3 storage for the task harness: the `Storage` interface of _storage.py over s3://bucket/prefix.

boto3 is imported here and only here. Settings follow AWS conventions: the default
credential chain, region from AWS_REGION / AWS_DEFAULT_REGION / the profile, the endpoint
from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (path-style addressing then). Retries are
boto3's "adaptive" mode: backoff with jitter on throttling, 5xx and dropped connections.
A PutObject is atomic on S3, and large files go through boto3's multipart transfer, which
is invisible until complete, so readers never see a half-written object.
"""

import os
import random
import time

from ._storage import Storage

_MISSING = ("NoSuchKey", "404", "NotFound")
# Tries of one object's download when its body breaks off after the answer began.
BODY_ATTEMPTS = 5


def stream_errors():
    """botocore's errors for a body that broke off after its answer began, which boto3 does not retry."""
    from botocore.exceptions import ConnectionClosedError, IncompleteReadError, ReadTimeoutError, ResponseStreamingError

    return (IncompleteReadError, ResponseStreamingError, ReadTimeoutError, ConnectionClosedError)


def whole_body(fetch, errors, broken):
    """fetch() again, with jittered backoff, until its body arrives whole.

    boto3 retries a request that fails before its answer, not a body that breaks off halfway (a
    dropped connection, a truncated stream). `broken(error)` makes the exception raised when the
    last of BODY_ATTEMPTS tries broke too.
    """
    for attempt in range(BODY_ATTEMPTS - 1):
        try:
            return fetch()
        except errors:
            time.sleep(random.uniform(0, min(2.0, 0.1 * 2 ** attempt)))
    try:
        return fetch()
    except errors as e:
        raise broken(e)


# The session this process was given, if any: a container's bootstrap forks the task's process
# from its own, which has S3's service model loaded, and a client made from that session costs a
# tenth of one made from a new session.
_shared = {}


def share_botocore_session(session):
    """Makes `s3_session()` return one boto3 session around `session` (same credential chain and
    settings). One: each boto3 session adds its S3 client methods to the botocore session's
    hooks, and a second would add them twice."""
    import boto3

    _shared["boto3"] = boto3.Session(botocore_session=session)


def s3_session():
    """A new boto3 session (credentials are resolved by it, lazily), or the shared one."""
    if "boto3" in _shared:
        return _shared["boto3"]
    try:
        import boto3
    except ImportError:  # pragma: no cover - depends on the interpreter
        import sys

        raise RuntimeError("The S3 datastore needs boto3, which is not installed in %s (pip install boto3)" % sys.executable)
    return boto3.Session()


def s3_client(env=None, max_pool=32, session=None):
    """A boto3 S3 client configured from `env` (default: os.environ), made by `session` (default: a new one)."""
    env = os.environ if env is None else env
    session = session or s3_session()
    from botocore.config import Config
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
    config = Config(
        retries={"max_attempts": 10, "mode": "adaptive"},
        max_pool_connections=max_pool,
        s3={"addressing_style": "path"} if endpoint else {},
    )
    kwargs: dict = {"config": config}
    if endpoint:
        kwargs["endpoint_url"] = endpoint
        kwargs["region_name"] = region or "us-east-1"
    elif region:
        kwargs["region_name"] = region
    return session.client("s3", **kwargs)


def split_url(url):
    if not url or not url.startswith("s3://"):
        raise ValueError("%r is not an S3 URL: expected s3://bucket/prefix (FLOWLENS_DATASTORE_ROOT)" % (url,))
    bucket, _, prefix = url[len("s3://"):].partition("/")
    return bucket, prefix.strip("/")


def error_code(error):
    return getattr(error, "response", {}).get("Error", {}).get("Code", "")


class S3Storage(Storage):
    kind = "s3"

    def __init__(self, root, env=None):
        self.bucket, self.prefix = split_url(root)
        self.root = "s3://%s/%s" % (self.bucket, self.prefix) if self.prefix else "s3://%s" % self.bucket
        self.client = s3_client(env)
        from botocore.exceptions import ClientError

        self._client_error = ClientError
        self._stream_errors = stream_errors()

    def _key(self, key):
        key = key.lstrip("/")
        return "%s/%s" % (self.prefix, key) if self.prefix else key

    def _fail(self, op, key, error):
        code = error_code(error)
        where = "s3://%s/%s" % (self.bucket, self._key(key))
        if code == "NoSuchBucket":
            return RuntimeError("S3 bucket %r does not exist (%s %s): check FLOWLENS_DATASTORE_ROOT" % (self.bucket, op, where))
        if code in ("AccessDenied", "403"):
            return RuntimeError("Access denied for %s %s: the role needs s3:GetObject/PutObject/ListBucket" % (op, where))
        return RuntimeError("S3 %s %s failed (%s)" % (op, where, code or type(error).__name__))

    def get(self, key):
        def fetch():
            # StreamingBody.read() checks the length against Content-Length (IncompleteReadError).
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

        def broken(error):
            where = "s3://%s/%s" % (self.bucket, self._key(key))
            return RuntimeError("S3 GetObject %s: the download broke off %d times (%s)" % (where, BODY_ATTEMPTS, type(error).__name__))

        try:
            return whole_body(fetch, self._stream_errors, broken)
        except self._client_error as e:
            if error_code(e) in _MISSING:
                return None
            raise self._fail("GetObject", key, e)

    def exists(self, key):
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except self._client_error as e:
            if error_code(e) in _MISSING:
                return False
            raise self._fail("HeadObject", key, e)

    def put(self, key, data, overwrite=True, metadata=None):
        if not overwrite and self.exists(key):
            return
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, Metadata=dict(metadata or {}))
        except self._client_error as e:
            raise self._fail("PutObject", key, e)

    def put_file(self, key, path, overwrite=True, metadata=None):
        if not overwrite and self.exists(key):
            return
        try:
            self.client.upload_file(path, self.bucket, self._key(key), ExtraArgs={"Metadata": dict(metadata or {})} if metadata else None)
        except self._client_error as e:
            raise self._fail("PutObject", key, e)

    def list_children(self, prefix):
        full = self._key(prefix) if prefix else (self.prefix + "/" if self.prefix else "")
        if full and not full.endswith("/"):
            full += "/"
        out = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full, Delimiter="/"):
                out.extend(cp["Prefix"][len(full):] for cp in page.get("CommonPrefixes", []))
                out.extend(o["Key"][len(full):] for o in page.get("Contents", []) if o["Key"] != full)
        except self._client_error as e:
            raise self._fail("ListObjectsV2", prefix, e)
        return out
