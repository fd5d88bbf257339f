"""`metaflow.flowspec`, for flows that import FlowSpec from the module itself."""

from flowlens.flowspec import FlowSpec  # noqa: F401
from flowlens.exceptions import InvalidNextException  # noqa: F401,E402
