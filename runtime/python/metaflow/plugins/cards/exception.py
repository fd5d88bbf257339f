"""`metaflow.plugins.cards.exception`: the card errors, named and headed as Metaflow's."""

import re

from flowlens.exceptions import MetaflowException

TYPE_CHECK_REGEX = "^[a-zA-Z0-9_]+$"
CARD_ID_PATTERN = re.compile(TYPE_CHECK_REGEX)


def _what(card_type=None, card_hash=None, card_id=None):
    what = ", ".join("%s=%s" % kv for kv in (("type", card_type), ("hash", card_hash), ("id", card_id)) if kv[1] is not None)
    return " (%s)" % what if what else ""


class CardNotPresentException(MetaflowException):
    headline = "Card not found in datastore"

    def __init__(self, pathspec, card_type=None, card_hash=None, card_id=None):
        super().__init__("No card found for %s%s." % (pathspec, _what(card_type, card_hash, card_id)))


class CardClassFoundException(MetaflowException):
    headline = "MetaflowCard not found"

    def __init__(self, card_name):
        super().__init__("No card type named %s is installed." % card_name)


class TaskNotFoundException(MetaflowException):
    headline = "Cannot resolve task for pathspec"

    def __init__(self, pathspec_query, resolved_from, run_id=None):
        super().__init__("No task found for %s (read as a %s%s)." % (pathspec_query, resolved_from.replace("_", " "), ", run %s" % run_id if run_id else ""))


class IncorrectCardArgsException(MetaflowException):
    headline = "Incorrect arguments to @card decorator"

    def __init__(self, card_type, args):
        super().__init__("Card type %s does not take the options %r." % (card_type, args))


class UnrenderableCardException(MetaflowException):
    headline = "Unable to render @card"

    def __init__(self, card_type, args):
        super().__init__("Card type %s with options %r failed to render." % (card_type, args))


class IncorrectArgumentException(MetaflowException):
    headline = "`get_cards` function requires a `Task` object or pathspec as an argument"

    def __init__(self, obj_type):
        super().__init__("get_cards was given a %s." % obj_type)


class IncorrectPathspecException(MetaflowException):
    headline = "Pathspec is required of form `flowname/runid/stepname/taskid`"

    def __init__(self, pthspec):
        super().__init__("%r is not a task pathspec." % pthspec)


class ComponentOverwriteNotSupportedException(MetaflowException):
    headline = "Component overwrite is not supported"

    def __init__(self, component_id, card_id, card_type):
        super().__init__("Component %s of card %s (type %s) cannot be replaced; update it instead." % (component_id, card_id, card_type))
