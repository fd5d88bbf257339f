"""A task's inputs: the parent tasks' artifacts (lazily loaded), a join's `inputs`, parameters, foreach frames."""

from ._classfacts import facts_of
from ._frames import ForeachFrame, stack_parts
from ._inputindex import ArtifactLoaders
from ._taskstate import TaskState, attach, state_of
from .exceptions import MetaflowException
from .parameters import Parameter


class Inputs(object):
    """What a join step receives: iterable, indexable, and `inputs.<step>` for a branch's last step."""

    def __init__(self, flows):
        self._flows = list(flows)
        self._steps = {}
        for flow in self._flows:
            self._steps[_step_of(flow)] = flow

    def __getattr__(self, name):
        steps = self.__dict__.get("_steps", {})
        if name in steps:
            return steps[name]
        raise AttributeError("No input comes from a step named *%s* (inputs come from: %s)" % (name, ", ".join(sorted(steps))))

    def __getitem__(self, index):
        return self._flows[index]

    def __iter__(self):
        return iter(self._flows)

    def __len__(self):
        return len(self._flows)


def parameters_of(cls):
    """attribute name -> Parameter, for the flow class and its bases."""
    return attributes_of(cls, Parameter, facts_of(cls).parameters)


def attributes_of(cls, kind, saved):
    """attribute name -> class attribute of type `kind` (a subclass's other value hides a base's).

    Once the harness replaced them (`saved`, from the class's facts, holds the originals), the originals."""
    if saved is not None:
        return dict(saved)
    out = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, kind):
                out[name] = value
            elif name in out:
                del out[name]
    return out


def _install_parameter_properties(cls, names):
    """Parameters are read-only artifacts: a property that reads the inherited value."""

    def make(name):
        def fget(self):
            state = state_of(self)
            if state is None or (name not in state.params and name not in state.loaders):
                raise AttributeError("Parameter *%s* has no value in this task" % name)
            if name not in state.params:
                state.params[name] = state.loaders[name]()
            return state.params[name]

        def fset(self, value):
            raise AttributeError("Parameter *%s* is read-only: it cannot be assigned in a step." % name)

        return property(fget, fset)

    for name in names:
        setattr(cls, name, make(name))


def _task_view(ds, task_data, cls, step, readonly):
    flow = cls.__new__(cls)
    objects = task_data.objects
    # One mapping, not a closure an artifact: a join may have tens of thousands of inputs.
    loaders = ArtifactLoaders(ds, objects)
    # A read-only view never changes its shas: it shares the stored map.
    attach(flow, TaskState(step, readonly=readonly, loaders=loaders, shas=objects, task=task_data))
    return flow


def _step_of(flow):
    state = state_of(flow)
    return state.step if state is not None else None


def _blob_loader(ds, sha):
    return lambda: ds.load_object(sha)


def _is_foreach_join(graph, step, inputs):
    if graph:
        for node in (graph.get("steps") or {}).values():
            if node.get("matching_join") == step:
                return node.get("type") in ("split-foreach", "split-parallel")
    if len(inputs) == 1:
        return True
    tops = [(stack_parts(inp) or [None])[-1] for inp in inputs]
    return any(t is None or t[0] != tops[0][0] for t in tops) if tops[0] is not None else False


def _child_stack(ds, parent, index):
    """The `_foreach_stack` of a foreach child: the parent's plus (index, num_splits, value)."""
    stack = list(ds.load_object(parent.objects["_foreach_stack"])) if "_foreach_stack" in parent.objects else []
    transition = ds.load_object(parent.objects["_transition"]) if "_transition" in parent.objects else None
    var = transition[1] if transition else None
    if "_foreach_num_splits" not in parent.objects:
        raise MetaflowException("Parent task %s of a foreach task did not record _foreach_num_splits" % parent.pathspec)
    num_splits = ds.load_object(parent.objects["_foreach_num_splits"])
    if not 0 <= index < num_splits:
        raise MetaflowException("Foreach index %d is out of range: the parent %s made %d splits" % (index, parent.pathspec, num_splits))
    if var is None:
        value = index  # a parallel (num_parallel) split: each node's input is its index
    else:
        items = ds.load_object(parent.objects[var])
        if hasattr(items, "__getitem__") and hasattr(items, "__len__"):
            value = items[index]
        else:
            value = next(v for i, v in enumerate(items) if i == index)
    stack.append(ForeachFrame(parent.step, var, num_splits, index, value))
    return stack
