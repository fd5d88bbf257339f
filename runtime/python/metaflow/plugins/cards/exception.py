"""`metaflow.plugins.cards.exception`: the card errors, as tests and libraries catch them."""

from flowlens.exceptions import MetaflowException


class CardNotPresentException(MetaflowException):
    headline = "Card not found"

    def __init__(self, pathspec, card_type=None, card_hash=None, card_id=None):
        what = ", ".join("%s=%s" % kv for kv in (("type", card_type), ("hash", card_hash), ("id", card_id)) if kv[1] is not None)
        super().__init__("No card found for %s%s." % (pathspec, " (%s)" % what if what else ""))
