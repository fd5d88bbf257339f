"""`metaflow.plugins.cards.card_modules`: the card base classes, as card modules import them."""

from flowlens.cards.base import MetaflowCard, MetaflowCardComponent  # noqa: F401
