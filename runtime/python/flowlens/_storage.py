"""Bytes by key: the storage seam under the Metaflow datastore layout (runtime/README.md).

`LocalStorage` keeps objects as files below a root folder. An S3 storage class goes beside
it (module `flowlens._s3storage`, class `S3Storage`, same methods); `storage_from_env()`
picks one from the environment the Node side sets (ObjectStore.pythonEnvironment()):

    FLOWLENS_DATASTORE        "local" (default) or "s3"
    FLOWLENS_DATASTORE_ROOT   an absolute folder, or "s3://bucket/prefix"

Keys are "/"-separated and relative to the root on every store.
"""

import os
import tempfile

# mkstemp creates files readable by their owner only; a datastore is often shared by a team,
# so files get the permissions an ordinary open() would give them under the process umask.
_UMASK = os.umask(0)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK


class Storage(object):
    """The interface: whole objects, written atomically."""

    kind = "abstract"
    root = ""

    def get(self, key):
        """The object's bytes, or None when it does not exist."""
        raise NotImplementedError

    def put(self, key, data, overwrite=True, metadata=None):
        """Writes bytes atomically; with overwrite=False an existing object is left alone."""
        raise NotImplementedError

    def put_file(self, key, path, overwrite=True, metadata=None):
        """Writes a file's content as the object, like put."""
        raise NotImplementedError

    def exists(self, key):
        raise NotImplementedError

    def list_children(self, prefix):
        """Names directly below `prefix` (folders end in "/")."""
        raise NotImplementedError

    def describe(self):
        return "%s:%s" % (self.kind, self.root)


class LocalStorage(Storage):
    kind = "local"

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self._made = set()

    def _path(self, key):
        return os.path.join(self.root, *key.split("/"))

    def get(self, key):
        try:
            with open(self._path(key), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def put(self, key, data, overwrite=True, metadata=None):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._write_atomically(key, overwrite, lambda f: f.write(data))

    def put_file(self, key, path, overwrite=True, metadata=None):
        import shutil

        def copy(f):
            with open(path, "rb") as src:
                shutil.copyfileobj(src, f, 1 << 20)

        self._write_atomically(key, overwrite, copy)

    def _write_atomically(self, key, overwrite, write):
        path = self._path(key)
        if not overwrite and os.path.exists(path):
            return
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        # Same folder, so the rename is atomic: readers see the old file, none, or the whole new one.
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-" + os.path.basename(path) + "-")
        os.fchmod(fd, _FILE_MODE)
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def exists(self, key):
        return os.path.exists(self._path(key))

    def list_children(self, prefix):
        try:
            entries = os.listdir(self._path(prefix.rstrip("/")) if prefix else self.root)
        except (FileNotFoundError, NotADirectoryError):
            return []
        base = self._path(prefix.rstrip("/")) if prefix else self.root
        out = []
        for name in entries:
            if name.startswith(".tmp-"):
                continue
            out.append(name + "/" if os.path.isdir(os.path.join(base, name)) else name)
        return out


def default_local_root(cwd=None):
    """The nearest `.metaflow` folder upward from cwd, else `<cwd>/.metaflow`."""
    here = os.path.abspath(cwd or os.getcwd())
    probe = here
    while True:
        candidate = os.path.join(probe, ".metaflow")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(probe)
        if parent == probe:
            return os.path.join(here, ".metaflow")
        probe = parent


def storage_from_env(env=None):
    env = os.environ if env is None else env
    kind = env.get("FLOWLENS_DATASTORE", "local")
    root = env.get("FLOWLENS_DATASTORE_ROOT")
    if kind == "local":
        return LocalStorage(root or default_local_root())
    if kind == "s3":
        from ._s3storage import S3Storage  # only the S3 path needs boto3

        return S3Storage(root, env)
    raise ValueError("FLOWLENS_DATASTORE is %r: expected \"local\" or \"s3\"" % kind)
