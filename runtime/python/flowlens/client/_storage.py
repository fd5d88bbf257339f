"""The client reads through the flow API's storage classes (flowlens/_storage.py, _s3storage.py).

Those are the same seam as runtime/src/datastore/types.ts (ObjectStore): bytes by key,
'/'-separated, relative to the root. Reading through the classes the task harness writes
with keeps one implementation of each store; the client adds `children()` under its own
name and `url()` for messages. boto3 loads only when an S3 store is opened.
"""

import os


class Store:
    """`kind` ("local" | "s3"), `root`, get, exists, children, url; `put` only for a run's tags."""

    def __init__(self, storage):
        self._storage = storage
        self.kind = storage.kind
        self.root = storage.root

    def get(self, key):
        """The whole object as bytes, or None when it does not exist."""
        return self._storage.get(key)

    def exists(self, key):
        return self._storage.exists(key)

    def put(self, key, data):
        """Writes the whole object atomically (the one write the client makes: a run's tags)."""
        self._storage.put(key, data)

    def children(self, prefix):
        """Immediate children of `prefix` (a key ending in "/" or ""): folder names end in "/"."""
        return self._storage.list_children(prefix)

    def url(self, key):
        """Where `key` lives: a path or an s3:// URL, for messages and metadata."""
        if self.kind == "local":
            return os.path.join(self.root, *key.split("/"))
        return "%s/%s" % (self.root.rstrip("/"), key)


def open_store(root, endpoint_url=None):
    """A store for a local folder or an s3://bucket/prefix URL."""
    if root.startswith("s3://"):
        from .._s3storage import S3Storage

        env = dict(os.environ)
        if endpoint_url:
            env["AWS_ENDPOINT_URL_S3"] = endpoint_url
        return Store(S3Storage(root, env))
    from .._storage import LocalStorage

    return Store(LocalStorage(root))
