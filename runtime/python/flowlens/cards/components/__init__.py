"""Card components: the building blocks of `@card` reports, as `metaflow.cards` exports them.

Each component's `render()` returns one dict in the card UI's component schema (the same JSON
Metaflow's card pages carry), for example `{"type": "markdown", "id": "markdown_1a2b3c",
"source": "# Hi"}`. The dict is always JSON-safe: values that JSON cannot carry are converted
(NaN and infinities to their repr, sets and tuples to lists, other objects to a bounded repr)
and huge values are cut with a visible note. A component that fails to render returns an
error component (`{"type": "log", "data": "<headline>\\n\\n<traceback>"}`) instead of raising,
so one bad component never breaks a card.

The interface the card runtime relies on (kept small on purpose):

- `render() -> dict` (a user-written component may also return a string).
- `component_id`: str or None. Settable (strings only); `render()` of a built-in component
  gives it a default id `<classname>_<6 hex>` when it has none, as Metaflow does, and the
  rendered dict carries it as `"id"` so a live update can replace the component.
- `REALTIME_UPDATABLE`: True when the component has a working `update(...)`.
- `version`: an int that every update bumps (built-in components). The runtime keeps the
  version it last rendered to know that a component changed since. A container's `version`
  counts only its own updates; its children are re-rendered with it.
- `_logger`: set by the runtime to the card's logger (`logger(msg, timestamp=False, bad=True)`);
  warnings such as an update on a component made with updates disabled go there (or to
  stderr when no logger is set), once per component.

`MetaflowCardComponent` is the base user-written components subclass; `UserComponent` is the
base of the built-in ones (safe `render()`, default id, `version`, `_warn`). Helpers for the
runtime: `render_child(c)` renders one component safely (a failure becomes an error dict, a
user component's dict is made JSON-safe), `render_contents(list)` a list of them, and
`error_dict(headline, detail)` makes an error block in the same shape.
"""

from ._base import MetaflowCardComponent, UserComponent, new_component_id, render_child
from ._safe import error_dict
from .charts import ProgressBar, ValueBox, VegaChart
from .image import Image
from .table import Table
from .text import Error, Markdown, Page, PageComponent, PythonCode, Section, Subtitle, Title, render_contents
from .timeline import EventsTimeline
from .viewers import Artifact, JSONViewer, YAMLViewer

__all__ = [
    "MetaflowCardComponent",
    "UserComponent",
    "new_component_id",
    "render_child",
    "render_contents",
    "error_dict",
    "Artifact",
    "Error",
    "EventsTimeline",
    "Image",
    "JSONViewer",
    "Markdown",
    "Page",
    "PageComponent",
    "ProgressBar",
    "PythonCode",
    "Section",
    "Subtitle",
    "Table",
    "Title",
    "ValueBox",
    "VegaChart",
    "YAMLViewer",
]
