"""`metaflow.includefile`, for flows that import from the module itself."""

from flowlens.parameters import IncludeFile  # noqa: F401
