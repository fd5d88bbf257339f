"""`metaflow.metaflow_current`: the module that holds `current` in Metaflow."""

from flowlens.current import Current, current  # noqa: F401
