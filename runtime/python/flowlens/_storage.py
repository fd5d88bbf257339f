"""Bytes by key: the storage seam under the Metaflow datastore layout (runtime/README.md).

`LocalStorage` keeps objects as files below a root folder. An S3 storage class goes beside
it (module `flowlens._s3storage`, class `S3Storage`, same methods); `storage_from_env()`
picks one from the environment the Node side sets (ObjectStore.pythonEnvironment()):

    FLOWLENS_DATASTORE        "local" (default) or "s3"
    FLOWLENS_DATASTORE_ROOT   an absolute folder, or "s3://bucket/prefix"

Keys are "/"-separated and relative to the root on every store.
"""

import itertools
import os

# A temporary file is created with the mode an ordinary open() gives (0o666 under the process
# umask), since a datastore is often shared by a team.
_TMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_tmp_serial = itertools.count()
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# One read takes a small object whole (records, most blobs); a larger one is read at once by size.
_READ_SIZE = 1 << 16


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

    def list_names(self, prefix):
        """Names directly below `prefix`, where telling folders from files does not matter."""
        return self.list_children(prefix)

    def describe(self):
        return "%s:%s" % (self.kind, self.root)


class LocalStorage(Storage):
    kind = "local"

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self._made = set()

    def _path(self, key):
        return self.root + os.sep + key.replace("/", os.sep)

    def get(self, key):
        # The descriptor's own calls, without a file object (whose making checks the mode and
        # stats the file): a join reads two files an input, of tens of thousands of inputs.
        try:
            fd = os.open(self._path(key), _READ_FLAGS)
        except FileNotFoundError:
            return None
        try:
            data = os.read(fd, _READ_SIZE)
            if len(data) == _READ_SIZE:
                # A large object: one buffer sized by fstat, as a file object's readall() makes it.
                os.lseek(fd, 0, os.SEEK_SET)
                with open(fd, "rb", buffering=0, closefd=False) as f:
                    return f.readall()
            chunks = [data]
            while chunks[-1]:
                chunks.append(os.read(fd, _READ_SIZE))
            return data if len(chunks) == 2 else b"".join(chunks)
        finally:
            os.close(fd)

    def put(self, key, data, overwrite=True, metadata=None):
        if isinstance(data, str):
            data = data.encode("utf-8")

        def write(fd):
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]

        self._write_atomically(key, overwrite, write)

    def put_file(self, key, path, overwrite=True, metadata=None):
        import shutil

        def copy(fd):
            with open(path, "rb") as src, open(fd, "wb", closefd=False) as f:
                shutil.copyfileobj(src, f, 1 << 20)

        self._write_atomically(key, overwrite, copy)

    def _write_atomically(self, key, overwrite, write):
        """`write(fd)` fills a temporary file beside the object, which then takes the object's name.

        A trivial task writes some thirty small files, so each costs as few system calls as it
        can: one exclusive create (no mkstemp, fchmod, fstat or buffered file object), the
        writes, close and rename."""
        path = self._path(key)
        if not overwrite and os.path.exists(path):
            return
        folder, name = os.path.split(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        fd, tmp = _create_temporary(folder, name)
        # Same folder, so the rename is atomic: readers see the old file, none, or the whole new one.
        try:
            try:
                write(fd)
            finally:
                os.close(fd)
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
        # scandir tells folders from files by the directory entry's type, without a stat per
        # name: a join reads this for each of its inputs, which can number tens of thousands.
        out = []
        try:
            with os.scandir(self._path(prefix.rstrip("/")) if prefix else self.root) as entries:
                for entry in entries:
                    if not entry.name.startswith(".tmp-"):
                        out.append(entry.name + "/" if entry.is_dir() else entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return []
        return out

    def list_names(self, prefix):
        # Read once an input of a join: the plain listing, without a Python step per entry.
        try:
            return os.listdir(self._path(prefix.rstrip("/")) if prefix else self.root)
        except (FileNotFoundError, NotADirectoryError):
            return []


def _create_temporary(folder, name):
    """(fd, path) of a new file named `.tmp-<name>-<pid>-<serial>` in `folder` (listings skip
    `.tmp-` names). The pid and a per-process serial make the name unique among writers; a
    leftover of a process that died with the same pid is stepped over."""
    while True:
        tmp = "%s%s.tmp-%s-%d-%d" % (folder, os.sep, name, os.getpid(), next(_tmp_serial))
        try:
            return os.open(tmp, _TMP_FLAGS, 0o666), tmp
        except FileExistsError:
            continue


def _nearest_local_root(start):
    """The nearest `.metaflow` folder at or above `start`, or None."""
    probe = start
    while True:
        candidate = os.path.join(probe, ".metaflow")
        if os.path.isdir(candidate):
            return candidate
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent


def datastore_root(kind, env=None, cwd=None, given=None, create=True):
    """Where the datastore is: the rule of runtime/src/datastore/root.ts, first match wins.

    1. `given` (a root named explicitly); 2. FLOWLENS_DATASTORE_ROOT (for a local store, when it
    is not an s3:// URL); 3. METAFLOW_DATASTORE_SYSROOT_S3 for S3, `<METAFLOW_DATASTORE_SYSROOT_LOCAL>/.metaflow`
    for a local store; 4. local: the nearest `.metaflow` folder at or above `cwd`, else
    `<cwd>/.metaflow` (None instead when `create` is false: a reader does not make one).
    The cases both languages run: test/cases/datastore-root.json.
    """
    env = os.environ if env is None else env
    here = os.path.abspath(cwd or os.getcwd())
    from_env = (env.get("FLOWLENS_DATASTORE_ROOT") or "").strip() or None
    given = (given or "").strip() or None
    if kind == "s3":
        return given or from_env or (env.get("METAFLOW_DATASTORE_SYSROOT_S3") or "").strip() or ""
    explicit = given or (None if from_env is not None and from_env.startswith("s3://") else from_env)
    if explicit is not None:
        return os.path.abspath(os.path.join(here, explicit))
    sysroot = (env.get("METAFLOW_DATASTORE_SYSROOT_LOCAL") or "").strip()
    if sysroot:
        return os.path.join(os.path.abspath(os.path.join(here, sysroot)), ".metaflow")
    nearest = _nearest_local_root(here)
    if nearest is not None or not create:
        return nearest
    return os.path.join(here, ".metaflow")


def storage_from_env(env=None):
    env = os.environ if env is None else env
    kind = env.get("FLOWLENS_DATASTORE", "local")
    if kind == "local":
        return LocalStorage(datastore_root("local", env))
    if kind == "s3":
        root = datastore_root("s3", env)
        from ._s3storage import S3Storage  # only the S3 path needs boto3

        return S3Storage(root, env)
    raise ValueError("FLOWLENS_DATASTORE is %r: expected \"local\" or \"s3\"" % kind)
