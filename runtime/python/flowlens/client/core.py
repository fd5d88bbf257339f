"""Metaflow's client objects above the run level: Metaflow (every flow) and Flow (its runs).

Objects capture the datastore current when they are made (like Metaflow's, which keep
their metadata provider), so `metadata()` later does not change an object in hand.
"""

from . import _settings
from ._base import MetaflowObject, _id_key, split_pathspec
from ._run import Run
from .exceptions import MetaflowNotFound, listing


class Metaflow:
    """Entry point: every flow in the current datastore."""

    def __init__(self):
        self._layout = _settings.current_layout()

    @property
    def flows(self):
        return list(self)

    def __iter__(self):
        ns = _settings.get_namespace()
        for name in self._layout.flows():
            flow = Flow(name, _layout=self._layout)
            if ns is None or flow._any_run_visible():
                yield flow

    def __getitem__(self, name):
        return Flow(name, _layout=self._layout)

    def __repr__(self):
        return "Metaflow()"


class Flow(MetaflowObject):
    _NAME = "flow"

    def __init__(self, pathspec, _layout=None, _namespace_check=True):
        layout = _layout or _settings.current_layout()
        (name,) = split_pathspec(pathspec, "Flow", 1)
        super().__init__(layout, [name])
        # `latest_run` is written by Flowlens and Metaflow alike: one stat instead of a listing.
        if not layout.store.exists(name + "/latest_run") and not layout.runs(name):
            raise MetaflowNotFound(
                "Flow '%s' does not exist in the datastore at %s. Flows there: %s"
                % (name, layout.store.root, listing(layout.flows()))
            )

    # A flow carries no tags of its own (its runs do), as in Metaflow.
    tags = property(lambda self: frozenset())
    user_tags = property(lambda self: frozenset())
    system_tags = property(lambda self: frozenset())

    def _recorded_latest(self):
        raw = self._layout.store.get(self.id + "/latest_run")
        run_id = raw.decode("utf-8", "replace").strip() if raw else ""
        if not run_id or not self._layout.exists_folder(self.id, run_id):
            return None
        return Run._known(self._layout, self.id, run_id)

    def _unsorted_runs(self):
        return [Run._known(self._layout, self.id, rid) for rid in self._layout.runs(self.id)]

    def _all_runs(self):
        runs = self._unsorted_runs()
        runs.sort(key=lambda r: (r._created_epoch(), _id_key(r.id)), reverse=True)
        return runs

    def _any_run_visible(self):
        return any(r._in_namespace(_settings.get_namespace()) for r in self._all_runs())

    def __iter__(self):
        """Runs in the current namespace, newest first."""
        ns = _settings.get_namespace()
        return iter([r for r in self._all_runs() if r._in_namespace(ns)])

    def runs(self, *tags):
        """Runs in the current namespace carrying every one of `tags`, newest first."""
        wanted = set(tags)
        return iter([r for r in self if wanted <= r.tags])

    @property
    def latest_run(self):
        ns = _settings.get_namespace()
        # `<Flow>/latest_run` names the run started last, which is the newest one: when it is in
        # the namespace, no other run record needs reading (a flow may have thousands).
        latest = self._recorded_latest()
        if latest is not None and latest._in_namespace(ns):
            return latest
        runs = [r for r in self._unsorted_runs() if r._in_namespace(ns)]
        return max(runs, key=lambda r: (r._created_epoch(), _id_key(r.id))) if runs else None

    @property
    def latest_successful_run(self):
        for run in self:
            if run.successful:
                return run
        return None

    def __getitem__(self, run_id):
        return Run("%s/%s" % (self.id, run_id), _layout=self._layout)

    def __contains__(self, run_id):
        return run_id in self._layout.runs(self.id)

    @property
    def created_at(self):
        runs = self._all_runs()
        return runs[-1].created_at if runs else None
