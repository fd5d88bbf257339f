"""User decorators and mutators: FlowMutator, StepMutator, UserStepDecorator, user_step_decorator.

- A FlowMutator decorates the flow class; a StepMutator or a UserStepDecorator decorates a step
  (above `@step`), with or without arguments (`@M` or `@M(...)`).
- When the flow class is finalized (`_finalize.py`), every FlowMutator's `pre_mutate` runs, then
  every StepMutator's, then the `mutate` of each, with a MutableFlow / MutableStep that can read
  the configs and parameters and add or remove decorators (and, in `pre_mutate`, parameters).
- A UserStepDecorator wraps the step's code: `pre_step(step_name, flow, inputs)` before it,
  `post_step(step_name, flow, exception)` after it (re-raising unless it returns something
  else). `user_step_decorator` makes one from a generator function that yields once.

The graph of a flow is derived statically, so a mutator cannot add steps. Decorators a mutator
adds are honoured by the task itself (@catch, @environment, @timeout's alarm); retry budgets come
from the decorators written in the file.
"""

import ast
from typing import Any

from ._classfacts import facts_of
from .exceptions import MetaflowException


class MutatorException(MetaflowException):
    headline = "Mutator error"


# ---- step decorators (user step decorators and step mutators) ------------------------------
class UserStepDecoratorBase(object):
    """`@Deco` or `@Deco(args)` above `@step`: records itself on the step function."""

    _allowed_args = False
    _allowed_kwargs = False

    def __init__(self, *args, **kwargs):
        self._my_step: Any = None
        self._args = args
        self._kwargs = dict(kwargs)
        if args and callable(args[0]) and (getattr(args[0], "is_step", False) or isinstance(args[0], UserStepDecoratorBase)):
            self._args = args[1:]
            self._attach(args[0])
        if self._args and not self._allowed_args:
            raise MutatorException("%s does not take positional arguments" % type(self).__name__)
        if self._kwargs and not self._allowed_kwargs:
            raise MutatorException("%s does not take keyword arguments" % type(self).__name__)
        self.init(*self._args, **self._kwargs)

    def init(self, *args, **kwargs):
        pass

    def __call__(self, step=None):
        if step is None:
            raise MutatorException("%s can only be applied to a step function" % type(self).__name__)
        return self._attach(step)

    def __get__(self, instance, owner):
        # `@Deco` without parentheses leaves this object as the class attribute: it reads as the step.
        return self._my_step.__get__(instance, owner) if instance is not None else self._my_step

    def _attach(self, step):
        if isinstance(step, UserStepDecoratorBase):
            step = step._my_step
        if not getattr(step, "is_step", False):
            raise MutatorException("@%s decorates *%s*, which is not a step: put it above @step." % (type(self).__name__, getattr(step, "__name__", step)))
        self._my_step = step
        self._register(step)
        return step

    def _register(self, step):
        raise NotImplementedError


class StepMutator(UserStepDecoratorBase):
    """Changes a step's decorators when the flow is finalized: override `pre_mutate` / `mutate`."""

    def _register(self, step):
        step.__dict__.setdefault("config_decorators", []).append(self)

    def pre_mutate(self, mutable_step):
        pass

    def mutate(self, mutable_step):
        pass


class UserStepDecorator(UserStepDecoratorBase):
    """Runs code around a step: override `pre_step` and `post_step`."""

    _allowed_kwargs = True

    def _register(self, step):
        step.__dict__.setdefault("wrappers", []).insert(0, self)

    def pre_step(self, step_name, flow, inputs=None):
        return None

    def post_step(self, step_name, flow, exception=None):
        if exception is not None:
            raise exception


def user_step_decorator(func=None):
    """Makes a UserStepDecorator from `def deco(step_name, flow, inputs=None, attributes=None): ...; yield; ...`."""

    def make(fn):
        class _Generated(UserStepDecorator):
            def init(self, *args, **kwargs):
                self._attributes = kwargs

            def pre_step(self, step_name, flow, inputs=None):
                self._gen = fn(step_name, flow, inputs, self._attributes)
                next(self._gen)

            def post_step(self, step_name, flow, exception=None):
                try:
                    if exception is not None:
                        self._gen.throw(exception)
                    else:
                        next(self._gen)
                except StopIteration:
                    return None
                raise MutatorException("@%s yields more than once: a user step decorator yields exactly once" % fn.__name__)

        _Generated.__name__ = fn.__name__
        _Generated.__doc__ = fn.__doc__
        return _Generated

    return make(func) if func is not None else make


