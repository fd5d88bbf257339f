"""`metaflow.plugins.cards.card_modules.basic`: the built-in card types."""

from flowlens.cards.types import BlankCard, DefaultCard, ErrorCard, HtmlCard, TaskSpecCard  # noqa: F401
