"""Which datastore the client reads (metadata) and which runs it shows (namespace).

Resolution of the datastore, first match wins:
  1. metadata("local@PATH" | "PATH" | "s3://bucket/prefix" | "s3@s3://bucket/prefix")
  2. FLOWLENS_DATASTORE_ROOT            a folder or an s3:// URL (what the Node runtime passes)
  3. METAFLOW_DEFAULT_DATASTORE=s3 with METAFLOW_DATASTORE_SYSROOT_S3 (or FLOWLENS_DATASTORE=s3)
  4. METAFLOW_DATASTORE_SYSROOT_LOCAL   the folder holding `.metaflow` (Metaflow's meaning)
  5. the nearest `.metaflow` folder upward from the working directory
Steps 2 to 5 are the rule every reader and writer follows (`flowlens._storage.datastore_root`,
runtime/src/datastore/root.ts on the Node side).
S3 endpoint (moto, MinIO): FLOWLENS_S3_ENDPOINT_URL, METAFLOW_S3_ENDPOINT_URL, AWS_ENDPOINT_URL_S3,
AWS_ENDPOINT_URL. The Node runtime passes FLOWLENS_DATASTORE(_ROOT) and AWS_ENDPOINT_URL_S3
(ObjectStore.pythonEnvironment()), so a step that reads earlier runs finds the same store.
"""

import os

from .._storage import datastore_root
from .exceptions import MetaflowException, MetaflowNotFound

DATASTORE_LOCAL_DIR = ".metaflow"

_state = {"metadata": None, "namespace": None, "namespace_set": False, "layout": None, "layout_key": None}


def _username():
    from .._flowopts import username

    return username()


def _endpoint():
    for var in ("FLOWLENS_S3_ENDPOINT_URL", "METAFLOW_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):
        if os.environ.get(var):
            return os.environ[var]
    return None


def _local_root_from_path(path):
    """`metadata("local@PATH")`: PATH holds a `.metaflow` folder (Metaflow's meaning) or is the root itself."""
    path = os.path.abspath(os.path.expanduser(path))
    if os.path.isdir(os.path.join(path, DATASTORE_LOCAL_DIR)):
        return os.path.join(path, DATASTORE_LOCAL_DIR)
    if os.path.isdir(path):
        return path
    raise MetaflowNotFound(
        "metadata(): no datastore at %s (neither a %s folder inside it nor the folder itself exists)"
        % (path, DATASTORE_LOCAL_DIR)
    )


def resolve_root():
    """(root, endpoint_url): a local folder or an s3:// URL."""
    spec = _state["metadata"]
    if spec is not None:
        return spec
    env = os.environ
    root = (env.get("FLOWLENS_DATASTORE_ROOT") or "").strip()
    wants_s3 = env.get("METAFLOW_DEFAULT_DATASTORE") == "s3" or env.get("FLOWLENS_DATASTORE") == "s3"
    kind = "s3" if root.startswith("s3://") or (not root and wants_s3 and env.get("METAFLOW_DATASTORE_SYSROOT_S3")) else "local"
    found = datastore_root(kind, env, create=False)
    if not found:
        return None, None
    return (found.rstrip("/"), _endpoint()) if kind == "s3" else (found, None)


def current_layout():
    """The Layout of the current datastore; one per root so blob caches survive between calls."""
    from ._layout import Layout
    from ._storage import open_store

    root, endpoint = resolve_root()
    if root is None:
        raise MetaflowNotFound(
            "No datastore found: there is no %s folder in %s or above it. Run a flow first, or point "
            "the client at one with metadata('local@PATH') or FLOWLENS_DATASTORE_ROOT."
            % (DATASTORE_LOCAL_DIR, os.getcwd())
        )
    key = (root, endpoint)
    if _state["layout_key"] != key:
        _state["layout"] = Layout(open_store(root, endpoint_url=endpoint))
        _state["layout_key"] = key
    return _state["layout"]


def metadata(ms):
    """Point the client at a datastore; returns get_metadata(). Global, like Metaflow's."""
    if not isinstance(ms, str) or not ms:
        raise MetaflowException("metadata() takes a string such as 'local@/path/to/project', got %r" % (ms,))
    kind, sep, info = ms.partition("@")
    if not sep:
        kind, info = ("s3", ms) if ms.startswith("s3://") else ("local", ms)
    if kind == "local":
        _state["metadata"] = (_local_root_from_path(info), None)
    elif kind == "s3":
        if not info.startswith("s3://"):
            raise MetaflowException("metadata('s3@...') needs an s3:// URL, got %r" % info)
        _state["metadata"] = (info.rstrip("/"), _endpoint())
    else:
        raise MetaflowException(
            "metadata(%r): Flowlens reads 'local@PATH' and 's3@s3://bucket/prefix' datastores; "
            "the '%s' metadata provider (e.g. Metaflow's metadata service) is not supported" % (ms, kind)
        )
    return get_metadata()


def default_metadata():
    """Back to the datastore the environment and working directory name; returns get_metadata()."""
    _state["metadata"] = None
    return get_metadata()


def get_metadata():
    root, _ = resolve_root()
    if root is None:
        return "local@<No %s directory found in current working tree>" % DATASTORE_LOCAL_DIR
    if root.startswith("s3://"):
        return "s3@%s" % root
    # Metaflow names the folder that holds `.metaflow`.
    if os.path.basename(root) == DATASTORE_LOCAL_DIR:
        return "local@%s" % os.path.dirname(root)
    return "local@%s" % root


def default_namespace():
    """Back to the default namespace `user:<username>`; returns it."""
    user = _username()
    _state["namespace"] = "user:%s" % user if user else None
    _state["namespace_set"] = True
    return _state["namespace"]


def namespace(ns):
    """Show only runs tagged `ns` (e.g. 'user:alice'); None shows every run (the global namespace)."""
    if ns is not None and not isinstance(ns, str):
        raise MetaflowException("namespace() takes a tag string or None, got %r" % (ns,))
    _state["namespace"] = ns
    _state["namespace_set"] = True
    return ns


def get_namespace():
    if not _state["namespace_set"]:
        default_namespace()
    return _state["namespace"]


def reset_for_tests():
    _state.update({"metadata": None, "namespace": None, "namespace_set": False, "layout": None, "layout_key": None})
