"""`metaflow.user_decorators.mutable_flow`: what a FlowMutator receives."""

from flowlens.mutable import MutableFlow  # noqa: F401
