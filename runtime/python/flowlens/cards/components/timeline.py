"""EventsTimeline: a live list of timestamped events, newest first, each with optional rich payloads."""

import time

from ._base import UserComponent, render_child
from ._safe import is_css_class, json_safe
from .charts import ValueBox
from .image import Image
from .text import Markdown, PythonCode
from .viewers import Artifact, JSONViewer, YAMLViewer


_PAYLOAD_TYPES = (ValueBox, Image, Markdown, Artifact, PythonCode, JSONViewer, YAMLViewer)


class EventsTimeline(UserComponent):
    """Events shown newest first, at most `max_events` of them (all are counted in the stats).

    `update(event_data, style_theme=None, priority=None, payloads=None, finished=None)` adds an
    event (`append` is the same); `event_data` gets a `timestamp` (epoch seconds) when it has none.
    """

    type = "eventsTimeline"
    REALTIME_UPDATABLE = True

    def __init__(self, title=None, max_events=100):
        self._title = title
        self._max_events = int(max_events)
        self._events = []
        self._total = 0
        self._first = None
        self._last = None
        self._finished = False

    def update(self, event_data, style_theme=None, priority=None, payloads=None, finished=None):
        if not isinstance(event_data, dict):
            raise TypeError("event_data must be a dict, got %s" % type(event_data).__name__)
        if style_theme is not None and not is_css_class(style_theme):
            raise ValueError("Invalid style_theme %r. Must be a valid CSS class name." % (style_theme,))
        for key, payload in (payloads or {}).items():
            if not isinstance(payload, _PAYLOAD_TYPES):
                raise TypeError(
                    "Payload %r must be one of: ValueBox, Image, Markdown, Artifact, PythonCode, JSONViewer, YAMLViewer. Got %s" % (key, type(payload).__name__)
                )
        now = time.time()
        metadata = dict(event_data)
        metadata.setdefault("timestamp", now)
        event = {"metadata": metadata, "payloads": dict(payloads or {}), "event_id": "event_%d" % self._total, "received_at": now}
        if style_theme is not None:
            event["style_theme"] = style_theme
        if priority is not None:
            event["priority"] = priority
        self._total += 1
        self._last = now
        if self._first is None:
            self._first = now
        if finished is not None:
            self._finished = bool(finished)
        self._events.insert(0, event)
        del self._events[self._max_events :]
        self._changed()

    append = update

    def get_stats(self):
        stats = {
            "total_events": self._total,
            "displayed_events": len(self._events),
            "last_update": self._last,
            "first_event": self._first,
            "finished": self._finished,
        }
        if self._first is not None and self._last is not None and self._total > 1:
            runtime = self._last - self._first
            if runtime > 0:
                stats["events_per_minute"] = round(self._total / runtime * 60, 1)
                stats["total_runtime_seconds"] = round(runtime, 1)
        return stats

    def _render(self):
        events = []
        for event in self._events:
            rendered = dict(event)
            rendered["metadata"] = json_safe(event["metadata"])
            rendered["payloads"] = {str(k): render_child(v) for k, v in event["payloads"].items()}
            events.append(rendered)
        out = {
            "type": self.type,
            "events": events,
            "config": {"show_stats": True, "show_relative_time": True, "max_events": self._max_events},
            "stats": self.get_stats(),
        }
        if self._title is not None:
            out["title"] = str(self._title)
        return out
