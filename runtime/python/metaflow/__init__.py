"""Flowlens's stand-in for `metaflow`: the same names, implemented by the `flowlens` package.

Flows keep `from metaflow import FlowSpec, step, ...`; under Flowlens this folder comes first
on PYTHONPATH, so this module wins even where the real Metaflow is installed. Names of the
client API (Flow, Run, Step, Task, namespace, ...) come from `flowlens.client` on first use.
"""

from flowlens import *  # noqa: F401,F403
from flowlens import __all__ as _flowlens_all
from flowlens import __version__  # noqa: F401
from flowlens.exceptions import MetaflowException  # noqa: F401
from flowlens.parameters import JSONTypeClass  # noqa: F401
from flowlens.s3 import S3  # noqa: F401  (module attribute, so __getattr__ below never refuses it)
from flowlens.configs import Config, ConfigValue, config_expr  # noqa: F401
from flowlens.mutators import FlowMutator, StepMutator, UserStepDecorator, user_step_decorator  # noqa: F401

__all__ = list(_flowlens_all)
FLOWLENS = True

_CLIENT_NAMES = {
    "Flow", "Run", "Step", "Task", "DataArtifact", "Metaflow", "namespace", "get_namespace",
    "default_namespace", "get_metadata", "metadata", "default_metadata", "inspect_spin",
}
_CLIENT_NAMES.update(("MetaflowNotFound", "MetaflowNamespaceMismatch", "MetaflowInvalidPathspec"))  # client API errors


def __getattr__(name):
    if name in _CLIENT_NAMES:
        try:
            from flowlens import client
        except ImportError as e:
            raise ImportError("metaflow.%s needs Flowlens's client API (flowlens.client), which is not available: %s" % (name, e))
        return getattr(client, name)
    if name == "Runner":
        from flowlens.runner import Runner

        return Runner
    if name in ("NBRunner", "Deployer", "NBDeployer"):
        raise ImportError("metaflow.%s is not supported by Flowlens, which runs flows without Metaflow." % name)
    raise AttributeError("module 'metaflow' has no attribute %r" % name)
