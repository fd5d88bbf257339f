"""`metaflow.client`: the client API (Flow, Run, Step, Task, namespaces), from `flowlens.client`."""

from flowlens.client import *  # noqa: F401,F403
from flowlens.client import __all__  # noqa: F401
