"""`metaflow.user_decorators.user_flow_decorator`: flow decorators written by users."""

from flowlens.mutators import FlowMutator  # noqa: F401
