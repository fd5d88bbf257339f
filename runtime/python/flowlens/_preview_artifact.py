"""One artifact's preview for the editor (client/src/previews), run with the flow's interpreter.

    python <bundle>/_flowlens_launch.py preview < request.json

The request is JSON: {"flow", "sha", "flowFile"?, "offset"?, "limit"?, "maxBytes"?, "sort"?}, where
"sort" is {"column": NAME, "descending": BOOL}: a table's rows in that order before paging. The datastore
comes from FLOWLENS_DATASTORE / FLOWLENS_DATASTORE_ROOT, as for tasks. One JSON document is
printed; "kind" says what it is:
    json   {"value"}                                JSON-native values
    text   {"text", "truncated"}                    strings (long ones capped); what @catch stored, with its traceback
    table  {"shape", "dtypes", "columns", "rows", "offset", "limit", "total", "stats"?, "columnStats"?, "sort"?}
                                                    numpy arrays and pandas frames/series: one page of rows;
                                                    an array's stats are over all its values, a frame's per column
    image  {"mime", "base64"}                       PNG/JPEG bytes, PIL images, matplotlib figures
    repr   {"text"}                                 anything else
    error  {"message"}                              cannot be loaded (missing library, too large, ...)
Only the standard library is required; numpy, pandas, PIL and matplotlib are used when importable.
"""

import base64
import io
import json
import math
import os
import pickle
import sys

TEXT_LIMIT = 200_000
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
CELL_LIMIT = 200


