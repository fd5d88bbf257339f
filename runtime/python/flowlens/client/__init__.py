"""Metaflow's client API over a Flowlens (or Metaflow) datastore, standard library only.

    from metaflow import Flow
    run = Flow("HelloFlow").latest_successful_run
    print(run.data.message)

Importing this package costs nothing: every name loads its module on first use (PEP 562),
so flows that never read runs do not pay for the client, and boto3 loads only for S3.
`flowlens` and `metaflow` expose these names the same way. See docs/client-api.md.
"""

import importlib

_EXPORTS = {
    "Metaflow": "core",
    "Flow": "core",
    "Run": "_run",
    "Step": "_step",
    "Task": "_task",
    "DataArtifact": "_artifact",
    "MetaflowData": "_artifact",
    "MetaflowArtifacts": "_artifact",
    "MetaflowCode": "_code",
    "namespace": "_settings",
    "get_namespace": "_settings",
    "default_namespace": "_settings",
    "get_metadata": "_settings",
    "metadata": "_settings",
    "default_metadata": "_settings",
    "MetaflowException": "exceptions",
    "MetaflowNotFound": "exceptions",
    "MetaflowNamespaceMismatch": "exceptions",
    "MetaflowInvalidPathspec": "exceptions",
    "MetaflowDataDamaged": "exceptions",
    "get_cards": "_cards",
}

__all__ = sorted(_EXPORTS)


def _load(name):
    return getattr(importlib.import_module("flowlens.client." + _EXPORTS[name]), name)


def __getattr__(name):
    if name in _EXPORTS:
        value = _load(name)
        globals()[name] = value
        return value
    raise AttributeError("module 'flowlens.client' has no attribute %r" % name)


def module_getattr(name):
    """A PEP 562 `__getattr__` for the `flowlens` package: the client names, loaded on first use."""
    if name in _EXPORTS:
        return __getattr__(name)
    raise AttributeError("module 'flowlens' has no attribute %r" % name)


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
