"""Data viewers: Artifact (a pretty-printed object), JSONViewer and YAMLViewer."""

import json
import pprint

from . import _yaml
from ._base import UserComponent
from ._dataframe import is_dataframe, is_series
from ._safe import REPR_LIMIT, json_safe, safe_repr, safe_text, type_name


def _summary(value):
    """A one-line description of array-like values (shape, dtype), or None."""
    module = type(value).__module__ or ""
    shape = getattr(value, "shape", None)
    if module.startswith("numpy") and shape is not None and hasattr(value, "dtype"):
        return "array of shape %s, dtype %s" % (tuple(int(n) for n in shape), value.dtype)
    if is_dataframe(value) or is_series(value):
        rows = int(shape[0]) if shape else 0
        columns = int(shape[1]) if shape is not None and len(shape) > 1 else 1
        return "%s of %d rows x %d columns" % (type(value).__name__, rows, columns)
    return None


def preview_text(value, limit=REPR_LIMIT):
    """The text Metaflow's cards show for an object: a pretty-printed repr, bounded, with a summary for arrays."""
    if isinstance(value, str) and len(value) > limit:  # the start of a long text, not reprlib's middle cut
        return repr(value[:limit]) + "\n… [truncated: %d more characters not shown]" % (len(value) - limit)
    summary = _summary(value)
    text = safe_repr(value, limit)
    if summary is None and "..." not in text and len(text) <= 2000:
        try:
            text = safe_text(pprint.pformat(value, indent=2, width=50, compact=True), limit)
        except Exception:
            pass  # keep the bounded repr
    elif summary is not None:
        try:
            text = safe_text(repr(value), limit)  # numpy and pandas cut their own reprs
        except Exception:
            pass
        text = summary + "\n" + text
    return text


def artifact_entry(name, value, compressed=True):
    """One entry of an `artifacts` component: name, type and the value (text, or JSON data uncompressed)."""
    return {
        "name": None if name is None else str(name),
        "type": type_name(value),
        "data": preview_text(value) if compressed else json_safe(value),
    }


class Artifact(UserComponent):
    """Any Python object, pretty-printed (or as JSON data with `compressed=False`). `update(artifact)` replaces it."""

    type = "artifacts"
    REALTIME_UPDATABLE = True

    def __init__(self, artifact, name=None, compressed=True):
        self._artifact = artifact
        self._name = name
        self._compressed = compressed

    def update(self, artifact):
        self._artifact = artifact
        self._changed()

    def _render(self):
        return {"type": self.type, "data": [artifact_entry(self._name, self._artifact, self._compressed)]}


class _Viewer(UserComponent):
    REALTIME_UPDATABLE = True
    text_key = ""
    default_title = ""

    def __init__(self, data, collapsible=True, max_height=None, show_copy_button=True, title=None):
        self._data = data
        self._collapsible = collapsible
        self._max_height = max_height
        self._show_copy_button = show_copy_button
        self._title = title

    def update(self, data):
        self._data = data
        self._changed()

    def _text(self):
        raise NotImplementedError

    def _render(self):
        out = {
            "type": self.type,
            self.text_key: safe_text(self._text()),
            "collapsible": bool(self._collapsible),
            "show_copy_button": bool(self._show_copy_button),
            "title": str(self._title or self.default_title),
        }
        if self._max_height:
            out["max_height"] = str(self._max_height)
        return out


def _parsed_json(text):
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None


class JSONViewer(_Viewer):
    """Data shown as indented JSON; a string holding JSON is re-indented. `update(data)` replaces it."""

    type = "jsonViewer"
    text_key = "json_string"
    default_title = "JSON"

    def _text(self):
        data = self._data
        if isinstance(data, str):
            ok, parsed = _parsed_json(data)
            data = parsed if ok else data
        return json.dumps(json_safe(data), indent=2, ensure_ascii=False)


class YAMLViewer(_Viewer):
    """Data shown as YAML; a string holding JSON is converted, any other string shown as it is."""

    type = "yamlViewer"
    text_key = "yaml_string"
    default_title = "YAML"

    def _text(self):
        data = self._data
        if isinstance(data, str):
            ok, parsed = _parsed_json(data)
            if not ok:
                return data
            data = parsed
        return _yaml.dump(data)
