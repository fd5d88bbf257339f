"""Task: one task of a step, its attempts, artifacts, logs and metadata.

A task's data comes from its highest *finished* attempt (one with `<n>.DONE.lock`); an
attempt that started but never finished is never read. A task is `finished` only when its
newest attempt finished, so a retry in progress or a crashed attempt shows as unfinished.
"""

from ._artifact import DataArtifact, MetaflowArtifacts, MetaflowData
from ._base import MetaflowObject, split_pathspec
from ._decode import to_datetime, to_epoch
from .._layout import ATTEMPT_DONE, ATTEMPT_STARTED, AttemptState
from ._step import Step
from .exceptions import ArtifactNotFound, MetaflowNotFound, listing


class Task(MetaflowObject):
    _NAME = "task"

    def __init__(self, pathspec, attempt=None, _namespace_check=True, _layout=None):
        flow, run_id, step, task = split_pathspec(pathspec, "Task", 4)
        st = Step("%s/%s/%s" % (flow, run_id, step), _namespace_check=_namespace_check, _layout=_layout)
        if task not in st:
            raise MetaflowNotFound(
                "Task '%s' does not exist in step %s. Tasks there: %s" % (task, st.pathspec, listing(st._ids()))
            )
        self._init(st, task, attempt)

    tags = property(lambda self: self._step._run.tags)
    user_tags = property(lambda self: self._step._run.user_tags)
    system_tags = property(lambda self: self._step._run.system_tags)

    @classmethod
    def _known(cls, step, task_id):
        obj = cls.__new__(cls)
        obj._init(step, task_id, None)
        return obj

    def _init(self, step, task_id, attempt):
        MetaflowObject.__init__(self, step._layout, step.path_components + [task_id])
        self._step = step
        self._asked_attempt = attempt
        self._attempts = None
        self._data_json = {}
        self._values = {}

    @property
    def parent(self):
        return self._step

    # Attempts --------------------------------------------------------------------------------
    def _state(self):
        if self._attempts is None:
            self._attempts = AttemptState(self._layout.task_children(*self.path_components))
            if self._asked_attempt is not None and int(self._asked_attempt) not in self._attempts.started:
                raise MetaflowNotFound(
                    "Task %s has no attempt %s. Attempts that started: %s"
                    % (self.pathspec, self._asked_attempt, listing([str(a) for a in self._attempts.started]))
                )
        return self._attempts

    @property
    def current_attempt(self):
        """The attempt this object reads: the highest finished one, else the newest started one."""
        if self._asked_attempt is not None:
            self._state()
            return int(self._asked_attempt)
        state = self._state()
        return state.latest_done if state.latest_done is not None else state.latest_started

    def _read_attempt(self):
        """The attempt whose artifacts are read: only ever a finished one."""
        attempt = self.current_attempt
        return attempt if attempt is not None and attempt in self._state().done else None

    def _data(self):
        attempt = self._read_attempt()
        if attempt is None:
            return {"objects": {}, "info": {}}
        if attempt not in self._data_json:
            value = self._layout.data_json(*self.path_components, attempt)
            self._data_json[attempt] = value if value is not None else {"objects": {}, "info": {}}
        return self._data_json[attempt]

    def _time_of(self, attempt, suffix):
        if attempt is None:
            return None
        value = self._layout.attempt_json(*self.path_components, attempt, suffix)
        if isinstance(value, dict) and value.get("time") is not None:
            return to_epoch(value["time"])
        return self._metaflow_time(attempt, suffix)

    def _metaflow_time(self, attempt, suffix):
        # Metaflow's DONE.lock is empty; its local metadata records when attempts started and ended.
        field = "attempt-done" if suffix == ATTEMPT_DONE else "attempt"
        for meta in reversed(self._metaflow_metadata()):
            if meta.get("field_name") == field and str(meta.get("value")) == str(attempt):
                return (meta.get("ts_epoch") or 0) / 1000.0 or None
        return None

    def _metaflow_metadata(self):
        if "_mfmeta" not in self._values:
            self._values["_mfmeta"] = self._layout.metaflow_task_metadata(*self.path_components)
        return self._values["_mfmeta"]

    def _created_epoch(self):
        state = self._state()
        return self._time_of(min(state.started), ATTEMPT_STARTED) if state.started else None

    @property
    def created_at(self):
        return to_datetime(self._created_epoch())

    @property
    def finished(self):
        state = self._state()
        if self._asked_attempt is not None:
            return int(self._asked_attempt) in state.done
        return bool(state.started) and not state.in_progress

    @property
    def finished_at(self):
        if not self.finished:
            return None
        return to_datetime(self._time_of(self._read_attempt(), ATTEMPT_DONE))

    @property
    def successful(self):
        if not self.finished or "_task_ok" not in self._data()["objects"]:
            return False
        return bool(self["_task_ok"].data)

    # Artifacts -------------------------------------------------------------------------------
    def _artifact(self, name):
        data = self._data()
        sha = data.get("objects", {}).get(name)
        if sha is None:
            raise ArtifactNotFound(
                "Task %s has no artifact '%s'%s. Artifacts there: %s"
                % (self.pathspec, name, self._why_empty(), listing(n for n in data.get("objects", {}) if not n.startswith("_")))
            )
        return DataArtifact(self, name, sha, (data.get("info") or {}).get(name) or {})

    def _why_empty(self):
        if self._read_attempt() is not None:
            return ""
        state = self._state()
        if not state.started:
            return " (the task has not started)"
        return " (no attempt has finished: attempt %d is running or crashed)" % state.latest_started

    def __getitem__(self, name):
        return self._artifact(name)

    def __contains__(self, name):
        return name in self._data().get("objects", {})

    def __iter__(self):
        objects = self._data().get("objects", {})
        return iter([self._artifact(n) for n in objects])

    @property
    def artifacts(self):
        return MetaflowArtifacts(self)

    @property
    def data(self):
        return MetaflowData(self)

    def _load(self, name, sha):
        if sha not in self._values:
            self._values[sha] = self._layout.load_blob(self.path_components[0], sha)
        return self._values[sha]

    @property
    def exception(self):
        return self["_exception"].data if "_exception" in self else None

    @property
    def index(self):
        """Position of this task in its innermost foreach, or None outside a foreach."""
        if "_foreach_stack" not in self:
            return None
        stack = self["_foreach_stack"].data
        return frame_index(stack[-1]) if stack else None

    # Logs ------------------------------------------------------------------------------------
    def _log_attempt(self):
        return self.current_attempt

    def loglines(self, stream, as_unicode=True, meta_dict=None):
        """(timestamp, line) for each line of 'stdout' or 'stderr', oldest first."""
        if stream not in ("stdout", "stderr"):
            raise ValueError("loglines(): stream is 'stdout' or 'stderr', got %r" % (stream,))
        attempt = self._log_attempt()
        if attempt is None:
            return iter([])
        lines = self._layout.logs(*self.path_components, attempt, stream)
        if not as_unicode:
            lines = [(ts, line.encode("utf-8")) for ts, line in lines]
        return iter(lines)

    def _log_text(self, stream):
        # Every line ends with its newline, the last one too, as in Metaflow.
        return "".join(line + "\n" for _, line in self.loglines(stream))

    @property
    def stdout(self):
        return self._log_text("stdout")

    @property
    def stderr(self):
        return self._log_text("stderr")

    @property
    def origin_pathspec(self):
        """The task `resume` copied this one from (`Flow/run/step/task`), or None for a task that ran."""
        step_origin = self._step.origin_pathspec
        if not step_origin:
            return None
        origin_task = self.metadata_dict.get("origin-task-id")
        return "%s/%s" % (step_origin, origin_task) if origin_task else None

    # Lineage ---------------------------------------------------------------------------------
    @property
    def parent_task_pathspecs(self):
        """Pathspecs of the tasks whose artifacts this task started from (none for the start step)."""
        from ._meta import task_record

        flow = self.path_components[0]
        for path in task_record(self).get("inputPaths") or []:
            if path.split("/")[1:2] != ["_parameters"]:
                yield "%s/%s" % (flow, path)

    @property
    def parent_tasks(self):
        for pathspec in self.parent_task_pathspecs:
            yield Task(pathspec, _namespace_check=False, _layout=self._layout)

    @property
    def child_task_pathspecs(self):
        """Pathspecs of the tasks that started from this task's artifacts."""
        from ._meta import task_record

        me = "/".join(self.path_components[1:])
        for child_step in self._step.child_steps:
            for task in child_step:
                if me in (task_record(task).get("inputPaths") or []):
                    yield task.pathspec

    @property
    def child_tasks(self):
        for pathspec in self.child_task_pathspecs:
            yield Task(pathspec, _namespace_check=False, _layout=self._layout)

    # Metadata --------------------------------------------------------------------------------
    @property
    def metadata_dict(self):
        from ._meta import task_metadata

        return task_metadata(self)

    @property
    def metadata(self):
        from ._meta import task_metadata_list

        return task_metadata_list(self)


def frame_index(frame):
    """Index of one `_foreach_stack` frame: Flowlens's (index, num_splits, value) or Metaflow's ForeachFrame."""
    if isinstance(frame, dict):
        return frame.get("index")
    fields = getattr(type(frame), "_fields", None)
    if fields and "index" in fields:
        return getattr(frame, "index")
    if type(frame).__name__ == "ForeachFrame" and len(frame) >= 4:
        return frame[3]  # Metaflow: (step, var, num_splits, index, value)
    return frame[0]