def run_wrapped(func, flow, inputs, is_join):
    """Calls the step with its user step decorators around it (outermost first)."""
    wrappers = getattr(func, "wrappers", None) or []
    if not wrappers:
        return func(flow, inputs) if is_join else func(flow)
    name = func.__name__
    entered = []
    error = None
    try:
        for w in wrappers:
            w.pre_step(name, flow, inputs)
            entered.append(w)
        if is_join:
            func(flow, inputs)
        else:
            func(flow)
    except BaseException as e:  # the decorators see the step's exception and may swallow it
        error = e
    for w in reversed(entered):
        try:
            w.post_step(name, flow, error)
            error = None
        except BaseException as e:
            error = e
    if error is not None:
        raise error


# ---- flow mutators -------------------------------------------------------------------------
class FlowMutator(object):
    """Decorates a flow class (`@M` or `@M(...)`); override `pre_mutate` / `mutate`."""

    def __init__(self, *args, **kwargs):
        self._flow_cls = None
        if args and isinstance(args[0], FlowMutator):
            args = (args[0]._flow_cls,) + args[1:]
        if args and isinstance(args[0], type):
            self._flow_cls = args[0]
            args = args[1:]
            self.init(*args, **kwargs)
            self._attach(self._flow_cls)
        else:
            self.init(*args, **kwargs)

    def init(self, *args, **kwargs):
        pass

    def __call__(self, flow_cls=None):
        # `@M` without parentheses leaves this object as the flow's name: calling it makes the flow.
        if flow_cls is None:
            if self._flow_cls is None:
                raise MutatorException("%s can only be applied to a flow class" % type(self).__name__)
            return self._flow_cls()
        if isinstance(flow_cls, FlowMutator):
            flow_cls = flow_cls._flow_cls
        return self._attach(flow_cls)

    def __mro_entries__(self, bases):
        return (self._flow_cls,)

    def _attach(self, flow_cls):
        self._flow_cls = flow_cls
        # Class decorators apply bottom-up: keep them top-first.
        facts_of(flow_cls).mutators.insert(0, self)
        return flow_cls

    def pre_mutate(self, mutable_flow):
        pass

    def mutate(self, mutable_flow):
        pass


def _flow_mutators(cls):
    out = []
    for klass in reversed(cls.__mro__):
        out.extend(facts_of(klass).mutators)
    return out


def run_mutators(cls):
    # `@StepMutator` without parentheses leaves the mutator as the class attribute: put the step back.
    for name, value in list(vars(cls).items()):
        if isinstance(value, UserStepDecoratorBase) and value._my_step is not None:
            setattr(cls, name, value._my_step)
    flow_mutators = _flow_mutators(cls)
    # Step names never start with "_"; skipping those leaves the lazily built `_graph` unbuilt.
    steps = [(n, getattr(cls, n)) for n in dir(cls) if not n.startswith("_") and getattr(getattr(cls, n, None), "is_step", False)]
    step_mutators = [(func, m) for _, func in steps for m in func.__dict__.get("config_decorators", [])]
    if not flow_mutators and not step_mutators:
        return
    # Imported only for flows that have mutators: most tasks never need it.
    from .mutable import MutableFlow, MutableStep

    for pre in (True, False):
        for m in flow_mutators:
            (m.pre_mutate if pre else m.mutate)(MutableFlow(cls, pre_mutate=pre))
        for func, m in step_mutators:
            (m.pre_mutate if pre else m.mutate)(MutableStep(cls, func, pre_mutate=pre))


def parse_decorator_spec(spec):
    """`"name"` or `"name(k=v, ...)"` with literal values -> (name, kwargs)."""
    try:
        node = ast.parse(spec.strip(), mode="eval").body
    except SyntaxError:
        raise MutatorException("Cannot read the decorator spec %r: write name or name(key=value, ...)" % spec)
    if isinstance(node, ast.Name):
        return node.id, {}
    # `name(**mapping)` has a keyword without a name: not a literal spec either.
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args and all(k.arg for k in node.keywords):
        try:
            return node.func.id, {str(k.arg): ast.literal_eval(k.value) for k in node.keywords}
        except ValueError:
            pass
    raise MutatorException("Cannot read the decorator spec %r: arguments must be literal keyword arguments" % spec)
