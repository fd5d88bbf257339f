"""One attempt of a step task: restore the inputs, set `current`, run the step, store the outputs.

Called by the harness (`_harness.run_task`) for every step but `_parameters`. The step's own
exceptions become the attempt's failure (with @catch and @retry as Metaflow has them); the
attempt is stored either way, as in Metaflow.
"""

import os
import sys

from ._control import _Timer, _check_transition, _decorator_map, _graph_node, _transition_result, describe_exception, task_timeout
from ._classfacts import facts_of
from ._datastore import DatastoreWriteError
from ._frames import stack_parts, stored_stack
from ._flowopts import options as flow_options
from ._inputindex import read_records
from ._inputs import Inputs, _blob_loader, _child_stack, _install_parameter_properties, _is_foreach_join, _task_view, parameters_of
from ._layout import ATTEMPT_PREVIEWS
from ._persist import PER_TASK, Outputs, store_step_outputs
from ._runfacts import install_read_only, set_project
from ._taskstate import TaskState, attach
from .current import current
from .decorators import check_supported
from .exceptions import FailureHandledByCatch, InvalidNextException, MetaflowException, MetaflowExceptionWrapper, TimeoutException
from .mutators import run_wrapped

PARAMETERS_STEP = "_parameters"


class StepTask(object):
    """The facts of one attempt that its phases share."""

    def __init__(self, spec, cls, ds, emit, tempdir):
        self.spec, self.cls, self.ds, self.emit, self.tempdir = spec, cls, ds, emit, tempdir
        ref = spec["ref"]
        self.ref = ref
        self.run_id, self.step, self.task_id, self.attempt = ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0))
        self.retry_count = int(spec.get("retryCount", self.attempt))
        func = vars(cls).get(self.step) or getattr(cls, self.step, None)
        if func is None or not getattr(func, "is_step", False):
            raise MetaflowException("Flow %s has no step *%s*" % (cls.__name__, self.step))
        check_supported(cls, func)
        self.func = func
        # `def join(self, inputs)`: the arity is the code object's (inspect would cost an import per worker).
        self.is_join = func.__code__.co_argcount == 2
        self.params = parameters_of(cls)
        # Keep the Parameter objects: the class attributes become read-only properties below.
        facts_of(cls).parameters = dict(self.params)
        self.fixed = set(install_read_only(cls, self.params))
        _install_parameter_properties(cls, list(self.params))


def run_step_task(spec, cls, ds, emit, tempdir, stored):
    t = StepTask(spec, cls, ds, emit, tempdir)
    flow, state, inputs, input_data, parent_previews, graph = _restore(t)
    node = _graph_node(graph, t.step)
    decorators, cards = _set_current(t, flow, graph)
    failure, caught = _run_step(t, flow, state, inputs, node, decorators)
    transition = state.transition
    ok = failure is None
    # Metaflow's client reads `_success` for Task.successful and `_task_ok` for Task.finished.
    flow._task_ok = flow._success = ok
    if ok and transition is not None:
        flow._transition = [list(transition["next"]), transition.get("foreach")]
    out = Outputs(ds, emit)
    ok, failure = store_step_outputs(out, flow, state, t.params, t.step, input_data, parent_previews, failure)
    try:
        if not ok and out.objects.get("_task_ok") is not None:
            out.persist("_task_ok", False)
            out.persist("_success", False)
        out.write(t.ref)
    except OSError as e:
        # The attempt cannot be recorded (it stays unfinished, without DONE.lock); say why, plainly:
        # the first store failure when storing an artifact already failed, else this one.
        if failure is not None:
            return {"ok": False, "persisted": False, "failure": failure}
        raise DatastoreWriteError.from_os_error(e, "the record of task %s/%s/%s" % (t.run_id, t.step, t.task_id)) from None
    stored(ok, out.objects, out.info)
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


def _restore(t):
    """The flow object and its task state with its inherited artifacts (loaded lazily), and a join's inputs."""
    ds, spec, cls = t.ds, t.spec, t.cls
    input_data = read_records(ds, spec.get("inputPaths") or [], spec.get("inputAttempts"))
    if not input_data:
        raise MetaflowException("Task %s has no input paths: every step reads its parent's artifacts (the start step reads %s)" % (spec.get("pathspec"), PARAMETERS_STEP))
    flow = cls.__new__(cls)
    state = attach(flow, TaskState(t.step, is_join=t.is_join))
    first = input_data[0]
    graph = spec.get("graph")
    parent_previews = {}
    inputs = None
    if t.is_join:
        views = [_task_view(ds, td, cls, td.step, True) for td in input_data]
        inputs = Inputs(views)
        inherit = {n: s for n, s in first.objects.items() if n in t.params or n in t.fixed or n in ("_graph_info", "name", "_configs")}
        stack = stored_stack(views[0])
        if _is_foreach_join(graph, t.step, views):
            stack = stack[:-1]
        flow._foreach_stack = list(stack)
    else:
        inherit = {n: s for n, s in first.objects.items() if n not in PER_TASK}
        parent_previews = ds.read_json(ds.attempt_key(*first.pathspec.split("/"), first.attempt, ATTEMPT_PREVIEWS)) or {}
        if spec.get("splitIndex") is not None:
            flow._foreach_stack = _child_stack(ds, first, int(spec["splitIndex"]))
        elif "_foreach_stack" not in first.objects:
            flow._foreach_stack = []
    for name, sha in inherit.items():
        state.inherit(name, sha, _blob_loader(ds, sha))
    if graph is None and "_graph_info" in inherit:
        graph = ds.load_object(inherit["_graph_info"])
    return flow, state, inputs, input_data, parent_previews, graph


