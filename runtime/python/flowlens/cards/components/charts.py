"""Charts and gauges: VegaChart (a Vega-Lite spec or an Altair chart), ProgressBar, ValueBox."""

import copy
from typing import Optional, Union

from ._base import UserComponent
from ._safe import is_css_class, json_safe, safe_text, type_name


def _is_altair_chart(obj):
    name = type_name(obj)
    return name.startswith("altair") and "Chart" in name and callable(getattr(obj, "to_dict", None))


class VegaChart(UserComponent):
    """A Vega-Lite chart. `spec` is a dict (or an Altair chart); `update(spec)` replaces it."""

    type = "vegaChart"
    REALTIME_UPDATABLE = True

    def __init__(self, spec, show_controls=False):
        self._spec = self._spec_of(spec)
        self._show_controls = show_controls
        self._chart_inside_table = False

    @staticmethod
    def _spec_of(spec):
        return spec.to_dict() if _is_altair_chart(spec) else spec

    @classmethod
    def from_altair_chart(cls, altair_chart):
        if not _is_altair_chart(altair_chart):
            raise ValueError("%s is not an altair chart" % type_name(altair_chart))
        return cls(spec=altair_chart)

    def update(self, spec=None):
        if spec is not None:
            self._spec = self._spec_of(spec)
            self._changed()

    def _render(self):
        if not isinstance(self._spec, dict):
            raise TypeError("the chart spec must be a dict or an altair chart, not %s" % type_name(self._spec))
        spec = json_safe(copy.copy(self._spec))
        if self._chart_inside_table:
            spec.setdefault("autosize", "fit-x")
        else:
            spec.setdefault("width", "container")
        out = {"type": self.type, "spec": spec}
        if not self._show_controls:
            out["options"] = {"actions": False}
        return out


class ProgressBar(UserComponent):
    """A progress bar from 0 to `max`. `update(new_value, metadata=None, label=None)` moves it."""

    type = "progressBar"
    REALTIME_UPDATABLE = True

    def __init__(self, max=100, label=None, value=0, unit=None, metadata=None):
        self._max = max
        self._label = label
        self._value = value
        self._unit = unit
        self._metadata = metadata

    def update(self, new_value, metadata=None, label=None):
        self._value = new_value
        if metadata is not None:
            self._metadata = metadata
        if label is not None:
            self._label = label
        self._changed()

    def _render(self):
        out = {"type": self.type, "max": json_safe(self._max), "value": json_safe(self._value)}
        if self._label:
            out["label"] = safe_text(self._label, 1000)
        if self._unit:
            out["unit"] = safe_text(self._unit, 100)
        if self._metadata:
            out["details"] = safe_text(self._metadata, 1000)
        return out


def _check_text(what, value, limit):
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError("%s must be a string, got %s" % (what, type(value).__name__))
    if len(value) > limit:
        raise ValueError("%s must be %d characters or less, got %d characters" % (what, limit, len(value)))
    if not value.strip():
        raise ValueError("%s cannot be empty or whitespace only" % what)


def _check_value(value):
    if value is None:
        raise ValueError("Value is required and cannot be None")
    if not isinstance(value, (str, int, float)):
        raise TypeError("Value must be str, int, or float, got %s" % type(value).__name__)
    if isinstance(value, str):
        _check_text("String value", value, 100)
    elif not -1e15 <= value <= 1e15:
        raise ValueError("Numeric value must be between -1e15 and 1e15, got %r" % value)


def _check_theme(theme):
    _check_text("Theme", theme, 100)
    if theme is not None and not is_css_class(theme):
        raise ValueError("Theme must be a valid CSS class name, got %r" % theme)


class ValueBox(UserComponent):
    """A headline number or short text with an optional title, subtitle, theme and change note.

    Checked as Metaflow checks them: title <= 200 characters, subtitle <= 300, change_indicator
    <= 200, a string value <= 100, a number within +-1e15, theme a CSS class name.
    `update(...)` changes any of the fields given.
    """

    type = "valueBox"
    REALTIME_UPDATABLE = True

    def __init__(
        self,
        title: Optional[str] = None,
        value: Union[str, int, float] = "",
        subtitle: Optional[str] = None,
        theme: Optional[str] = None,
        change_indicator: Optional[str] = None,
    ):
        self._fields = {}
        self._apply(title=title, value=value, subtitle=subtitle, theme=theme, change_indicator=change_indicator)

    def _apply(self, **fields):
        _check_text("Title", fields.get("title"), 200)
        if "value" in fields:
            _check_value(fields["value"])
        _check_text("Subtitle", fields.get("subtitle"), 300)
        _check_theme(fields.get("theme"))
        _check_text("Change indicator", fields.get("change_indicator"), 200)
        self._fields.update((k, v) for k, v in fields.items() if v is not None)

    def update(self, title=None, value=None, subtitle=None, theme=None, change_indicator=None):
        given = dict(title=title, subtitle=subtitle, theme=theme, change_indicator=change_indicator)
        if value is not None:
            given["value"] = value
        self._apply(**given)
        self._changed()

    def _render(self):
        out = {"type": self.type, "value": json_safe(self._fields.get("value", ""))}
        for key in ("title", "subtitle", "theme", "change_indicator"):
            if key in self._fields:
                out[key] = self._fields[key]
        return out
