"""Foreach frames: what `self._foreach_stack` holds, one per enclosing foreach.

Each frame is a `ForeachFrame(step, var, num_splits, index, value)`, the fields and order of
Metaflow's frames, so code that reads `frame.var` or `frame.index` works unchanged. The class
is pickled under `metaflow.tuple_util`, where Metaflow keeps its own. Runs written before
frames had names stored plain `(index, num_splits, value)` tuples; `frame_parts` reads both.
"""

from collections import namedtuple

ForeachFrame = namedtuple("ForeachFrame", ["step", "var", "num_splits", "index", "value"])
ForeachFrame.__new__.__defaults__ = (None,) * 5
ForeachFrame.__module__ = "metaflow.tuple_util"


def frame_parts(frame):
    """(index, num_splits, value) of one frame, named or a plain triple."""
    if isinstance(frame, ForeachFrame) or getattr(type(frame), "_fields", None) == ForeachFrame._fields:
        return (frame.index, frame.num_splits, frame.value)
    return (frame[0], frame[1], frame[2])


def stored_stack(flow):
    """The flow object's `_foreach_stack` as stored (a list; [] outside any foreach)."""
    try:
        return list(flow._foreach_stack or [])
    except AttributeError:
        return []


def stack_parts(flow):
    """The foreach frames of a flow object as (index, num_splits, value), whatever form they were stored in."""
    return [frame_parts(frame) for frame in stored_stack(flow)]
