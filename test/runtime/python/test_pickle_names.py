"""Artifacts that hold an object of the Metaflow-compatible API (a caught exception's wrapper, the
failure's `_exception`, foreach frames, a config value) are pickled under the module Metaflow has
for its class, never under `flowlens`, so Metaflow's own client can load them.

Each artifact is loaded in a separate interpreter that refuses every module outside `builtins`,
`copyreg`, `collections` and `metaflow`: first with the repository's `metaflow` alias package on
its path, then, when FLOWLENS_METAFLOW_SRC names a Metaflow source tree, with the real Metaflow
(test/runtime/metaflowClient.test.ts runs the same with the whole client).
"""

import gzip
import json
import os
import pickle
import subprocess
import sys

from conftest import RUNTIME_PYTHON
from helpers import graph

# Prints, for each pickle given as a hex string, the module-qualified class of the loaded object
# and the attributes the test compares.
LOADER = r'''
import json, pickle, sys, io

class OnlyMetaflow(pickle.Unpickler):
    def find_class(self, module, name):
        if module not in ("builtins", "copyreg", "collections") and module.split(".")[0] != "metaflow":
            raise pickle.UnpicklingError("refers to %s.%s" % (module, name))
        return super().find_class(module, name)

out = []
for blob in json.load(sys.stdin):
    obj = OnlyMetaflow(io.BytesIO(bytes.fromhex(blob))).load()
    cls = type(obj)
    fields = {k: getattr(obj, k, None) for k in ("type", "exception", "var", "index", "value")}
    out.append(["%s.%s" % (cls.__module__, cls.__name__), fields, dict(obj) if isinstance(obj, dict) else None])
print(json.dumps(out))
'''

SOURCE = '''
from metaflow import FlowSpec, step, catch

class P(FlowSpec):
    @catch(var="err", print_exception=False)
    @step
    def start(self):
        raise ValueError("bad input")
        self.next(self.end)

    @step
    def end(self):
        raise KeyError("missing")
'''


def _load_elsewhere(pythonpath, blobs):
    env = dict(os.environ, PYTHONPATH=pythonpath)
    r = subprocess.run([sys.executable, "-c", LOADER], input=json.dumps([b.hex() for b in blobs]), env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _pickled(r, path, name):
    sha = r.ds.read_task(path).objects[name]
    body = r.ds.storage.get(r.ds.blob_key(sha))
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def _blobs(runner_for):
    from flowlens._frames import ForeachFrame
    from flowlens.configs import ConfigValue

    r = runner_for(SOURCE, "P", graph(start=("start", ["end"]), end=("end", [])))
    p = r.params()
    res, start = r.run("start", [p])
    assert res["ok"] and res["caught"], res
    res, end = r.run("end", [start])
    assert not res["ok"], res
    frame = ForeachFrame("start", "items", 3, 1, "b")
    return [_pickled(r, start, "err"), _pickled(r, end, "_exception"),
            pickle.dumps(frame, protocol=4), pickle.dumps(ConfigValue({"db": {"port": 5}}), protocol=4)]


def _check(loaded):
    err, exc, frame, config = loaded
    assert err[0] == "metaflow.exception.MetaflowExceptionWrapper"
    assert err[1]["type"] == "builtins.ValueError" and err[1]["exception"] == "bad input"
    assert exc[0] == "metaflow.exception.MetaflowExceptionWrapper"
    assert exc[1]["type"] == "builtins.KeyError" and exc[1]["exception"] == "'missing'"
    assert frame[0].endswith(".ForeachFrame") and frame[1]["var"] == "items" and frame[1]["index"] == 1 and frame[1]["value"] == "b"
    assert config[0] == "metaflow.user_configs.config_parameters.ConfigValue" and config[2] == {"db": {"port": 5}}


def test_api_objects_in_artifacts_load_by_metaflow_names(runner_for):
    blobs = _blobs(runner_for)
    _check(_load_elsewhere(RUNTIME_PYTHON, blobs))
    source = os.environ.get("FLOWLENS_METAFLOW_SRC")
    if source:
        _check(_load_elsewhere(source, blobs))


class _EarlierWrapper(object):
    """Pickles as the wrappers earlier versions stored: a rebuild function of Flowlens's own module."""

    def __reduce__(self):
        from flowlens.exceptions import _rebuild_wrapper

        return (_rebuild_wrapper, ("builtins.ValueError", "bad", "Traceback ..."))


def test_wrappers_stored_by_earlier_runs_still_load():
    old = pickle.loads(pickle.dumps(_EarlierWrapper(), protocol=4))
    assert type(old).__name__ == "MetaflowExceptionWrapper"
    assert (old.type, old.exception, old.stacktrace, old.args) == ("builtins.ValueError", "bad", "Traceback ...", ("builtins.ValueError", "bad"))
    assert str(old) == "builtins.ValueError: bad"
