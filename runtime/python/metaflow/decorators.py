"""`metaflow.decorators`, for flows that import from the module itself."""

from flowlens.decorators import StepDecorator, step  # noqa: F401
