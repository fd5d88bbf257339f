"""What every client object shares: pathspecs, ids, equality; and id ordering."""

from .exceptions import MetaflowInvalidPathspec

# Statuses a run record may carry that mean "this run ended without success".
_ENDED_BADLY = ("failed", "crashed", "cancelled", "canceled", "killed", "error", "timeout")


def split_pathspec(pathspec, kind, parts):
    if not isinstance(pathspec, str) or not pathspec.strip("/"):
        raise MetaflowInvalidPathspec("%s() takes a pathspec string, got %r" % (kind, pathspec))
    comps = pathspec.strip("/").split("/")
    if len(comps) != parts:
        example = "/".join(["FlowName", "RunId", "step_name", "TaskId"][:parts])
        raise MetaflowInvalidPathspec(
            "%s(%r): a %s pathspec has %d parts, like '%s'" % (kind, pathspec, kind.lower(), parts, example)
        )
    return comps


def _step_class():
    # _step.py builds on the run module, so it is imported when first needed.
    from ._step import Step

    return Step


def _rebuild(kind, pathspec):
    from flowlens import client

    return getattr(client, kind)(pathspec, _namespace_check=False)


def _id_key(value):
    """Sort key for ids: numbers numerically, then text."""
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


class MetaflowObject:
    _NAME = "object"

    def __init__(self, layout, components):
        self._layout = layout
        self.path_components = list(components)

    @property
    def id(self):
        return self.path_components[-1]

    @property
    def pathspec(self):
        return "/".join(self.path_components)

    def __repr__(self):
        return "%s('%s')" % (type(self).__name__, self.pathspec)

    def __reduce__(self):
        # A pickled client object (`current.task` stored as an artifact) is rebuilt from its
        # pathspec where it is read, without the namespace check, as Metaflow's are.
        return (_rebuild, (type(self).__name__, self.pathspec))

    __str__ = __repr__

    def __eq__(self, other):
        return type(self) is type(other) and self.pathspec == other.pathspec

    def __hash__(self):
        return hash((type(self).__name__, self.pathspec))
