"""`metaflow.client.core`, for code that imports the client classes from the module itself."""

from flowlens.client import *  # noqa: F401,F403
