"""`@step` and the step decorators.

A step function carries `is_step`, `name`, `decorators` (the StepDecorator objects above
`@step`, top first) and the start/end annotations. The harness reads them; nothing runs at
decoration time except argument checks, so importing a flow never has side effects.
"""


from .exceptions import FlowlensUnsupported, MetaflowException


class BadStepDecoratorException(MetaflowException):
    headline = "Syntax error"


class StepDecorator(object):
    """One decorator on one step: its name and attributes (defaults filled in)."""

    name = None
    defaults = {}
    supported = True

    def __init__(self, attributes=None, statically_defined=True):
        self.attributes = dict(self.defaults)
        for key, value in (attributes or {}).items():
            if key not in self.defaults and self.defaults:
                raise BadStepDecoratorException("@%s does not take an argument named *%s* (it takes %s)." % (self.name, key, ", ".join(sorted(self.defaults))))
            self.attributes[key] = value
        self.statically_defined = statically_defined

    def __repr__(self):
        return "@%s(%s)" % (self.name, ", ".join("%s=%r" % kv for kv in sorted(self.attributes.items())))


def _make_step_decorator(name, defaults, supported=True, doc=None, allow_multiple=False):
    cls = type(name + "Decorator", (StepDecorator,), {"name": name, "defaults": dict(defaults), "supported": supported, "allow_multiple": allow_multiple})

    def decorator(f=None, **kwargs):
        def apply(func):
            if not getattr(func, "is_step", False):
                raise BadStepDecoratorException(
                    "@%s decorates *%s*, which is not a step: put @%s above @step." % (name, getattr(func, "__name__", func), name)
                )
            if not allow_multiple and any(d.name == name for d in func.decorators):
                raise BadStepDecoratorException("Step *%s* already has a decorator @%s: use it once." % (func.name, name))
            # Decorators apply bottom-up; keep them top-first as written.
            func.decorators.insert(0, cls(kwargs))
            return func

        if f is None:
            return apply
        return apply(f)

    decorator.__name__ = name
    decorator.__doc__ = doc or "The @%s step decorator." % name
    decorator.decorator_class = cls
    return decorator


def step(f=None, start=False, end=False):
    """Marks a method as a step. `@step(start=True)` / `@step(end=True)` annotate start and end."""

    def apply(func):
        func.is_step = True
        func.name = func.__name__
        func.decorators = []
        func.start_annotated = bool(start)
        func.end_annotated = bool(end)
        func.wrappers = []
        return func

    if f is None:
        return apply
    return apply(f)


retry = _make_step_decorator("retry", {"times": 3, "minutes_between_retries": 2})
catch = _make_step_decorator("catch", {"var": None, "print_exception": True})
timeout = _make_step_decorator("timeout", {"seconds": 0, "minutes": 0, "hours": 0})
resources = _make_step_decorator("resources", {"cpu": 1, "gpu": None, "disk": None, "memory": 4096, "shared_memory": None})
environment = _make_step_decorator("environment", {"vars": {}})
parallel = _make_step_decorator("parallel", {})
# @batch takes many attributes (image, queue, iam_role, cpu, memory, ...): record whatever is given.
batch = _make_step_decorator("batch", {})
# @kubernetes too (cpu, memory, image, namespace, ...): the Kubernetes executor reads them.
kubernetes = _make_step_decorator("kubernetes", {})

# Decorators Flowlens records but does not run: a step that carries one fails with a message naming it.
# @card: several per step; flowlens/cards renders them after the step (and live on refresh).
card = _make_step_decorator(
    "card",
    {"type": "default", "id": None, "options": {}, "scope": "task", "rank": None, "timeout": 45, "save_errors": True, "customize": False, "refresh_interval": 5},
    doc="Makes a card, a report of the step, after the step runs (several @card may decorate a step).",
    allow_multiple=True,
)

_UNSUPPORTED_STEP = ["conda", "pypi", "secrets", "nvidia", "checkpoint", "model", "huggingface_hub", "unbounded_test_foreach", "fast_bakery"]
unsupported_step_decorators = {}
for _name in _UNSUPPORTED_STEP:
    unsupported_step_decorators[_name] = _make_step_decorator(_name, {}, supported=False)

conda = unsupported_step_decorators["conda"]
pypi = unsupported_step_decorators["pypi"]
secrets = unsupported_step_decorators["secrets"]


def timeout_seconds(attributes):
    """Total seconds of a @timeout's attributes (0 when none)."""
    return int(attributes.get("seconds") or 0) + 60 * int(attributes.get("minutes") or 0) + 3600 * int(attributes.get("hours") or 0)


def _flow_decorator(name, supported):
    def decorator(cls=None, **kwargs):
        def apply(flow_cls):
            existing = list(flow_cls.__dict__.get("_flow_decorators", []))
            existing.append({"name": name, "attributes": kwargs, "supported": supported})
            flow_cls._flow_decorators = existing
            return flow_cls

        if cls is None:
            return apply
        return apply(cls)

    decorator.__name__ = name
    return decorator


# Flow decorators that only matter when a flow is deployed (schedules, triggers, projects) are recorded and ignored.
project = _flow_decorator("project", True)
schedule = _flow_decorator("schedule", True)
trigger = _flow_decorator("trigger", True)
trigger_on_finish = _flow_decorator("trigger_on_finish", True)
conda_base = _flow_decorator("conda_base", False)
pypi_base = _flow_decorator("pypi_base", False)


def unsupported_message(decorator_name, where):
    return (
        "@%s (%s) is not supported by Flowlens, which runs flows without Metaflow: "
        "remove it to run here, or run this flow with Metaflow itself." % (decorator_name, where)
    )


def check_supported(flow_cls, func):
    """Raises FlowlensUnsupported when the step or the flow carries a decorator Flowlens does not run."""
    for d in getattr(func, "decorators", []):
        if not d.supported:
            raise FlowlensUnsupported(unsupported_message(d.name, "on step *%s*" % func.name))
    for d in getattr(flow_cls, "_flow_decorators", []):
        if not d["supported"]:
            raise FlowlensUnsupported(unsupported_message(d["name"], "on flow *%s*" % flow_cls.__name__))
