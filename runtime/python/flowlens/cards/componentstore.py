"""One card's components while a step runs: stored in order by id, rendered safely.

A component is anything with `render()` returning a string or a JSON-safe dict; one that
fails to render is left out of the card rather than failing it.
"""

import json
import sys
import time

from .base import new_component_id


def warn(message):
    sys.stderr.write("[@card WARNING] %s\n" % message)
    sys.stderr.flush()


def card_logger(message, timestamp=False, bad=False):
    """The logger components are given (Metaflow's logger signature)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def is_component(obj):
    return callable(getattr(obj, "render", None)) and not isinstance(obj, type)


def render_component(component):
    """A component's rendered value (a string or a JSON-safe dict), or None when it fails."""
    try:
        value = component.render()
    except Exception:
        return None
    if not isinstance(value, (str, dict)):
        return None
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return None
    return value


class WarningComponent(object):
    REALTIME_UPDATABLE = False
    component_id = None

    def __init__(self, message):
        self._message = message

    def render(self):
        return {"type": "section", "title": "@card WARNING", "contents": [{"type": "log", "data": self._message}]}


class _Stub(object):
    """What `components[id]` gives for an id not added yet: updates go nowhere, with a warning."""

    REALTIME_UPDATABLE = False

    def __init__(self, component_id):
        self.component_id = component_id

    def update(self, *args, **kwargs):
        warn("Component with id `%s` is not in the card: the update is ignored." % self.component_id)

    def render(self):
        return None


class ComponentStore(object):
    """A card's components in insertion order, by id; `changed_at` moves when the layout changes."""

    def __init__(self, card_type, card_id, components=None):
        self._card_type, self._card_id = card_type, card_id
        self._map = {}
        self.changed_at = time.time()
        for c in components or []:
            self._store(c, None)

    def _store(self, component, component_id):
        if not is_component(component):
            warn("Component (%s) is not a card component (it has no render method): it is not added." % (component,))
            return
        if component_id is not None:
            component.component_id = component_id
        elif getattr(component, "component_id", None) is None:
            component.component_id = new_component_id(component)
        try:
            component._logger = card_logger
        except AttributeError:
            pass
        self._map[component.component_id] = component
        self.changed_at = time.time()

    def append(self, component, id=None):
        self._store(component, id)

    def extend(self, components):
        for c in components:
            self._store(c, None)

    def clear(self):
        self._map.clear()
        self.changed_at = time.time()

    def __iter__(self):
        return iter(list(self._map.values()))

    def __len__(self):
        return len(self._map)

    def __contains__(self, key):
        return key in self._map

    def keys(self):
        return list(self._map)

    def values(self):
        return list(self._map.values())

    def __getitem__(self, key):
        if key not in self._map:
            return _Stub(key)
        return self._map[key]

    def __setitem__(self, key, value):
        if key in self._map:
            raise KeyError("Component with id `%s` is already in the %s card: it cannot be replaced, update it instead." % (key, self._card_type))
        self._store(value, key)

    def __delitem__(self, key):
        if key not in self._map:
            raise KeyError("No component with id `%s` in the card (ids: %s)" % (key, ", ".join(self._map)))
        del self._map[key]
        self.changed_at = time.time()
