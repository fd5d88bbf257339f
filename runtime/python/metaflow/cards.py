"""`metaflow.cards`: card types, the components a step appends, and get_cards.

The component classes (Markdown, Table, Image, ...) come from flowlens.cards.components,
loaded on first use, so `import metaflow.cards` works even where that package is absent;
naming a component then says so.
"""

from flowlens.cards.base import MetaflowCard, MetaflowCardComponent  # noqa: F401
from flowlens.cards.client import get_cards  # noqa: F401
from flowlens.cards.types import BlankCard, DefaultCard, ErrorCard, HtmlCard  # noqa: F401
from metaflow.plugins.cards.exception import CardNotPresentException  # noqa: F401


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        from flowlens.cards import components  # pyright: ignore[reportAttributeAccessIssue] (a sibling package, may be absent)
    except ImportError as e:
        raise ImportError("metaflow.cards.%s: this Flowlens runtime has no card components (%s)." % (name, e)) from None
    if hasattr(components, name):
        return getattr(components, name)
    raise AttributeError("module 'metaflow.cards' has no attribute %r" % name)
