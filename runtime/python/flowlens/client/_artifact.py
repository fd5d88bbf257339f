"""DataArtifact and the attribute views of a task's artifacts (`task.data`, `task.artifacts`)."""

from ._base import MetaflowObject


class DataArtifact(MetaflowObject):
    _NAME = "artifact"

    def __init__(self, task, name, sha, info):
        MetaflowObject.__init__(self, task._layout, task.path_components + [name])
        self._task = task
        self.sha = sha
        self._info = info

    tags = property(lambda self: self._task.tags)
    user_tags = property(lambda self: self._task.user_tags)
    system_tags = property(lambda self: self._task.system_tags)

    @property
    def parent(self):
        return self._task

    @property
    def data(self):
        return self._task._load(self.id, self.sha)

    @property
    def size(self):
        return self._info.get("size")

    @property
    def type(self):
        return self._info.get("type")

    @property
    def created_at(self):
        return self._task.finished_at or self._task.created_at

    finished_at = created_at


class MetaflowData:
    """`task.data.<name>`: artifact values by attribute."""

    def __init__(self, task):
        self._task = task

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._task._artifact(name).data

    def __contains__(self, name):
        return name in self._task

    def __dir__(self):
        return sorted(self._task._data().get("objects", {}))

    def __repr__(self):
        return "<MetaflowData: %s>" % ", ".join(n for n in dir(self) if not n.startswith("_"))


class MetaflowArtifacts:
    """`task.artifacts.<name>`: DataArtifact objects by attribute; iterable."""

    def __init__(self, task):
        self._task = task

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._task._artifact(name)

    def __iter__(self):
        return iter(self._task)

    def __len__(self):
        return len(self._task._data().get("objects", {}))

    def __contains__(self, name):
        return name in self._task

    def __dir__(self):
        return sorted(self._task._data().get("objects", {}))
