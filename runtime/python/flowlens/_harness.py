"""The task harness: runs one attempt of one task in the current process.

`run_task(spec, module, emit)` restores the task's inputs from the datastore, runs the
step method, checks the `self.next` it made against the static graph, and persists every
artifact (blobs, `<attempt>.data.json`, `<attempt>.previews.json`). It does not write
`<attempt>.DONE.lock`: the worker writes it after the task's logs, so that it is last.
`emit(message)` receives artifact messages as they are persisted.
"""

import os
import pickle
import shutil
import sys
import tempfile
import time

from . import _previews
from ._control import (
    _Timer,
    _check_transition,
    _decorator_map,
    _graph_node,
    _transition_result,
    describe_exception,
    task_timeout,
)
from ._datastore import DatastoreWriteError, FlowDatastore
from ._flowload import flow_class
from ._flowopts import options as flow_options
from ._mfmeta import AttemptRecords
from ._inputs import Inputs, _blob_loader, _child_stack, _install_parameter_properties, _is_foreach_join, _task_view, parameters_of
from ._runfacts import install_read_only, set_project, stored_values
from ._storage import storage_from_env
from .configs import config_values
from .mutators import run_wrapped
from .current import current
from .decorators import check_supported
from .exceptions import (
    FailureHandledByCatch,
    InvalidNextException,
    MetaflowException,
    MetaflowExceptionWrapper,
    ParameterError,
    TimeoutException,
    UnpicklableArtifactException,
)
# Artifacts that describe one task and are not inherited by its children.
_PER_TASK = frozenset(["_transition", "_task_ok", "_success", "_foreach_num_splits", "_exception", "_parallel_num_nodes", "_current_step", "input", "index"])
PARAMETERS_STEP = "_parameters"


def run_task(spec, module, emit=lambda message: None, write_done=False):
    started = time.time()
    ref = spec["ref"]
    flow_name, run_id, step, task_id, attempt = spec["flowName"], ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0))
    os.environ.update({str(k): str(v) for k, v in (spec.get("env") or {}).items()})
    ds = FlowDatastore(storage_from_env(), flow_name)
    ds.write_attempt_started(run_id, step, task_id, attempt)
    flow_file = spec.get("flowFile")
    result = {"ok": False, "persisted": False}
    made = []

    def tempdir():
        made.append(tempfile.mkdtemp(prefix="flowlens-%s-%s-" % (step, task_id)))
        return made[0]

    records = AttemptRecords(ds, spec)

    def stored(ok, objects, info):
        records.stored(started, ok, objects, info)

    try:
        cls = flow_class(module, flow_name)
        if step == PARAMETERS_STEP:
            result = _run_parameters_task(spec, cls, ds, emit, stored)
        else:
            result = _run_step_task(spec, cls, ds, emit, tempdir, stored)
    except DatastoreWriteError as e:
        result = {"ok": False, "persisted": False, "failure": describe_exception(e, flow_file, "infrastructure")}
    except Exception as e:  # failures before the step ran: loading inputs, a missing class
        result = {"ok": False, "persisted": False, "failure": describe_exception(e, flow_file, "user")}
    finally:
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
    if write_done:
        from ._finish import finish_attempt

        result = finish_attempt(ds, spec, result)
    result["durationMs"] = int((time.time() - started) * 1000)
    return result


