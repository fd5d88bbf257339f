"""`metaflow.includefile`, for flows and tests that import from the module itself."""

from flowlens.parameters import IncludeFile  # noqa: F401


class IncludedFile(object):
    """Metaflow's wrapper of an included file's descriptor. Flowlens stores an IncludeFile's
    value as the file's content itself, so no artifact is ever one of these."""

    def __init__(self, descriptor):
        self.descriptor = descriptor
