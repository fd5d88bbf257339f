"""Errors of the client API, named as Metaflow users know them.

Each message names what was asked for and what exists instead, so a typo in a
flow name or a step name is fixed from the message alone.
"""


# One MetaflowException for the whole API, so `except MetaflowException` catches client errors too.
from ..exceptions import MetaflowException


class MetaflowNotFound(MetaflowException):
    headline = "Object not found"

    def __str__(self):
        return self.message


class MetaflowNamespaceMismatch(MetaflowException):
    headline = "Object not in the current namespace"


class MetaflowInvalidPathspec(MetaflowException):
    headline = "Malformed pathspec"


class MetaflowDataDamaged(MetaflowException):
    """A file of the datastore exists but is damaged (truncated, flipped bytes, not what its sha says).

    `path` names the file (a local path or an s3:// URL). Other artifacts, tasks and runs stay
    readable; `flowlens resume` runs a task with damaged data again.
    """

    headline = "Damaged data in the datastore"

    def __init__(self, path, reason, what):
        self.path = path
        self.reason = reason
        super().__init__(
            "%s is damaged (%s): %s cannot be read. Other artifacts, tasks and runs can still be read; "
            "`flowlens resume` runs a task with damaged data again." % (path, reason, what)
        )


class MetaflowInternalError(MetaflowException):
    headline = "Internal error"


class ItemNotFound(MetaflowNotFound, KeyError):
    """`run["nope"]`: a KeyError for dict-like code, a MetaflowNotFound for everyone else."""

    def __str__(self):
        return self.message


class ArtifactNotFound(MetaflowNotFound, AttributeError, KeyError):
    """`task.data.nope` and `task["nope"]`: catchable as AttributeError and KeyError alike."""

    def __str__(self):
        return self.message


def listing(names, limit=20, keep_order=False):
    """A short list of names for an error message: sorted, unless the caller's order means something."""
    names = list(names) if keep_order else sorted(names)
    if not names:
        return "(none)"
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += ", ... (%d more)" % (len(names) - limit)
    return shown


class MetaflowTaggingError(MetaflowException):
    headline = "Tagging error"
