"""`get_cards` among the client names: a task's cards (flowlens/cards/client.py reads them)."""

from ..cards.client import get_cards  # noqa: F401
