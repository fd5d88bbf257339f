"""`metaflow.tuple_util`: where foreach frames (`ForeachFrame`) are pickled from, as in Metaflow."""

from flowlens._frames import ForeachFrame  # noqa: F401
