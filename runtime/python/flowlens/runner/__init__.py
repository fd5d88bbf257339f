"""Metaflow's Runner API (`from metaflow import Runner`), running flows through Flowlens."""

from ._runner import ExecutingRun, ExecutingTask, Runner

__all__ = ["Runner", "ExecutingRun", "ExecutingTask"]
