"""The harness's entry to cards: set up `current.card` before a step, render after it.

`start(...)` returns None for a step without @card, so a step without cards costs one scan
of its decorator list.
"""

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


def card_attributes(func):
    return [dict(d.attributes) for d in reversed(getattr(func, "decorators", []) or []) if d.name == "card"]


def start(func, storage, pathspec, attempt, graph, flow):
    attrs = card_attributes(func)
    if not attrs:
        return None
    renderer = Renderer(storage, pathspec, attempt, graph, flow)
    collector = CardCollector(card_metas(attrs, card_class), renderer)
    return TaskCards(collector, renderer)
