"""The task state of a flow object: what the harness knows about the task it stands for.

A flow object is one task's view of the flow (the running task, or an input of a join). The
harness makes a `TaskState` for it and `attach`es it; `FlowSpec` and the harness read it through
`state_of`. It is kept beside the object, not in it: the object's `__dict__` holds only what the
step set (and the artifacts it read), as under Metaflow, so `vars(self)`, `dir(self)` and the
stored artifacts carry nothing of the harness. A flow object made outside the harness (a flow
built by user code, the class while its module loads) has no state: `state_of` returns None.
"""

import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, MutableMapping, Optional


@dataclass(eq=False)
class TaskState:
    step: str
    # `def join(self, inputs)`: merge_artifacts is allowed.
    is_join: bool = False
    # An input of a join: its artifacts cannot be set, and what it loads is kept in `loaded`.
    readonly: bool = False
    # Artifacts inherited (or merged) and not read yet: name -> function returning the value.
    # A join's input views hold an `_inputindex.ArtifactLoaders`, which makes a loader when asked.
    loaders: MutableMapping[str, Callable[[], Any]] = field(default_factory=dict)
    # The stored sha of every inherited artifact, so that an unread one is recorded, not stored again.
    shas: Dict[str, str] = field(default_factory=dict)
    # Values a read-only view has loaded (a read-only view never sets attributes).
    loaded: Dict[str, Any] = field(default_factory=dict)
    # Parameter values read so far (parameters are class properties, read-only).
    params: Dict[str, Any] = field(default_factory=dict)
    # What `self.next(...)` asked for; None until it is called.
    transition: Optional[Dict[str, Any]] = None
    # The stored attempt a read-only view shows (`_datastore.TaskData`), else None.
    task: Any = None

    def inherit(self, name, sha, loader):
        self.loaders[name] = loader
        self.shas[name] = sha


# id(flow object) -> (its state, a weak reference whose callback drops the entry when the object
# goes). Keyed by id, not by the object: a flow class may define `__eq__` and so be unhashable.
_STATES: Dict[int, Any] = {}


def attach(flow, state):
    """Makes `state` the task state of `flow` (replacing any); returns `state`."""
    key = id(flow)
    _STATES[key] = (state, weakref.ref(flow, lambda _ref, key=key: _STATES.pop(key, None)))
    return state


def state_of(flow) -> Optional[TaskState]:
    entry = _STATES.get(id(flow))
    return entry[0] if entry is not None else None
