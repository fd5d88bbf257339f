"""Summaries of artifact values for run comparison (runtime/src/compare/values.ts).

    python <bundle>/_flowlens_launch.py compare < request.json

The request is JSON: {"flow", "shas": [...], "flowFile"?, "maxBytes"?}; the datastore comes from
FLOWLENS_DATASTORE / FLOWLENS_DATASTORE_ROOT. One JSON object is printed, by sha:
    json   {"type", "value"}                               JSON-native values (up to 100 kB of JSON)
    array  {"type", "shape", "dtype", "stats"?}            numpy arrays, with statistics over all cells
    frame  {"type", "shape", "columns": [{"name", "dtype", "stats"?}]}
                                                           pandas frames and series, statistics per column
    text   {"type", "text"}                                anything else, by its repr (capped)
    error  {"message"}                                     cannot be loaded
Loading unpickles: callers start this only where the workspace is trusted, or on the user's
explicit request on the command line.
"""

import json
import os
import sys

from ._preview_artifact import DEFAULT_MAX_BYTES, _load, _stats

JSON_LIMIT = 100_000
TEXT_LIMIT = 2_000
COLUMN_LIMIT = 200


def _type_name(obj):
    t = type(obj)
    return t.__qualname__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__qualname__)


def summarise(obj):
    kind = _type_name(obj)
    module = type(obj).__module__ or ""
    if module.startswith("numpy") and hasattr(obj, "shape") and hasattr(obj, "dtype"):
        out: dict = {"kind": "array", "type": kind, "shape": [int(n) for n in obj.shape], "dtype": str(obj.dtype)}
        stats = None if obj.dtype.names else _stats(obj)
        if stats:
            out["stats"] = stats
        return out
    if module.startswith("pandas") and hasattr(obj, "shape") and hasattr(obj, "dtypes"):
        frame = obj.to_frame() if not hasattr(obj, "columns") and hasattr(obj, "to_frame") else obj
        columns = []
        for name in list(frame.columns)[:COLUMN_LIMIT]:
            col = frame[name]
            entry: dict = {"name": str(name), "dtype": str(col.dtype)}
            stats = _stats(col.to_numpy()) if col.dtype.kind in "iufb" else None
            if stats:
                entry["stats"] = stats
            columns.append(entry)
        return {"kind": "frame", "type": kind, "shape": [int(n) for n in obj.shape], "columns": columns}
    try:
        text = json.dumps(obj, allow_nan=False)
        if len(text) <= JSON_LIMIT and not (isinstance(obj, dict) and not all(isinstance(k, str) for k in obj)):
            return {"kind": "json", "type": kind, "value": json.loads(text)}
    except (TypeError, ValueError):
        pass
    text = repr(obj)
    return {"kind": "text", "type": kind, "text": text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 3] + "..."}


def main():
    request = json.loads(sys.stdin.read() or "{}")
    from ._datastore import FlowDatastore
    from ._storage import storage_from_env

    flow_file = request.get("flowFile")
    if flow_file:
        sys.path.insert(0, os.path.dirname(flow_file))
    ds = FlowDatastore(storage_from_env(), request["flow"])
    max_bytes = int(request.get("maxBytes") or DEFAULT_MAX_BYTES)
    out = {}
    for sha in request.get("shas") or []:
        try:
            out[sha] = summarise(_load(ds, sha, flow_file, max_bytes))
        except ModuleNotFoundError as e:
            out[sha] = {"kind": "error", "message": "the module %r is not installed in %s" % (e.name, sys.executable)}
        except Exception as e:
            out[sha] = {"kind": "error", "message": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(out, allow_nan=False, default=str))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
