"""Storing a task's artifacts and its attempt record (`<attempt>.data.json`, `.previews.json`).

A task's artifacts are what it inherited from its parent (recorded by sha, never stored
twice) plus every attribute it set; internal artifacts start with `_` (runtime/README.md).
"""

import pickle

from . import _previews
from ._control import describe_exception
from ._datastore import DatastoreWriteError
from ._frames import stack_parts
from ._layout import ATTEMPT_PREVIEWS
from .exceptions import UnpicklableArtifactException

# Artifacts that describe one task and are not inherited by its children.
PER_TASK = frozenset(["_transition", "_task_ok", "_success", "_foreach_num_splits", "_exception", "_parallel_num_nodes", "_current_step", "input", "index"])


class Outputs(object):
    """What one attempt stores: artifact name -> sha, their info, and their previews."""

    def __init__(self, ds, emit):
        self.ds = ds
        self.emit = emit
        self.objects, self.info, self.previews = {}, {}, {}

    def persist(self, name, value):
        self.persist_pickled(name, value, pickle.dumps(value, protocol=4))

    def persist_pickled(self, name, value, pickled):
        sha, encoding = self.ds.save_pickled(pickled)
        self.objects[name] = sha
        self.info[name] = {"size": len(pickled), "type": "<class '%s'>" % _previews.type_name(value), "encoding": encoding}
        self.previews[name] = _previews.preview(value, len(pickled))
        if name == "_graph_info" and isinstance(value, dict) and isinstance(value.get("steps"), dict):
            # The graph's step order, always: the JSON preview is dropped for a graph past JSON_LIMIT
            # (any realistic flow), and the Runs view lists steps in this order.
            self.previews[name]["stepOrder"] = [str(s) for s in value["steps"]]
        if not name.startswith("_") and name not in ("name", "input", "index"):
            self.emit({"type": "artifact", "name": name, "sha": sha, "size": len(pickled), "typeName": _previews.type_name(value)})

    def write(self, ref):
        run_id, step, task_id, attempt = ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0))
        self.ds.write_data(run_id, step, task_id, attempt, self.objects, self.info)
        self.ds.write_json(self.ds.attempt_key(run_id, step, task_id, attempt, ATTEMPT_PREVIEWS), self.previews)


def store_step_outputs(out, flow, state, params, step, input_data, parent_previews, failure):
    """Stores the artifacts of a step's flow object into `out`; returns (ok, failure).

    A value that cannot be pickled, or a store that refuses a blob, fails the task (the first
    such failure is kept) but the other artifacts are still stored."""
    ok = failure is None
    d = flow.__dict__
    for name, sha in state.shas.items():
        if name in state.loaders and name not in d:
            out.objects[name] = sha
            # Only user artifacts' previews travel to the children: an internal one (the graph,
            # a kilobyte) is read from the task that set it, never from a child.
            if name in parent_previews and not name.startswith("_"):
                out.previews[name] = parent_previews[name]
    for name, value in _artifact_values(flow, params):
        try:
            pickled = pickle.dumps(value, protocol=4)
        except Exception as e:
            if ok:
                ok = False
                err = UnpicklableArtifactException("Cannot pickle artifact *%s* of type %s in step *%s*: %s" % (name, type(value).__name__, step, e))
                failure = describe_exception(err, None, "user")
                del err
            continue
        try:
            out.persist_pickled(name, value, pickled)
        except OSError as e:
            # Storing is not pickling: a full disk or a lost store is said as such, not blamed on the value.
            if ok:
                ok = False
                err = DatastoreWriteError.from_os_error(e, "artifact *%s* of step *%s*" % (name, step))
                failure = describe_exception(err, None, "infrastructure")
                del err
    for name, sha in out.objects.items():
        if name not in out.info:
            out.info[name] = _inherited_info(input_data, name, sha)
    return ok, failure


def _artifact_values(flow, params):
    d = flow.__dict__
    for name in list(d):
        if name in params:
            continue
        yield name, d[name]
    yield "name", type(flow).__name__
    stack = stack_parts(flow)
    if stack:
        yield "input", stack[-1][2]
        yield "index", stack[-1][0]


def _inherited_info(input_data, name, sha):
    for td in input_data:
        if td.objects.get(name) == sha and name in td.info:
            return td.info[name]
    return {"size": 0, "type": "<class 'object'>", "encoding": "gzip+pickle-v4"}
