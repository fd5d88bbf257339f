"""`metaflow.plugins.cards.card_client`: get_cards and the Card objects it returns."""

from flowlens.cards.client import Card, CardContainer, get_cards  # noqa: F401
