"""What a mutator sees: MutableFlow (configs, parameters, steps, flow decorators) and MutableStep."""

from typing import Any, Dict

from . import decorators as _decorators
from .configs import config_values
from .mutators import MutatorException, UserStepDecoratorBase, parse_decorator_spec
from .parameters import Parameter

IGNORE, OVERRIDE, ERROR = 1, 2, 3


def _step_decorator_function(name):
    fn = getattr(_decorators, name, None) or _decorators.unsupported_step_decorators.get(name)
    if fn is None or not hasattr(fn, "decorator_class"):
        raise MutatorException("No step decorator named @%s" % name)
    return fn


class MutableStep(object):
    def __init__(self, flow_cls, func, pre_mutate=False):
        self._flow_cls = flow_cls
        self._func = func
        self._pre_mutate = pre_mutate

    @property
    def name(self):
        return self._func.__name__

    @property
    def flow(self):
        return MutableFlow(self._flow_cls, self._pre_mutate)

    @property
    def decorator_specs(self):
        """(name, full name, args, kwargs) of each decorator on the step."""
        for d in self._func.decorators:
            yield d.name, d.name, [], dict(d.attributes)

    def has_decorator(self, name):
        return any(d.name == name for d in self._func.decorators)

    def add_decorator(self, deco_type, deco_args=None, deco_kwargs=None, duplicates=IGNORE):
        if isinstance(deco_type, type) and issubclass(deco_type, UserStepDecoratorBase):
            deco_type(*(deco_args or []), **(deco_kwargs or {}))(self._func)
            return
        kwargs: Dict[str, Any]
        if isinstance(deco_type, str):
            name, kwargs = parse_decorator_spec(deco_type)
            kwargs.update(deco_kwargs or {})
        else:
            name = getattr(deco_type, "__name__", None)
            kwargs = dict(deco_kwargs or {})
        fn = _step_decorator_function(name)
        if self.has_decorator(name):
            if duplicates == ERROR:
                raise MutatorException("Step *%s* already has a decorator @%s" % (self.name, name))
            if duplicates == IGNORE:
                return
            self.remove_decorator(name)
        fn(**kwargs)(self._func)

    def remove_decorator(self, deco_name, deco_args=None, deco_kwargs=None):
        before = len(self._func.decorators)
        self._func.decorators[:] = [
            d for d in self._func.decorators if not (d.name == deco_name and all(d.attributes.get(k) == v for k, v in (deco_kwargs or {}).items()))
        ]
        return len(self._func.decorators) != before


class MutableFlow(object):
    def __init__(self, flow_cls, pre_mutate=False):
        self._flow_cls = flow_cls
        self._pre_mutate = pre_mutate

    @property
    def configs(self):
        for name, value in config_values(self._flow_cls).items():
            yield name, value

    @property
    def parameters(self):
        from ._inputs import parameters_of

        for attr, p in parameters_of(self._flow_cls).items():
            yield attr, p

    @property
    def steps(self):
        cls = self._flow_cls
        for name in dir(cls):
            if name.startswith("_"):
                continue  # never a step; reading `_graph` would build it
            func = getattr(cls, name, None)
            if getattr(func, "is_step", False):
                yield name, MutableStep(cls, func, self._pre_mutate)

    def add_parameter(self, name, value, overwrite=False):
        if not self._pre_mutate:
            raise MutatorException("Parameters can only be added in pre_mutate")
        if not isinstance(value, Parameter):
            raise MutatorException("add_parameter(%r, ...) takes a Parameter" % name)
        if hasattr(self._flow_cls, name) and not overwrite:
            raise MutatorException("Flow %s already has an attribute %r: pass overwrite=True to replace it" % (self._flow_cls.__name__, name))
        setattr(self._flow_cls, name, value)

    def remove_parameter(self, name):
        if not self._pre_mutate:
            raise MutatorException("Parameters can only be removed in pre_mutate")
        for klass in self._flow_cls.__mro__:
            if isinstance(vars(klass).get(name), Parameter):
                delattr(klass, name)
                return True
        return False

    @property
    def decorator_specs(self):
        for d in getattr(self._flow_cls, "_flow_decorators", []) or []:
            yield d["name"], d["name"], [], dict(d["attributes"])

    def add_decorator(self, deco_type, deco_args=None, deco_kwargs=None, duplicates=IGNORE):
        kwargs: Dict[str, Any]
        if isinstance(deco_type, str):
            name, kwargs = parse_decorator_spec(deco_type)
            kwargs.update(deco_kwargs or {})
        else:
            name, kwargs = getattr(deco_type, "__name__", None), dict(deco_kwargs or {})
        fn = getattr(_decorators, name, None) if isinstance(name, str) else None
        if fn is None or name not in ("project", "schedule", "trigger", "trigger_on_finish", "conda_base", "pypi_base"):
            raise MutatorException("No flow decorator named @%s" % name)
        if any(d["name"] == name for d in getattr(self._flow_cls, "_flow_decorators", []) or []):
            if duplicates == ERROR:
                raise MutatorException("Flow %s already has a decorator @%s" % (self._flow_cls.__name__, name))
            if duplicates == IGNORE:
                return
            self.remove_decorator(name)
        fn(**kwargs)(self._flow_cls)

    def remove_decorator(self, deco_name, deco_args=None, deco_kwargs=None):
        existing = list(getattr(self._flow_cls, "_flow_decorators", []) or [])
        kept = [d for d in existing if d["name"] != deco_name]
        self._flow_cls._flow_decorators = kept
        return len(kept) != len(existing)
