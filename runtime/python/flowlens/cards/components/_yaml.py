"""A small YAML emitter (block style, keys in their order), so YAMLViewer needs no PyYAML.

The output follows what `yaml.dump(data, default_flow_style=False, sort_keys=False)` writes for
plain data: mappings as `key: value`, sequences as `- item` (at the mapping's indent), empty
containers as `{}` / `[]`, and strings quoted whenever a YAML reader would take them for
something else (a number, a boolean, null, a date, an indicator or a multi-line text).
"""

import json
import math
import re

from ._safe import json_safe

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_SPECIAL_WORDS = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "="}
_NUMBER_LIKE = re.compile(r"^[-+]?(\.?[0-9]|0x|0o|\.(inf|nan)$)", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def _string(text):
    if any(ord(c) < 32 or c in "\x7f\u2028\u2029\ufeff" for c in text):
        return json.dumps(text, ensure_ascii=False)  # JSON escapes are valid in a YAML double-quoted scalar
    plain = (
        text.strip() == text
        and text.lower() not in _SPECIAL_WORDS
        and text[0] not in _INDICATORS
        and not _NUMBER_LIKE.match(text)
        and not _DATE_LIKE.match(text)
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
    )
    return text if plain else "'%s'" % text.replace("'", "''")


def scalar(value):
    """One scalar as YAML text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    return _string(str(value))


def _is_block(value):
    return isinstance(value, (dict, list)) and len(value) > 0


def _lines(value, indent):
    pad = " " * indent
    if isinstance(value, dict) and value:
        out = []
        for key, item in value.items():
            head = pad + scalar(key) + ":"
            if isinstance(item, dict) and item:
                out.append(head)
                out.extend(_lines(item, indent + 2))
            elif isinstance(item, list) and item:
                out.append(head)
                out.extend(_lines(item, indent))
            else:
                out.append(head + " " + _inline(item))
        return out
    if isinstance(value, list) and value:
        out = []
        for item in value:
            if _is_block(item):
                sub = _lines(item, indent + 2)
                out.append(pad + "- " + sub[0][indent + 2 :])
                out.extend(sub[1:])
            else:
                out.append(pad + "- " + _inline(item))
        return out
    return [pad + _inline(value)]


def _inline(value):
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def dump(data):
    """`data` (made JSON-safe first: tuples and sets become lists, other objects their repr) as YAML."""
    return "\n".join(_lines(json_safe(data, keep_nan=True), 0)) + "\n"
