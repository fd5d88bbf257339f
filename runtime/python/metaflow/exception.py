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
