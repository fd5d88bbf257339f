"""The base class of card types, as Metaflow's card modules subclass it.

A card type is a class with a `type` name and `render(task) -> str` (the card's HTML).
Class flags say what the runtime may do with it: `ALLOW_USER_COMPONENTS` (components a step
appends reach it), `RUNTIME_UPDATABLE` (`render_runtime(task, data)` and `refresh(task,
data)` are called while the task runs), `RELOAD_POLICY` (when a viewer reloads it).
"""

import uuid

# One base class for every component, the components package's: `current.card` and the card
# types accept exactly what that package builds.
from .components import MetaflowCardComponent  # noqa: F401 (re-exported)


class MetaflowCard(object):
    RELOAD_POLICY_NEVER = "never"
    RELOAD_POLICY_ALWAYS = "always"
    RELOAD_POLICY_ONCHANGE = "onchange"
    RELOAD_POLICY_TOKEN = "[METAFLOW_RELOAD_TOKEN]"

    type = None
    ALLOW_USER_COMPONENTS = False
    RUNTIME_UPDATABLE = False
    RELOAD_POLICY = RELOAD_POLICY_NEVER
    scope = "task"
    runtime_data = None

    def __init__(self, options=None, components=None, graph=None, flow=None, **kwargs):
        pass

    def render(self, task):
        raise NotImplementedError("card type %s has no render method" % self.type)

    def render_runtime(self, task, data):
        raise NotImplementedError("card type %s cannot render while the task runs" % self.type)

    def refresh(self, task, data):
        raise NotImplementedError("card type %s has no refresh method" % self.type)

    def reload_content_token(self, task, data):
        return "content-token"


def new_component_id(component):
    """`<class name>_<6 hex>`, the id a component appended without one gets."""
    return "%s_%s" % (type(component).__name__.lower(), uuid.uuid4().hex[:6])


def with_default_component_id(func):
    """Decorates a component method so that the component has an id before it runs."""

    def wrapped(self, *args, **kwargs):
        if self.component_id is None:
            self.component_id = new_component_id(self)
        return func(self, *args, **kwargs)

    return wrapped
