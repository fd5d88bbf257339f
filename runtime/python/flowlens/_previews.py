"""Small JSON previews of artifacts for the editor's artifact explorer (`<attempt>.previews.json`).

A preview never imports a library: numpy arrays and pandas frames are recognised by their
type's module and read through their attributes.
"""

import json

REPR_LIMIT = 200
JSON_LIMIT = 1000


def type_name(obj):
    t = type(obj)
    module = t.__module__
    return t.__qualname__ if module == "builtins" else "%s.%s" % (module, t.__qualname__)


def _json_value(obj):
    if obj is None or isinstance(obj, (bool, int, float, str)):
        if isinstance(obj, float) and (obj != obj or obj in (float("inf"), float("-inf"))):
            return False, None
        return True, obj
    if isinstance(obj, (list, tuple, dict)):
        try:
            text = json.dumps(obj, allow_nan=False)
        except (TypeError, ValueError):
            return False, None
        if len(text) <= JSON_LIMIT and (not isinstance(obj, dict) or all(isinstance(k, str) for k in obj)):
            return True, json.loads(text)
    return False, None


def preview(obj, size):
    out = {"type": type_name(obj), "size": size}
    try:
        text = repr(obj)
    except Exception as e:  # a broken __repr__ must not fail the task
        text = "<repr failed: %s>" % type(e).__name__
    out["repr"] = text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 3] + "..."
    module = type(obj).__module__ or ""
    try:
        if module.startswith("numpy") and hasattr(obj, "shape") and hasattr(obj, "dtype"):
            out["shape"] = [int(n) for n in obj.shape]
            out["dtype"] = str(obj.dtype)
        elif module.startswith("pandas"):
            if hasattr(obj, "shape"):
                out["shape"] = [int(n) for n in obj.shape]
            if hasattr(obj, "columns"):
                out["columns"] = [str(c) for c in list(obj.columns)[:50]]
            if hasattr(obj, "dtypes") and hasattr(obj.dtypes, "astype"):
                out["dtype"] = str(obj.dtypes.astype(str).to_dict())[:REPR_LIMIT]
            elif hasattr(obj, "dtype"):
                out["dtype"] = str(obj.dtype)
    except Exception:
        pass
    ok, value = _json_value(obj)
    if ok:
        out["json"] = value
    return out
