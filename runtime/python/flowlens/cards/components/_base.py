"""The base classes every card component derives from (the interface is described in __init__)."""

import sys
import traceback
import uuid
from typing import Any, Callable, Optional

from ._safe import error_dict, json_safe


def new_component_id(component):
    """An id as Metaflow makes one for a component appended without `id=`: `<class>_<6 hex>`."""
    return "%s_%s" % (type(component).__name__.lower(), uuid.uuid4().hex[:6])


class MetaflowCardComponent(object):
    """What a card accepts: anything with `render()` returning a JSON-safe dict (or a string).

    User-written components subclass this, as they do in Metaflow, and override `render`
    (and `update` when `REALTIME_UPDATABLE` is True).
    """

    REALTIME_UPDATABLE = False
    _component_id: Optional[str] = None
    _logger: Optional[Callable[..., Any]] = None

    @property
    def component_id(self):
        return self._component_id

    @component_id.setter
    def component_id(self, value):
        if not isinstance(value, str):
            raise TypeError("Component ID must be a string")
        self._component_id = value

    def update(self, *args, **kwargs):
        raise NotImplementedError("%s has no update method" % type(self).__name__)

    def render(self):
        raise NotImplementedError("%s has no render method" % type(self).__name__)


class UserComponent(MetaflowCardComponent):
    """The built-in components: safe rendering, a default id and a version counter.

    Subclasses implement `_render()` returning the component dict without its id; `render()`
    adds the id and turns any exception into an error component, so one bad component never
    breaks the card. Every update method calls `_changed()`, which bumps `version`.
    """

    type = None
    _version = 0
    _warned = False

    @property
    def version(self):
        """How many times the component changed since it was made (the runtime compares it)."""
        return self._version

    def _changed(self):
        self._version += 1

    def _warn(self, message):
        """One warning per component, through the card's logger when the runtime gave one."""
        if self._warned:
            return
        self._warned = True
        text = "[@card-component WARNING] %s" % message
        if self._logger is not None:
            self._logger(text, timestamp=False, bad=True)
        else:
            sys.stderr.write(text + "\n")

    def update(self, *args, **kwargs):
        self._warn("%s has no update method: it cannot change while the task runs." % type(self).__name__)

    def _render(self):
        raise NotImplementedError

    def render(self) -> Any:
        if self.component_id is None:
            self.component_id = new_component_id(self)
        try:
            out = self._render()
        except Exception as e:
            return error_dict(
                "Render failed of component named `%s`: %s: %s" % (type(self).__name__, type(e).__name__, e),
                traceback.format_exc(),
                self.component_id,
            )
        if not isinstance(out, dict):
            return error_dict("Render failed of component named `%s`" % type(self).__name__, "render did not return a dict", self.component_id)
        out.setdefault("id", self.component_id)
        return out


def render_child(child) -> Any:
    """A nested value's dict: components are rendered (a failure becomes an error dict), others returned."""
    if isinstance(child, MetaflowCardComponent):
        try:
            out = child.render()
        except Exception as e:
            return error_dict("Render failed of component named `%s`: %s: %s" % (type(child).__name__, type(e).__name__, e), traceback.format_exc())
        if isinstance(out, dict) and not isinstance(child, UserComponent):
            return json_safe(out)  # a user-written component may hold NaN, sets, ...
        if isinstance(out, (dict, str)):
            return out
        return error_dict("Render failed of component named `%s`" % type(child).__name__, "render did not return a dict or a string")
    return child
