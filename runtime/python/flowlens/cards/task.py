"""The harness's entry to cards: set up `current.card` before a step, render after it.

`start(...)` returns None for a step without @card, so a step without cards costs one scan
of its decorator list.
"""

import json

from .._flowopts import options
from ..exceptions import MetaflowException
from .collector import CardCollector, card_metas
from .registry import card_class
from .render import Renderer


class TaskCards(object):
    def __init__(self, collector, renderer):
        self.collector = collector
        self.renderer = renderer

    def finish(self, task_ok):
        """Renders and stores the final cards (only for a task that succeeded, as Metaflow)."""
        if task_ok:
            self.renderer.final(self.collector.managers())


def _spec_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def with_card_attributes():
    """The cards `run --with card[:ATTR=VALUE,...]` adds to every step (from the run's flow options)."""
    from ..decorators import card

    out = []
    for spec in options().get("with_card") or []:
        attrs = {}
        _, _, rest = str(spec).partition(":")
        for part in filter(None, rest.split(",")):
            key, eq, value = part.partition("=")
            if not eq:
                raise MetaflowException("--with %s: each card attribute is ATTR=VALUE, got '%s'" % (spec, part))
            attrs[key.strip()] = _spec_value(value.strip())
        out.append(dict(card.decorator_class(attrs).attributes))
    return out


def card_attributes(func):
    """The step's @card attributes (top first), then those of `--with card`, as Metaflow adds them."""
    static = [dict(d.attributes) for d in reversed(getattr(func, "decorators", []) or []) if d.name == "card"]
    return static + with_card_attributes()


def start(func, storage, pathspec, attempt, graph, flow):
    attrs = card_attributes(func)
    if not attrs:
        return None
    renderer = Renderer(storage, pathspec, attempt, graph, flow)
    collector = CardCollector(card_metas(attrs, card_class), renderer)
    return TaskCards(collector, renderer)