def _run_parameters_task(spec, cls, ds, emit, stored):
    ref = spec["ref"]
    params = parameters_of(cls)
    given = dict(spec.get("parameters") or {})
    by_name = {p.name: attr for attr, p in params.items()}
    unknown = [k for k in given if k not in by_name and k not in params]
    if unknown:
        raise ParameterError(
            "Unknown parameter %s (flow %s takes: %s)"
            % (", ".join("--" + k for k in unknown), cls.__name__, ", ".join("--" + p.name for p in params.values()) or "none")
        )
    # A default function may read `current.project_name` (and `ctx.configs`), as under Metaflow.
    set_project(cls, spec.get("user"), ds, ref["runId"])
    configs = config_values(cls)
    values = {}
    for attr, p in params.items():
        key = p.name if p.name in given else attr
        values[attr] = p.resolve(given.get(key), key in given, cls.__name__, spec.get("user"), configs)
    values.update(stored_values(cls, params))
    values["name"] = cls.__name__
    if spec.get("graph") is not None:
        values["_graph_info"] = spec["graph"]
    values["_task_ok"] = values["_success"] = True
    objects, info, previews = {}, {}, {}
    for name, value in values.items():
        _persist_one(ds, name, value, objects, info, previews, emit)
    ds.write_data(ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0)), objects, info)
    ds.write_json(ds.attempt_key(ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0)), "previews.json"), previews)
    stored(True, objects, info)
    start = "start"
    for name, node in ((spec.get("graph") or {}).get("steps") or {}).items():
        if node.get("type") == "start":
            start = name
    return {"ok": True, "persisted": True, "transition": {"next": [start]}}


def _persist_one(ds, name, value, objects, info, previews, emit):
    _persist_pickled(ds, name, value, pickle.dumps(value, protocol=4), objects, info, previews, emit)


def _persist_pickled(ds, name, value, pickled, objects, info, previews, emit):
    sha, encoding = ds.save_pickled(pickled)
    objects[name] = sha
    type_text = "<class '%s'>" % _previews.type_name(value)
    info[name] = {"size": len(pickled), "type": type_text, "encoding": encoding}
    previews[name] = _previews.preview(value, len(pickled))
    if not name.startswith("_") and name not in ("name", "input", "index"):
        emit({"type": "artifact", "name": name, "sha": sha, "size": len(pickled), "typeName": _previews.type_name(value)})


