"""`metaflow.parameters`, for flows that import from the module itself."""

from flowlens.parameters import JSONType, JSONTypeClass, Parameter, ParameterContext  # noqa: F401
