"""`current`: what the running task knows about itself. Outside a task every field is None."""

from collections import namedtuple
from typing import Optional

# What `current.parallel` holds in a task of an @parallel step (all nodes run on this machine).
Parallel = namedtuple("Parallel", ["main_ip", "num_nodes", "node_index", "control_task_id"])


class Current(object):
    def __init__(self):
        self._reset()

    def _reset(self):
        self._flow_name = None
        self._run_id = None
        self._step_name = None
        self._task_id = None
        self._retry_count = None
        self._origin_run_id = None
        self._pathspec = None
        self._is_running = False
        self._tempdir = None
        self._username = None
        self._tags = frozenset()
        self._parameter_names = []
        self._namespace = None
        self._parallel: Optional[Parallel] = None
        self._project = {}
        self._card: Optional[object] = None  # a flowlens.cards.collector.CardCollector in a step with @card

    def _set(self, flow_name, run_id, step_name, task_id, retry_count, origin_run_id, pathspec, tempdir, username, tags, parameter_names):
        self._flow_name = flow_name
        self._run_id = run_id
        self._step_name = step_name
        self._task_id = task_id
        self._retry_count = retry_count
        self._origin_run_id = origin_run_id
        self._pathspec = pathspec
        self._is_running = True
        self._tempdir = tempdir
        self._username = username
        self._tags = frozenset(tags or [])
        self._parameter_names = list(parameter_names)
        self._namespace = "user:%s" % username if username else None

    flow_name = property(lambda self: self._flow_name)
    run_id = property(lambda self: self._run_id)
    step_name = property(lambda self: self._step_name)
    task_id = property(lambda self: self._task_id)
    retry_count = property(lambda self: self._retry_count)
    origin_run_id = property(lambda self: self._origin_run_id)
    pathspec = property(lambda self: self._pathspec)
    is_running_flow = property(lambda self: self._is_running)
    @property
    def tempdir(self):
        # Made on first use: most steps never ask, and a folder costs two file-system calls.
        if callable(self._tempdir):
            self._tempdir = self._tempdir()
        return self._tempdir
    username = property(lambda self: self._username)
    # A set of its own each time: a step may keep it as an artifact and add to it, as under Metaflow.
    tags = property(lambda self: set(self._tags))
    parameter_names = property(lambda self: self._parameter_names)
    namespace = property(lambda self: self._namespace)
    # Set by @project (flowlens/_project.py); None without it, as in Metaflow.
    project_name = property(lambda self: self._project.get("project_name"))
    branch_name = property(lambda self: self._project.get("branch_name"))
    project_flow_name = property(lambda self: self._project.get("project_flow_name"))
    is_user_branch = property(lambda self: self._project.get("is_user_branch"))
    is_production = property(lambda self: self._project.get("is_production", False))
    parallel = property(lambda self: self._parallel)

    @property
    def card(self):
        """The running step's cards (flowlens/cards/collector.py); only in a step with @card."""
        if self._card is None:
            raise AttributeError("current.card exists only while a step with @card runs: add @card to the step")
        return self._card

    @property
    def task(self):
        """The running task as a client object (`flowlens.client.Task`), outside any namespace."""
        return self._client_object("Task", self._pathspec)

    @property
    def run(self):
        """The running run as a client object (`flowlens.client.Run`), outside any namespace."""
        return self._client_object("Run", "/".join(self._pathspec.split("/")[:2]) if self._pathspec else None)

    def _client_object(self, kind, pathspec):
        if not pathspec:
            return None
        from . import client

        return getattr(client, kind)(pathspec, _namespace_check=False)

    def _set_project(self, info):
        self._project = dict(info or {})

    def get(self, name, default=None):
        return getattr(self, name, default)

    def __contains__(self, name):
        return getattr(self, name, None) is not None

    def __repr__(self):
        return "current(%s)" % (self._pathspec or "not running")


current = Current()
