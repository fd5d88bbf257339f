"""`metaflow.user_decorators.mutable_step`: what a StepMutator receives."""

from flowlens.mutable import MutableStep  # noqa: F401
