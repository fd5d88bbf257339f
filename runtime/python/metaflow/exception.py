"""`metaflow.exception`, as flows and tests import it."""

from flowlens.exceptions import *  # noqa: F401,F403
from flowlens.exceptions import (  # noqa: F401
    MergeArtifactsException,
    MetaflowDataMissing,
    MetaflowException,
    MetaflowExceptionWrapper,
    MissingInMergeArtifactsException,
    UnhandledInMergeArtifactsException,
)
# The client's errors, as `from metaflow.exception import MetaflowNotFound` expects them.
from flowlens.client.exceptions import (  # noqa: F401,E402
    MetaflowInvalidPathspec,
    MetaflowNamespaceMismatch,
    MetaflowNotFound,
)
