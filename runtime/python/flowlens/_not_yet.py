"""Metaflow names that flows import but Flowlens does not run yet.

Importing them works, so that a flow which imports more than it uses (as generated and
templated flows do) still runs; using one fails at once, naming the feature, before any step
of the flow runs (the flow module is loaded before its first task).
"""

from .exceptions import FlowlensUnsupported


def _refuse(name):
    raise FlowlensUnsupported("%s is not supported by Flowlens yet: remove it to run here, or run this flow with Metaflow itself." % name)


class _Refused(object):
    """Base of the refused classes: making one (or subclassing and making one) says what is not supported."""

    _feature = "this Metaflow feature"

    def __init__(self, *args, **kwargs):
        _refuse(self._feature)


class Config(_Refused):
    _feature = "Config"


class FlowMutator(_Refused):
    _feature = "FlowMutator"


class StepMutator(_Refused):
    _feature = "StepMutator"


class UserStepDecorator(_Refused):
    _feature = "UserStepDecorator"


def config_expr(*args, **kwargs):
    _refuse("config_expr")


def user_step_decorator(*args, **kwargs):
    _refuse("user_step_decorator")
