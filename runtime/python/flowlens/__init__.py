"""Flowlens's Metaflow-compatible API: flows written for Metaflow run unchanged under Flowlens.

`from metaflow import FlowSpec, step, ...` resolves to this package through the thin
`metaflow` alias package beside it (the executor puts this folder first on PYTHONPATH).
"""

from .configs import Config, config_expr
from .current import current
from .decorators import (
    batch,
    card,
    catch,
    conda,
    conda_base,
    environment,
    kubernetes,
    parallel,
    project,
    pypi,
    pypi_base,
    resources,
    retry,
    schedule,
    secrets,
    step,
    timeout,
    trigger,
    trigger_on_finish,
)
from .exceptions import MetaflowException
from .flowspec import FlowSpec
from .mutators import FlowMutator, StepMutator, UserStepDecorator, user_step_decorator
from .parameters import IncludeFile, JSONType, Parameter
from .s3 import S3  # noqa: F401  (Metaflow's S3 data tool; boto3 loads only when one is made)
from .client import module_getattr as __getattr__  # client API names (Flow, Run, ...) load on first use

__version__ = "0.1.0"

__all__ = [
    "FlowSpec", "step", "Parameter", "IncludeFile", "JSONType", "current",
    "retry", "catch", "timeout", "resources", "environment", "batch", "parallel",
    "kubernetes", "conda", "conda_base", "pypi", "pypi_base", "card", "secrets",
    "project", "schedule", "trigger", "trigger_on_finish", "MetaflowException",
    "Config", "config_expr", "FlowMutator", "StepMutator", "UserStepDecorator", "user_step_decorator",
]
