"""Making any Python value safe for a card's JSON, with visible notes where something was cut.

A card is one JSON document embedded in a page: a NaN, a set, a key that is not a string or
a 50 MB string would either break `json.dumps` or make the page unusable. Values given by the
user pass through `json_safe` (data) or `safe_text` (text) before they reach a component dict.
"""

import datetime
import math
import re
import reprlib
from typing import Any

from ..._previews import type_name

TEXT_LIMIT = 200_000  # characters of one text value (Markdown source, code, a JSON string)
REPR_LIMIT = 5_000  # characters of one object's repr in an artifact preview
ITEM_LIMIT = 10_000  # items of one list or dict inside user data
DEPTH_LIMIT = 20  # nesting levels of user data

__all__ = ["is_css_class", "json_safe", "safe_text", "safe_repr", "error_dict", "type_name", "TEXT_LIMIT", "REPR_LIMIT", "ITEM_LIMIT"]


_CSS_CLASS = re.compile(r"^[a-zA-Z][a-zA-Z0-9_-]*$")


def is_css_class(name):
    """True for a name usable as a CSS class (themes of ValueBox and EventsTimeline are classes)."""
    return isinstance(name, str) and _CSS_CLASS.match(name) is not None


def safe_text(text, limit=TEXT_LIMIT):
    """`text` as a str no longer than about `limit`, ending with a note saying how much was cut."""
    if not isinstance(text, str):
        text = str(text)
    if len(text) <= limit:
        return text
    return text[:limit] + "\n… [truncated: %d more characters not shown]" % (len(text) - limit)


_REPR = reprlib.Repr()
_REPR.maxlevel = 4
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = 100
_REPR.maxdict = 100
_REPR.maxstring = 1000
_REPR.maxother = 1000


def safe_repr(value, limit=REPR_LIMIT):
    """A bounded repr: containers are cut by reprlib, the result by `limit`; a failing __repr__ is named."""
    try:
        text = _REPR.repr(value)
    except Exception as e:  # a broken __repr__ must not break the card
        return "<repr of %s failed: %s: %s>" % (type_name(value), type(e).__name__, e)
    return safe_text(text, limit)


def _scalar(value, keep_nan):
    """JSON-native scalars pass; numpy scalars become Python ones; (True, v) when handled."""
    if value is None or isinstance(value, (bool, str, int)):
        return True, (safe_text(value) if isinstance(value, str) else value)
    if isinstance(value, float):
        return True, value if keep_nan or math.isfinite(value) else repr(value)
    item = getattr(value, "item", None)
    if item is not None and (type(value).__module__ or "").startswith("numpy") and getattr(value, "ndim", 1) == 0:
        try:
            return _scalar(item(), keep_nan)
        except Exception:
            return False, None
    return False, None


def json_safe(value, keep_nan=False, _depth=0) -> Any:
    """A copy of `value` that json.dumps(allow_nan=False) accepts, bounded in size.

    Lists, tuples, sets and dicts are walked (dict keys become strings); NaN and infinities become
    their repr (kept as floats with `keep_nan`, for the YAML emitter); dates and times become
    ISO-8601 text; bytes become a size note;
    numpy arrays become lists when small; anything else is its bounded repr. Cut containers end
    with a note item so the reader sees that they were cut.
    """
    ok, out = _scalar(value, keep_nan)
    if ok:
        return out
    if _depth >= DEPTH_LIMIT:
        return safe_repr(value, 200)
    if isinstance(value, dict):
        result = {}
        for i, (k, v) in enumerate(value.items()):
            if i >= ITEM_LIMIT:
                result["…"] = "[truncated: %d more entries not shown]" % (len(value) - ITEM_LIMIT)
                break
            result[k if isinstance(k, str) else str(k)] = json_safe(v, keep_nan, _depth + 1)
        return result
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        out = [json_safe(v, keep_nan, _depth + 1) for v in items[:ITEM_LIMIT]]
        if len(items) > ITEM_LIMIT:
            out.append("… [truncated: %d more items not shown]" % (len(items) - ITEM_LIMIT))
        return out
    if isinstance(value, (bytes, bytearray)):
        return "<%d bytes>" % len(value)
    if isinstance(value, (datetime.date, datetime.time)):  # dates and times (pandas Timestamps too) as ISO-8601
        return value.isoformat()
    module = type(value).__module__ or ""
    if module.startswith("numpy") and hasattr(value, "tolist") and getattr(value, "size", ITEM_LIMIT + 1) <= ITEM_LIMIT:
        try:
            return json_safe(value.tolist(), keep_nan, _depth + 1)
        except Exception:
            pass
    return safe_repr(value)


def error_dict(headline, detail="", component_id=None):
    """The component dict that stands in for one that failed: a log block, as Metaflow shows errors."""
    out = {"type": "log", "data": safe_text("%s\n\n%s" % (headline, detail) if detail else headline)}
    if component_id is not None:
        out["id"] = component_id
    return out
