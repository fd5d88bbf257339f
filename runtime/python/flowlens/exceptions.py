"""Exceptions of the Metaflow-compatible API, named and worded as Metaflow's are."""

import traceback


class MetaflowException(Exception):
    """A user-facing error: a headline (the class's `headline`) and a message."""

    headline = "Flow failed"

    def __init__(self, msg="", lineno=None):
        self.message = msg
        self.line_no = lineno
        super().__init__(msg)

    def __str__(self):
        prefix = "line %d: " % self.line_no if self.line_no else ""
        return "%s%s" % (prefix, self.message)


class FlowlensUnsupported(MetaflowException):
    headline = "Not supported by Flowlens"


class InvalidNextException(MetaflowException):
    headline = "Invalid self.next() transition detected"


class MergeArtifactsException(MetaflowException):
    headline = "Merge artifacts error"

    def __init__(self, msg, names):
        super().__init__(msg)
        self.artifact_names = names


class UnhandledInMergeArtifactsException(MergeArtifactsException):
    headline = "Unhandled artifacts in merge"


class MissingInMergeArtifactsException(MergeArtifactsException):
    headline = "Missing artifacts in merge"


class MetaflowDataMissing(MetaflowException):
    headline = "Data missing"


class UnpicklableArtifactException(MetaflowException):
    headline = "Cannot pickle artifact"


class ParameterError(MetaflowException):
    headline = "Invalid parameter"


class TimeoutException(MetaflowException):
    headline = "@timeout"


class ExternalCommandFailed(MetaflowException):
    headline = "External command failed"


class FailureHandledByCatch(MetaflowException):
    """What @catch records when the step's process kept dying without raising (killed, crashed)."""

    headline = "Task execution failed but @catch handled it"

    def __init__(self, retry_count):
        super().__init__(
            "Task execution kept failing over %d attempts. Your code did not raise an exception. "
            "Something in the execution environment caused the failure." % retry_count
        )


class MetaflowExceptionWrapper(Exception):
    """What @catch stores in its artifact: picklable even when the original exception is not.

    Its pickle has Metaflow's own form: the class (named `metaflow.exception.MetaflowExceptionWrapper`,
    see `_name_as_metaflow`), built with no exception, then its fields as state. So the artifact
    loads under Metaflow's client, whose class takes its state the same way, and here.
    """

    def __init__(self, exc=None):
        if exc is not None:
            self.type = "%s.%s" % (type(exc).__module__, type(exc).__name__)
            self.exception = str(exc)
            self.stacktrace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        else:
            self.type = self.exception = self.stacktrace = None
        super().__init__(self.type, self.exception)

    def __reduce__(self):
        return (MetaflowExceptionWrapper, (None,), {"type": self.type, "exception": self.exception, "stacktrace": self.stacktrace})

    def __setstate__(self, state):
        # A wrapper pickled by Metaflow may lack a field (its stacktrace is set only inside an
        # `except`); the default None stays then.
        self.__dict__.update(state)
        self.args = (self.type, self.exception)

    def __str__(self):
        return "%s: %s" % (self.type, self.exception)

    def __repr__(self):
        return "MetaflowExceptionWrapper(%s)" % str(self)


def _rebuild_wrapper(type_, exception, stacktrace):
    """Loads the wrappers of runs stored before the wrapper took Metaflow's pickle form."""
    wrapper = MetaflowExceptionWrapper()
    wrapper.__setstate__({"type": type_, "exception": exception, "stacktrace": stacktrace})
    return wrapper


def _name_as_metaflow():
    """Gives each exception the module Metaflow defines it in.

    `@catch` artifacts and `Task.exception` record an exception's type as `module.Name`
    (`metaflow.plugins.timeout_decorator.TimeoutException`), and code compares those strings;
    each module named here re-exports the class, so pickles of these exceptions load too.
    """
    homes = {
        "metaflow.exception": [
            MetaflowException, ExternalCommandFailed, MergeArtifactsException, UnhandledInMergeArtifactsException,
            MissingInMergeArtifactsException, MetaflowDataMissing, MetaflowExceptionWrapper,
        ],
        "metaflow.flowspec": [InvalidNextException],
        "metaflow.plugins.timeout_decorator": [TimeoutException],
        "metaflow.plugins.catch_decorator": [FailureHandledByCatch],
    }
    for module, classes in homes.items():
        for cls in classes:
            cls.__module__ = module


_name_as_metaflow()