def _cell(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else repr(v)
    try:
        import numpy

        if isinstance(v, numpy.generic):
            return _cell(v.item())
    except ImportError:
        pass
    text = str(v)
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def _stats(values):
    try:
        import numpy

        arr = numpy.asarray(values)
        if arr.size == 0 or arr.dtype.kind not in "iufb":
            return None
        arr = arr.astype(float)
        finite = arr[numpy.isfinite(arr)]
        out: dict = {"count": int(arr.size), "nan": int(numpy.isnan(arr).sum())}
        if finite.size:
            out.update(min=float(finite.min()), max=float(finite.max()), mean=float(finite.mean()), std=float(finite.std()))
        return out
    except Exception:
        return None


def _numpy_order(obj, rows2d, columns, sort):
    """Row order for a sort request, or None: by a field of a structured array, else by a column."""
    name = (sort or {}).get("column")
    if name not in columns:
        return None
    import numpy

    keys = obj[name] if obj.dtype.names else rows2d[:, columns.index(name)]
    order = numpy.argsort(keys, kind="stable")
    return order[::-1] if sort.get("descending") else order


def _numpy_table(obj, offset, limit, sort=None):
    shape = [int(n) for n in obj.shape]
    if obj.ndim == 0:
        return {"kind": "json" if isinstance(_cell(obj.item()), (int, float, bool)) else "repr", "value": _cell(obj.item()), "text": repr(obj.item())}
    rows2d = obj.reshape(shape[0], -1) if obj.ndim > 1 else obj.reshape(shape[0], 1)
    names = list(obj.dtype.names) if obj.dtype.names else [str(i) for i in range(rows2d.shape[1])] if obj.ndim > 1 else ["value"]
    order = _numpy_order(obj, rows2d, names, sort)
    if order is not None:
        obj, rows2d = obj[order], rows2d[order]
    page = rows2d[offset : offset + limit]
    if obj.dtype.names:  # structured array: one column per field
        columns = list(obj.dtype.names)
        rows = [[_cell(r[name]) for name in columns] for r in obj[offset : offset + limit]]
        dtypes = [str(obj.dtype[name]) for name in columns]
    else:
        columns = [str(i) for i in range(rows2d.shape[1])] if obj.ndim > 1 else ["value"]
        rows = [[_cell(v) for v in row] for row in page.tolist()]
        dtypes = [str(obj.dtype)] * len(columns)
    out = {"kind": "table", "shape": shape, "dtype": str(obj.dtype), "dtypes": dtypes, "columns": columns[:200], "rows": [r[:200] for r in rows], "offset": offset, "limit": limit, "total": shape[0]}
    stats = _stats(obj) if not obj.dtype.names else None
    if stats:
        out["stats"] = stats
    if order is not None and sort:
        out["sort"] = {"column": sort["column"], "descending": bool(sort.get("descending"))}
    return out


def _pandas_sorted(frame, sort):
    name = (sort or {}).get("column")
    descending = bool((sort or {}).get("descending"))
    if name == "(index)":
        return frame.sort_index(ascending=not descending, kind="stable")
    for c in frame.columns:
        if str(c) == name:
            return frame.sort_values(c, ascending=not descending, kind="stable", na_position="last")
    return None


def _column_stats(frame):
    """Statistics of each numeric column on its own: pooling a frame's columns mixes unrelated units."""
    out = {}
    for c in frame.select_dtypes("number").columns[:200]:
        stats = _stats(frame[c].to_numpy())
        if stats:
            out[str(c)] = stats
    return out


def _pandas_table(obj, offset, limit, sort=None):
    frame = obj.to_frame() if hasattr(obj, "to_frame") and not hasattr(obj, "columns") else obj
    ordered = _pandas_sorted(frame, sort) if sort else None
    if ordered is not None:
        frame = ordered
    page = frame.iloc[offset : offset + limit]
    columns = [str(c) for c in frame.columns][:200]
    rows = [[_cell(i)] + [_cell(v) for v in row[:200]] for i, row in zip(page.index.tolist(), page.itertuples(index=False, name=None))]
    out = {
        "kind": "table",
        "shape": [int(n) for n in obj.shape],
        "dtypes": ["index"] + [str(t) for t in frame.dtypes.tolist()][:200],
        "columns": ["(index)"] + columns,
        "rows": rows,
        "offset": offset,
        "limit": limit,
        "total": int(frame.shape[0]),
    }
    try:
        column_stats = _column_stats(frame)
        if column_stats:
            out["columnStats"] = column_stats
    except Exception:
        pass
    if ordered is not None and sort:
        out["sort"] = {"column": sort["column"], "descending": bool(sort.get("descending"))}
    return out


def _image(obj):
    if isinstance(obj, (bytes, bytearray)):
        data = bytes(obj)
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            return {"kind": "image", "mime": "image/png", "base64": base64.b64encode(data).decode("ascii")}
        if data[:3] == b"\xff\xd8\xff":
            return {"kind": "image", "mime": "image/jpeg", "base64": base64.b64encode(data).decode("ascii")}
        return None
    module = type(obj).__module__ or ""
    buf = io.BytesIO()
    if module.startswith("PIL.") and hasattr(obj, "save"):
        obj.save(buf, format="PNG")
    elif module.startswith("matplotlib.figure") and hasattr(obj, "savefig"):
        obj.savefig(buf, format="png")
    else:
        return None
    return {"kind": "image", "mime": "image/png", "base64": base64.b64encode(buf.getvalue()).decode("ascii")}


def _caught(obj):
    """What @catch stored (Metaflow's wrapper or ours: same attributes): its headline and traceback."""
    if type(obj).__name__ != "MetaflowExceptionWrapper" or not isinstance(getattr(obj, "stacktrace", None), str):
        return None
    text = "%s: %s\n\n%s" % (getattr(obj, "type", "?"), getattr(obj, "exception", ""), obj.stacktrace)
    return {"kind": "text", "text": text[:TEXT_LIMIT], "truncated": len(text) > TEXT_LIMIT, "length": len(text)}


def render(obj, offset=0, limit=50, sort=None):
    module = type(obj).__module__ or ""
    caught = _caught(obj)
    if caught:
        return caught
    image = _image(obj)
    if image:
        return image
    if module.startswith("numpy") and hasattr(obj, "shape") and hasattr(obj, "dtype") and hasattr(obj, "reshape"):
        return _numpy_table(obj, offset, limit, sort)
    if module.startswith("pandas") and hasattr(obj, "iloc"):
        return _pandas_table(obj, offset, limit, sort)
    if isinstance(obj, str):
        return {"kind": "text", "text": obj[:TEXT_LIMIT], "truncated": len(obj) > TEXT_LIMIT, "length": len(obj)}
    try:
        text = json.dumps(obj, allow_nan=False)
        if len(text) <= TEXT_LIMIT and not (isinstance(obj, dict) and not all(isinstance(k, str) for k in obj)):
            return {"kind": "json", "value": obj}
    except (TypeError, ValueError):
        pass
    text = repr(obj)
    return {"kind": "repr", "text": text[:TEXT_LIMIT], "truncated": len(text) > TEXT_LIMIT}


def _load(ds, sha, flow_file, max_bytes):
    body = ds.storage.get(ds.blob_key(sha))
    if body is None:
        raise LookupError("artifact blob %s is missing from %s" % (sha, ds.storage.describe()))
    if len(body) > max_bytes:
        raise MemoryError("the artifact is %.1f MB stored; previews load at most %.0f MB" % (len(body) / 1e6, max_bytes / 1e6))
    if body[:2] == b"\x1f\x8b":
        import gzip

        body = gzip.decompress(body)
    try:
        return pickle.loads(body)
    except (AttributeError, ModuleNotFoundError):
        # Classes defined in the flow file pickle as `__main__.X`: load the flow module, as tasks do.
        if not flow_file:
            raise
        from ._flowload import load_flow_module

        load_flow_module(flow_file)
        return pickle.loads(body)


def main():
    request = json.loads(sys.stdin.read() or "{}")
    try:
        from ._datastore import FlowDatastore
        from ._storage import storage_from_env

        flow_file = request.get("flowFile")
        if flow_file:
            sys.path.insert(0, os.path.dirname(flow_file))
        ds = FlowDatastore(storage_from_env(), request["flow"])
        obj = _load(ds, request["sha"], flow_file, int(request.get("maxBytes") or DEFAULT_MAX_BYTES))
        sort = request.get("sort") if isinstance(request.get("sort"), dict) else None
        out = render(obj, max(0, int(request.get("offset") or 0)), max(1, min(1000, int(request.get("limit") or 50))), sort)
        out["type"] = "%s.%s" % (type(obj).__module__, type(obj).__qualname__) if type(obj).__module__ != "builtins" else type(obj).__qualname__
    except ModuleNotFoundError as e:
        out = {"kind": "error", "message": "cannot load the artifact: the module %r is not installed in %s (%s)" % (e.name, sys.executable, e)}
    except Exception as e:
        out = {"kind": "error", "message": "cannot load the artifact: %s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(out, allow_nan=False, default=str))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
