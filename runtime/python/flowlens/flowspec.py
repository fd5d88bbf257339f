"""FlowSpec: the base class of every flow, with Metaflow's run-time semantics.

An instance is one task's view of the flow. Artifacts inherited from parent tasks are
loaded lazily (on first read) and cached on the instance, as Metaflow does, so a task
that never reads a large artifact never unpickles it, and an artifact mutated in place is
persisted again. What the harness knows about the task (the inherited artifacts not read
yet, the step, the transition) is its `TaskState` (`_taskstate`), kept beside the object:
the object itself holds only what the step set and read.
"""


from . import _runtime_state
from ._frames import stack_parts
from ._graph import ClassGraph, build_graph, build_steps
from ._taskstate import _STATES, TaskState, attach, state_of
from .exceptions import (
    InvalidNextException,
    MetaflowException,
    MissingInMergeArtifactsException,
    UnhandledInMergeArtifactsException,
)

# Artifacts a task never passes to a merge: they describe the task, not the data.
_NOT_MERGED = frozenset(["name", "input", "index"])


class _ArtifactMissing(AttributeError):
    pass


class FlowSpec(object):
    """Subclass it; decorate methods with @step."""

    _flow_decorators = []

    def __init__(self, use_cli=True):
        if _runtime_state.loading_flow_module:
            # `MyFlow()` at the bottom of a flow file runs while the harness imports it: nothing to do.
            return
        if use_cli:
            # `python flow.py run ...`: Metaflow's command line, run by Flowlens (never returns).
            from ._cli import main

            main(type(self))

    # ---- artifacts -------------------------------------------------------------------
    def __getattr__(self, name):
        # Only called when normal lookup fails: an inherited artifact not loaded yet, or a missing one.
        if name.startswith("__"):
            raise AttributeError(name)
        state = state_of(self)
        if state is not None:
            if name in state.loaders:
                value = state.loaders[name]()
                if not state.readonly:
                    object.__setattr__(self, name, value)
                else:
                    state.loaded[name] = value
                return value
            if name in state.loaded:
                return state.loaded[name]
        raise _ArtifactMissing(
            "Flow %s has no attribute '%s': no step before this one set `self.%s`%s."
            % (type(self).__name__, name, name, " on this branch" if state is not None and state.readonly else "")
        )

    def __setattr__(self, name, value):
        # Every assignment in a step passes here: the state's table is read inline, without a call.
        entry = _STATES.get(id(self))
        if entry is not None and entry[0].readonly:
            raise AttributeError("Artifacts of an input of a join are read-only: set `self.%s` instead of `inputs...%s`." % (name, name))
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        state = state_of(self)
        if state is not None and name in state.loaders:
            del state.loaders[name]
            self.__dict__.pop(name, None)
            return
        object.__delattr__(self, name)

    def __contains__(self, name):
        return hasattr(self, name)

    # The graph as Metaflow exposes it to Python: `_graph[name]` nodes and `_steps` (step
    # functions in name order), built from the source on first read.
    _graph = ClassGraph(build_graph)
    _steps = ClassGraph(build_steps)

    def __iter__(self):
        """Iterates over the flow's steps (functions with `.name`), as Metaflow's FlowSpec does."""
        return iter(self._steps)

    @property
    def name(self):
        return type(self).__name__

    # ---- foreach ---------------------------------------------------------------------
    @property
    def index(self):
        stack = stack_parts(self)
        return stack[-1][0] if stack else None

    @property
    def input(self):
        stack = stack_parts(self)
        return stack[-1][2] if stack else None

    def foreach_stack(self):
        """`(index, num_splits, value)` of every enclosing foreach, outermost first."""
        return [(frame[0], frame[1], frame[2]) for frame in stack_parts(self)]

    # ---- transitions -----------------------------------------------------------------
    def next(self, *dsts, **kwargs):
        state = state_of(self)
        step = state.step if state is not None else "?"
        foreach = kwargs.pop("foreach", None)
        condition = kwargs.pop("condition", None)
        num_parallel = kwargs.pop("num_parallel", None)
        if kwargs:
            raise InvalidNextException("Step *%s* passes an unknown keyword argument '%s' to self.next()." % (step, sorted(kwargs)[0]))
        if state is not None and state.transition is not None:
            raise InvalidNextException("Multiple self.next() calls detected in step *%s*. Call self.next() only once." % step)
        if foreach is not None and condition is not None:
            raise InvalidNextException("Step *%s* uses both foreach and condition in self.next(): use one." % step)

        transition = {"next": [], "foreach": None, "condition": None, "switch_value": None, "num_splits": None, "num_parallel": None}
        if len(dsts) == 1 and isinstance(dsts[0], dict):
            if condition is None:
                raise InvalidNextException("Step *%s* passes a dict of cases to self.next() without condition=: add condition=\"<artifact>\"." % step)
            cases = {}
            for key, dst in dsts[0].items():
                cases[key] = _target_name(step, dst)
            if not isinstance(condition, str):
                raise InvalidNextException("In step *%s* the condition= of self.next() must be the name of an artifact (a string)." % step)
            try:
                value = getattr(self, condition)
            except AttributeError:
                raise InvalidNextException("Condition variable *self.%s* in step *%s* does not exist. Check your variable." % (condition, step))
            chosen = _pick_case(cases, value)
            if chosen is None:
                raise InvalidNextException(
                    "Condition *self.%s* in step *%s* is %r, which is none of the cases [%s]."
                    % (condition, step, value, ", ".join(repr(k) for k in cases))
                )
            transition.update(next=[chosen], condition=condition, switch_value=value, cases=cases)
        else:
            if condition is not None:
                raise InvalidNextException("Step *%s* uses condition= without a dict of cases in self.next()." % step)
            if not dsts:
                raise InvalidNextException("Step *%s* calls self.next() without a target step." % step)
            transition["next"] = [_target_name(step, dst) for dst in dsts]

        if foreach is not None:
            if len(dsts) != 1:
                raise InvalidNextException("Step *%s* has a foreach transition with %d targets: a foreach takes exactly one." % (step, len(dsts)))
            if not isinstance(foreach, str):
                raise InvalidNextException("In step *%s* foreach= of self.next() must be the name of an artifact (a string)." % step)
            try:
                foreach_iter = getattr(self, foreach)
            except AttributeError:
                raise InvalidNextException("Foreach variable *self.%s* in step *%s* does not exist. Check your variable." % (foreach, step))
            try:
                num_splits = len(foreach_iter) if hasattr(foreach_iter, "__len__") else sum(1 for _ in iter(foreach_iter))
            except TypeError:
                raise InvalidNextException("Foreach variable *self.%s* in step *%s* is not iterable. Check your variable." % (foreach, step))
            if num_splits == 0:
                raise InvalidNextException("Foreach iterator over *%s* in step *%s* produced zero splits. Check your variable." % (foreach, step))
            transition.update(foreach=foreach, num_splits=num_splits)
            self._foreach_num_splits = num_splits
        if num_parallel is not None:
            if len(dsts) != 1:
                raise InvalidNextException("Step *%s* uses num_parallel with %d targets: it takes exactly one." % (step, len(dsts)))
            try:
                num_parallel = int(num_parallel)
            except (TypeError, ValueError):
                raise InvalidNextException("In step *%s* num_parallel must be an integer." % step)
            if num_parallel < 1:
                raise InvalidNextException("In step *%s* num_parallel must be at least 1." % step)
            transition.update(num_parallel=num_parallel, num_splits=num_parallel)
            self._foreach_num_splits = num_parallel
            self._parallel_num_nodes = num_parallel
        if state is None:
            # A flow object made outside the harness keeps its transition too, as it always did.
            state = attach(self, TaskState(step))
        state.transition = transition

    # ---- joins -----------------------------------------------------------------------
    def merge_artifacts(self, inputs, exclude=None, include=None):
        """Copies the artifacts that agree across every branch of a join and are not yet set here."""
        state = state_of(self)
        step = state.step if state is not None else "?"
        exclude = list(exclude or [])
        include = list(include or [])
        if state is None or not state.is_join:
            raise MetaflowException("merge_artifacts can only be called in a join and step *%s* is not a join" % step)
        if include and exclude:
            raise MetaflowException("`exclude` and `include` are mutually exclusive in merge_artifacts")

        to_merge = {}
        unresolved = []
        for inp in inputs:
            inp_state = state_of(inp)
            for var, sha in sorted(inp_state.shas.items() if inp_state is not None else ()):
                if var.startswith("_") or var in _NOT_MERGED or _has(self, state, var):
                    continue
                if include and var not in include:
                    continue
                if var in exclude:
                    continue
                previous = to_merge.setdefault(var, (inp, sha))
                if previous[1] != sha and var not in unresolved:
                    unresolved.append(var)
        if unresolved:
            raise UnhandledInMergeArtifactsException(
                "Step *%s* cannot merge the following artifacts due to them having conflicting values:\n[%s].\n"
                "To remedy this issue, be sure to explicitly set those artifacts (using self.<artifact_name> = ...) "
                "prior to calling merge_artifacts." % (step, ", ".join(unresolved)),
                unresolved,
            )
        missing = [v for v in include if v not in to_merge and not _has(self, state, v)]
        if missing:
            raise MissingInMergeArtifactsException(
                "Step *%s* specifies that [%s] should be merged but [%s] are not present.\n"
                "To remedy this issue, make sure that the values specified in only come from at least one branch"
                % (step, ", ".join(include), ", ".join(missing)),
                missing,
            )
        for var, (inp, sha) in to_merge.items():
            state.inherit(var, sha, _loader(inp, var))


def _has(flow, state, var):
    if var in flow.__dict__ or var in state.loaders:
        return True
    return isinstance(getattr(type(flow), var, None), property)


def _loader(inp, var):
    return lambda: getattr(inp, var)


def _target_name(step, dst):
    func = getattr(dst, "__func__", None)
    if func is None or not getattr(func, "is_step", False):
        raise InvalidNextException("In step *%s* a transition target of self.next() is not a step: pass steps as self.<step>." % step)
    return func.__name__


def _pick_case(cases, value):
    if value in cases:
        return cases[value]
    text = str(value)
    for key, target in cases.items():
        if str(key) == text:
            return target
    return None