def _run_step_task(spec, cls, ds, emit, tempdir, stored):
    ref = spec["ref"]
    run_id, step, task_id, attempt = ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0))
    func = vars(cls).get(step) or getattr(cls, step, None)
    if func is None or not getattr(func, "is_step", False):
        raise MetaflowException("Flow %s has no step *%s*" % (cls.__name__, step))
    check_supported(cls, func)
    # `def join(self, inputs)`: the arity is the code object's (inspect would cost an import per worker).
    is_join = func.__code__.co_argcount == 2

    params = parameters_of(cls)
    # Keep the Parameter objects: the class attributes become read-only properties below.
    cls._fl_parameter_objects = dict(params)
    fixed = set(install_read_only(cls, params))
    _install_parameter_properties(cls, list(params))

    input_data = [ds.read_task(p) for p in spec.get("inputPaths") or []]
    if not input_data:
        raise MetaflowException("Task %s has no input paths: every step reads its parent's artifacts (the start step reads %s)" % (spec.get("pathspec"), PARAMETERS_STEP))
    flow = cls.__new__(cls)
    d = flow.__dict__
    d.update(_fl_step=step, _fl_lazy={}, _fl_shas={}, _fl_readonly=False, _fl_is_join=is_join, _fl_transition=None)
    first = input_data[0]
    graph = spec.get("graph")
    parent_previews = {}
    inputs = None
    if is_join:
        views = [_task_view(ds, td, cls, td.step, True) for td in input_data]
        inputs = Inputs(views)
        inherit = {n: s for n, s in first.objects.items() if n in params or n in fixed or n in ("_graph_info", "name", "_configs")}
        stack = views[0]._fl_raw_stack()
        if _is_foreach_join(graph, step, views):
            stack = stack[:-1]
        flow._foreach_stack = list(stack)
    else:
        inherit = {n: s for n, s in first.objects.items() if n not in _PER_TASK}
        parent_previews = ds.read_json(ds.attempt_key(*first.pathspec.split("/"), first.attempt, "previews.json")) or {}
        if spec.get("splitIndex") is not None:
            flow._foreach_stack = _child_stack(ds, first, int(spec["splitIndex"]))
        elif "_foreach_stack" not in first.objects:
            flow._foreach_stack = []
    for name, sha in inherit.items():
        d["_fl_lazy"][name] = _blob_loader(ds, sha)
        d["_fl_shas"][name] = sha
    if graph is None and "_graph_info" in inherit:
        graph = ds.load_object(inherit["_graph_info"])
    node = _graph_node(graph, step)

    decorators = _decorator_map(func, spec)
    retries = int((decorators.get("retry") or {}).get("times", 0) or 0) if "retry" in decorators else 0
    current._set(
        flow_name=cls.__name__, run_id=run_id, step_name=step, task_id=task_id, retry_count=int(spec.get("retryCount", attempt)),
        origin_run_id=spec.get("originRunId"), pathspec=spec.get("pathspec") or "%s/%s/%s/%s" % (cls.__name__, run_id, step, task_id),
        tempdir=tempdir, username=spec.get("user"), tags=spec.get("tags"), parameter_names=[p.name for p in params.values()],
    )
    # A resumed run's `_parameters` task is cloned, not run: its tasks record the project tags.
    set_project(cls, spec.get("user"), ds if spec.get("originRunId") else None, run_id, overwrite=False)
    if "parallel" in decorators:
        top = (flow._fl_stack() or [(0, 1, 0)])[-1]
        from .current import Parallel

        current._parallel = Parallel(main_ip="127.0.0.1", num_nodes=top[1], node_index=top[0], control_task_id=None)
    env_vars = (decorators.get("environment") or {}).get("vars") or {}
    os.environ.update({str(k): str(v) for k, v in env_vars.items()})
    if "batch" in decorators and os.environ.get("FLOWLENS_EXECUTOR") == "local":
        sys.stderr.write("[flowlens] step %s has @batch but this run executes it locally; run with `--with batch` (and a Batch queue configured) to send it to AWS Batch.\n" % step)

    cards = None
    if any(getattr(x, "name", None) == "card" for x in getattr(func, "decorators", [])) or "with_card" in flow_options():
        from .cards.task import start as start_cards  # only steps with @card load the card code

        cards = start_cards(func, ds.storage, current.pathspec, attempt, graph, flow)
    current._card = cards.collector if cards is not None else None
    # Metaflow's own code (and libraries built on it) read the running step's name here.
    d["_current_step"] = step
    failure = caught = None
    seconds = task_timeout(spec, func)
    retry_count = int(spec.get("retryCount", attempt))
    try:
        with _Timer(seconds, step):
            if "catch" in decorators and retry_count > retries:
                # @catch's fallback attempt: earlier attempts died without raising, so the step
                # does not run again; the failure is recorded, as Metaflow does.
                raise FailureHandledByCatch(retry_count)
            run_wrapped(func, flow, inputs, is_join)
        transition = d.get("_fl_transition")
        ntype = (node or {}).get("type")
        end = ntype == "end" or (node is None and not transition)
        if end and transition is not None:
            raise InvalidNextException("Step *%s* is the end step and must not call self.next()." % step)
        if not end and transition is None:
            raise InvalidNextException("Step *%s* did not call self.next(): every step but the end step must end with self.next(...)." % step)
        if transition is not None:
            problem = _check_transition(step, transition, node)
            if problem:
                raise InvalidNextException(problem)
    except BaseException as e:  # sys.exit() in a step is a failure of the step too
        # The step may be defined in a base flow of another module: its frames count as the flow's.
        code = func.__code__
        failure = describe_exception(e, spec.get("flowFile"), "timeout" if isinstance(e, TimeoutException) else "user", code.co_filename)
        if "location" not in failure:
            # No frame of the flow's files (e.g. a wrong self.next found after the step): point at the step itself.
            failure["location"] = "%s:%d" % (code.co_filename, code.co_firstlineno)
        final = spec["finalAttempt"] if spec.get("finalAttempt") is not None else retry_count >= retries
        failure, caught = _after_exception(flow, e, failure, decorators.get("catch") if final else None, step, node)
    else:
        var = (decorators.get("catch") or {}).get("var")
        if var:
            setattr(flow, var, None)  # as Metaflow: a step that succeeds has nothing caught

    transition = d.get("_fl_transition")
    ok = failure is None
    # Metaflow's client reads `_success` for Task.successful and `_task_ok` for Task.finished.
    flow._task_ok = flow._success = ok
    if ok and transition is not None:
        flow._transition = [list(transition["next"]), transition.get("foreach")]
    objects, info, previews = {}, {}, {}
    for name, sha in d["_fl_shas"].items():
        if name in d["_fl_lazy"] and name not in d:
            objects[name] = sha
            if name in parent_previews:
                previews[name] = parent_previews[name]
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
            _persist_pickled(ds, name, value, pickled, objects, info, previews, emit)
        except OSError as e:
            # Storing is not pickling: a full disk or a lost store is said as such, not blamed on the value.
            if ok:
                ok = False
                err = DatastoreWriteError.from_os_error(e, "artifact *%s* of step *%s*" % (name, step))
                failure = describe_exception(err, None, "infrastructure")
                del err
    for name, sha in objects.items():
        if name not in info:
            info[name] = _inherited_info(input_data, name, sha)
    try:
        if not ok and objects.get("_task_ok") is not None:
            _persist_one(ds, "_task_ok", False, objects, info, previews, emit)
            _persist_one(ds, "_success", False, objects, info, previews, emit)
        ds.write_data(run_id, step, task_id, attempt, objects, info)
        ds.write_json(ds.attempt_key(run_id, step, task_id, attempt, "previews.json"), previews)
    except OSError as e:
        # The attempt cannot be recorded (it stays unfinished, without DONE.lock); say why, plainly:
        # the first store failure when storing an artifact already failed, else this one.
        if failure is not None:
            return {"ok": False, "persisted": False, "failure": failure}
        raise DatastoreWriteError.from_os_error(e, "the record of task %s/%s/%s" % (run_id, step, task_id)) from None
    stored(ok, objects, info)
    if cards is not None:
        # After the artifacts are stored (a card reads them), as Metaflow renders cards once a task is done.
        cards.finish(ok)
    result: dict = {"ok": ok, "persisted": True}
    if ok and transition is not None:
        result["transition"] = _transition_result(transition)
    if failure:
        result["failure"] = failure
    if caught:
        result["caught"] = caught
    return result


