"""`metaflow.cards`: reading a task's cards.

Flowlens does not render cards yet: `get_cards` finds none for a task that Flowlens ran and
raises CardNotPresentException, as Metaflow does for a task without cards; the card
components (Markdown, Table, ...) are refused by name when imported.
"""

from metaflow.plugins.cards.exception import CardNotPresentException


def get_cards(task, id=None, type=None, follow_resumed=True):
    pathspec = task if isinstance(task, str) else getattr(task, "pathspec", str(task))
    raise CardNotPresentException(pathspec, card_type=type, card_id=id)


def __getattr__(name):
    if name[:1].isupper():
        raise ImportError("metaflow.cards.%s is not supported by Flowlens yet (cards are not rendered): remove the card code to run here." % name)
    raise AttributeError("module 'metaflow.cards' has no attribute %r" % name)
