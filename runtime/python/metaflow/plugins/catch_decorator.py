"""`metaflow.plugins.catch_decorator`: where `FailureHandledByCatch` lives, as in Metaflow."""

from flowlens.decorators import catch  # noqa: F401
from flowlens.exceptions import FailureHandledByCatch  # noqa: F401