def _after_exception(flow, e, failure, catch, step, node):
    """(failure, caught): @catch (on the last attempt) turns the failure into success, else it is logged."""
    d = flow.__dict__
    if catch is not None:
        var = catch.get("var")
        if var:
            setattr(flow, var, MetaflowExceptionWrapper(e))
        if catch.get("print_exception", True):
            sys.stderr.write("@catch caught an exception in step %s:\n%s" % (step, failure["traceback"]))
        d["_fl_transition"] = {"next": list((node or {}).get("next") or []), "foreach": None}
        return None, failure
    flow._exception = MetaflowExceptionWrapper(e)
    # The traceback belongs in the task's stderr log, as in Metaflow: `flowlens logs`,
    # `Task.stderr` and the editor's log pane all read it from there.
    sys.stderr.write(failure["traceback"])
    sys.stderr.flush()
    return failure, None


def _artifact_values(flow, params):
    d = flow.__dict__
    for name in list(d):
        if name.startswith("_fl_") or name in params:
            continue
        yield name, d[name]
    yield "name", type(flow).__name__
    stack = flow._fl_stack()
    if stack:
        yield "input", stack[-1][2]
        yield "index", stack[-1][0]


def _inherited_info(input_data, name, sha):
    for td in input_data:
        if td.objects.get(name) == sha and name in td.info:
            return td.info[name]
    return {"size": 0, "type": "<class 'object'>", "encoding": "gzip+pickle-v4"}


__all__ = ["run_task", "Inputs", "parameters_of", "describe_exception"]
