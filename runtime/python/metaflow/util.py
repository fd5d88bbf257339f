"""`metaflow.util`: the helpers of Metaflow's that flows and tests import."""


def is_stringish(x):
    """True for text and bytes (Metaflow's test: str, bytes and the unicode type of Python 2)."""
    return isinstance(x, (str, bytes))
