"""Step: the tasks of one step of a run."""

from ._base import MetaflowObject, _id_key, split_pathspec
from ._decode import to_datetime
from ._run import Run
from .exceptions import ItemNotFound, MetaflowNotFound, listing


def _task_class():
    # _task.py builds on this module, so it is imported when first needed.
    from ._task import Task

    return Task


class Step(MetaflowObject):
    _NAME = "step"

    def __init__(self, pathspec, _namespace_check=True, _layout=None):
        flow, run_id, step = split_pathspec(pathspec, "Step", 3)
        run = Run("%s/%s" % (flow, run_id), _layout=_layout, _namespace_check=_namespace_check)
        if step not in run:
            raise MetaflowNotFound(
                "Step '%s' does not exist in run %s. Steps there: %s"
                % (step, run.pathspec, listing(run._step_names()))
            )
        self._init(run, step)

    @classmethod
    def _known(cls, run, step):
        obj = cls.__new__(cls)
        obj._init(run, step)
        return obj

    def _init(self, run, step):
        MetaflowObject.__init__(self, run._layout, run.path_components + [step])
        self._run = run
        self._task_ids = None

    @property
    def parent(self):
        return self._run

    def _ids(self):
        if self._task_ids is None:
            self._task_ids = self._layout.tasks(*self.path_components)
        return self._task_ids

    def _created_epoch(self):
        tasks = [_task_class()._known(self, t) for t in self._ids()]
        epochs = [t._created_epoch() for t in tasks]
        return min([e for e in epochs if e] or [0.0])

    @property
    def created_at(self):
        epoch = self._created_epoch()
        return to_datetime(epoch) if epoch else None

    @property
    def finished_at(self):
        ends = [t.finished_at for t in self]
        return max(ends) if ends and all(ends) else None  # pyright: ignore[reportArgumentType] (all() rules out None)

    def __iter__(self):
        """Tasks, newest first (by task id, which the runtime hands out in order)."""
        ids = sorted(self._ids(), key=_id_key, reverse=True)
        return iter([_task_class()._known(self, t) for t in ids])

    # A step, its tasks and their artifacts carry their run's tags, as in Metaflow.
    tags = property(lambda self: self._run.tags)
    user_tags = property(lambda self: self._run.user_tags)
    system_tags = property(lambda self: self._run.system_tags)

    def tasks(self, *tags):
        if tags and not set(tags) <= self._run.tags:
            return iter([])
        return iter(self)

    def control_tasks(self, *tags):
        """The control task of an @parallel step (its node 0, which Metaflow runs as the control task)."""
        for task in self.tasks(*tags):
            if task.metadata_dict.get("internal_task_type") == "control":
                yield task

    def _is_parallel(self):
        node = self._graph_steps().get(self.id) or {}
        return any(d.get("name") == "parallel" for d in node.get("decorators") or [])

    @property
    def task(self):
        """One task of the step (the first one for a foreach: the one with the lowest id)."""
        ids = sorted(self._ids(), key=_id_key)
        return _task_class()._known(self, ids[0]) if ids else None

    def __getitem__(self, task_id):
        if task_id not in self._ids():
            raise ItemNotFound(
                "Task '%s' does not exist in step %s. Tasks there: %s"
                % (task_id, self.pathspec, listing(self._ids()))
            )
        return _task_class()._known(self, task_id)

    def _graph_steps(self):
        task = self.task
        if task is None or "_graph_info" not in task:
            return {}
        return (task["_graph_info"].data or {}).get("steps") or {}

    @property
    def child_steps(self):
        """The steps this step's tasks go on to (in this run), from the flow's graph."""
        node = self._graph_steps().get(self.id) or {}
        for name in node.get("next") or []:
            if name in self._run:
                yield Step._known(self._run, name)

    @property
    def parent_steps(self):
        """The steps with a transition into this one (in this run), from the flow's graph."""
        for name, node in self._graph_steps().items():
            if self.id in (node.get("next") or []) and name in self._run:
                yield Step._known(self._run, name)

    @property
    def origin_pathspec(self):
        """This step in the run this one resumed, or None."""
        run_origin = self._run.origin_pathspec
        return "%s/%s" % (run_origin, self.id) if run_origin else None

    def __contains__(self, task_id):
        return task_id in self._ids()