def _set_current(t, flow, graph):
    """`current`, the step's environment and its cards; returns (decorators, cards or None)."""
    spec, cls = t.spec, t.cls
    decorators = _decorator_map(t.func, spec)
    current._set(
        flow_name=cls.__name__, run_id=t.run_id, step_name=t.step, task_id=t.task_id, retry_count=t.retry_count,
        origin_run_id=spec.get("originRunId"), pathspec=spec.get("pathspec") or "%s/%s/%s/%s" % (cls.__name__, t.run_id, t.step, t.task_id),
        tempdir=t.tempdir, username=spec.get("user"), tags=spec.get("tags"), parameter_names=[p.name for p in t.params.values()],
    )
    # A resumed run's `_parameters` task is cloned, not run: its tasks record the project tags.
    set_project(cls, spec.get("user"), t.ds if spec.get("originRunId") else None, t.run_id, overwrite=False)
    if "parallel" in decorators:
        top = (stack_parts(flow) or [(0, 1, 0)])[-1]
        from .current import Parallel

        current._parallel = Parallel(main_ip="127.0.0.1", num_nodes=top[1], node_index=top[0], control_task_id=None)
    env_vars = (decorators.get("environment") or {}).get("vars") or {}
    os.environ.update({str(k): str(v) for k, v in env_vars.items()})
    if "batch" in decorators and os.environ.get("FLOWLENS_EXECUTOR") == "local":
        sys.stderr.write("[flowlens] step %s has @batch but this run executes it locally; run with `--with batch` (and a Batch queue configured) to send it to AWS Batch.\n" % t.step)
    if "kubernetes" in decorators and os.environ.get("FLOWLENS_EXECUTOR") == "local":
        sys.stderr.write("[flowlens] step %s has @kubernetes but this run executes it locally; run with the S3 datastore (--datastore s3) to send it to Kubernetes.\n" % t.step)
    cards = None
    if any(getattr(x, "name", None) == "card" for x in getattr(t.func, "decorators", [])) or "with_card" in flow_options():
        from .cards.task import start as start_cards  # only steps with @card load the card code

        cards = start_cards(t.func, t.ds.storage, current.pathspec, t.attempt, graph, flow)
    current._card = cards.collector if cards is not None else None
    # Metaflow's own code (and libraries built on it) read the running step's name here.
    flow.__dict__["_current_step"] = t.step
    return decorators, cards


def _run_step(t, flow, state, inputs, node, decorators):
    """Runs the user's step and checks its `self.next`; returns (failure, caught)."""
    retries = int((decorators.get("retry") or {}).get("times", 0) or 0) if "retry" in decorators else 0
    try:
        with _Timer(task_timeout(t.spec, t.func), t.step):
            if "catch" in decorators and t.retry_count > retries:
                # @catch's fallback attempt: earlier attempts died without raising, so the step
                # does not run again; the failure is recorded, as Metaflow does.
                raise FailureHandledByCatch(t.retry_count)
            run_wrapped(t.func, flow, inputs, t.is_join)
        _check_next(t.step, state.transition, node)
    except BaseException as e:  # sys.exit() in a step is a failure of the step too
        # The step may be defined in a base flow of another module: its frames count as the flow's.
        code = t.func.__code__
        failure = describe_exception(e, t.spec.get("flowFile"), "timeout" if isinstance(e, TimeoutException) else "user", code.co_filename)
        if "location" not in failure:
            # No frame of the flow's files (e.g. a wrong self.next found after the step): point at the step itself.
            failure["location"] = "%s:%d" % (code.co_filename, code.co_firstlineno)
        final = t.spec["finalAttempt"] if t.spec.get("finalAttempt") is not None else t.retry_count >= retries
        return _after_exception(flow, state, e, failure, decorators.get("catch") if final else None, t.step, node)
    var = (decorators.get("catch") or {}).get("var")
    if var:
        setattr(flow, var, None)  # as Metaflow: a step that succeeds has nothing caught
    return None, None


def _check_next(step, transition, node):
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


def _after_exception(flow, state, e, failure, catch, step, node):
    """(failure, caught): @catch (on the last attempt) turns the failure into success, else it is logged."""
    if catch is not None:
        var = catch.get("var")
        if var:
            setattr(flow, var, MetaflowExceptionWrapper(e))
        if catch.get("print_exception", True):
            sys.stderr.write("@catch caught an exception in step %s:\n%s" % (step, failure["traceback"]))
        state.transition = {"next": list((node or {}).get("next") or []), "foreach": None}
        return None, failure
    flow._exception = MetaflowExceptionWrapper(e)
    # The traceback belongs in the task's stderr log, as in Metaflow: `flowlens logs`,
    # `Task.stderr` and the editor's log pane all read it from there.
    sys.stderr.write(failure["traceback"])
    sys.stderr.flush()
    return failure, None
