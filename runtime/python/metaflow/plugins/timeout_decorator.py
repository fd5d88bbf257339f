"""`metaflow.plugins.timeout_decorator`: where `TimeoutException` lives, as in Metaflow."""

from flowlens.exceptions import TimeoutException  # noqa: F401
from flowlens.decorators import timeout  # noqa: F401
