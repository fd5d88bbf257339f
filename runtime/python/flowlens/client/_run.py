"""Run: one run of a flow, its record, tags, steps and status."""

import os
import socket
import time

from .._layout import CLAIM, HEARTBEAT, run_file_key
from . import _settings
from ._base import _ENDED_BADLY, MetaflowObject, _id_key, _step_class, split_pathspec
from ._decode import load_json, to_datetime, to_epoch
from ._tags import TagChanges
from .exceptions import ItemNotFound, MetaflowNamespaceMismatch, MetaflowNotFound, listing


# A run's process rewrites its heartbeat every 10 s; a minute without one means it is gone
# (runtime/src/datastore/liveness.ts uses the same figure).
_HEARTBEAT_STALE_SECONDS = 60


def _process_exists(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _flow_class():
    # core.py (Flow) lists runs with this module, so Flow is imported when first needed.
    from .core import Flow

    return Flow


class Run(MetaflowObject, TagChanges):
    _NAME = "run"

    def __init__(self, pathspec, _layout=None, _namespace_check=True):
        layout = _layout or _settings.current_layout()
        flow, run_id = split_pathspec(pathspec, "Run", 2)
        super().__init__(layout, [flow, run_id])
        self._cache = {}
        if not layout.exists_folder(flow, run_id):
            _flow_class()(flow, _layout=layout)  # names the flows when the flow itself is missing
            ids = sorted(layout.runs(flow), key=_id_key, reverse=True)
            raise MetaflowNotFound(
                "Run '%s' does not exist in %s. Runs of %s: %s"
                % (self.pathspec, layout.store.root, flow, listing(ids, keep_order=True))
            )
        if _namespace_check:
            self._check_namespace()

    @classmethod
    def _known(cls, layout, flow, run_id):
        """A Run for an id just listed: no existence or namespace check (the caller filters)."""
        run = cls.__new__(cls)
        MetaflowObject.__init__(run, layout, [flow, run_id])
        run._cache = {}
        return run

    @property
    def parent(self):
        return _flow_class()(self.path_components[0], _layout=self._layout)

    # Records and tags ----------------------------------------------------------------------
    def _record(self):
        if "record" not in self._cache:
            self._cache["record"] = self._layout.run_record(*self.path_components)
        return self._cache["record"]

    def _metaflow_self(self):
        if "mfself" not in self._cache:
            self._cache["mfself"] = None if self._record() else self._layout.metaflow_self(*self.path_components)
        return self._cache["mfself"]

    def _created_epoch(self):
        rec = self._record()
        if rec and rec.get("started_at") is not None:
            return to_epoch(rec["started_at"]) or 0.0
        mf = self._metaflow_self()
        if mf and mf.get("ts_epoch"):
            return mf["ts_epoch"] / 1000.0
        return to_epoch(self.id) if self.id.isdigit() and len(self.id) >= 13 else 0.0

    @property
    def created_at(self):
        epoch = self._created_epoch()
        return to_datetime(epoch) if epoch else None

    def _tag_sets(self):
        """(user tags, system tags), or None when nothing records them."""
        if "tag_sets" not in self._cache:
            self._cache["tag_sets"] = self._read_tag_sets()
        return self._cache["tag_sets"]

    def _read_tag_sets(self):
        rec = self._record()
        if rec:
            user_tags = set(t for t in rec.get("tags") or [] if isinstance(t, str))
            system = set()
            if rec.get("user"):
                system.add("user:%s" % rec["user"])
            version = (rec.get("python") or {}).get("version")
            if version:
                system.add("python_version:%s" % version)
            started = rec.get("started_at")
            if isinstance(started, str) and len(started) >= 10 and started[4] == "-":
                system.add("date:%s" % started[:10])
            elif started is not None:
                when = to_datetime(started)
                if when:
                    system.add("date:%s" % when.strftime("%Y-%m-%d"))
            system.add("runtime:flowlens")
            system.add("metaflow_version:flowlens-%s" % _flowlens_version())
            system.update(self._layout.run_system_tags(*self.path_components))
            return user_tags - system, system
        mf = self._metaflow_self()
        if mf:
            return set(mf.get("tags") or []), set(mf.get("system_tags") or [])
        return None

    @property
    def tags(self):
        sets = self._tag_sets()
        return frozenset(sets[0] | sets[1]) if sets else frozenset()

    @property
    def user_tags(self):
        sets = self._tag_sets()
        return frozenset(sets[0]) if sets else frozenset()

    @property
    def system_tags(self):
        sets = self._tag_sets()
        return frozenset(sets[1]) if sets else frozenset()

    def _in_namespace(self, ns):
        # A run nothing tags (neither a Flowlens record nor Metaflow metadata) is shown in every namespace.
        if ns is None:
            return True
        rec = self._record()
        if rec is not None and rec.get("user") and ns == "user:%s" % rec["user"]:
            return True  # the common case, without building every tag
        sets = self._tag_sets()
        return sets is None or ns in sets[0] or ns in sets[1]

    def _check_namespace(self):
        ns = _settings.get_namespace()
        if not self._in_namespace(ns):
            raise MetaflowNamespaceMismatch(
                "Run '%s' is not in the current namespace '%s' (its tags: %s). "
                "Use namespace(None) to see every run, or namespace('user:NAME')."
                % (self.pathspec, ns, listing(self.tags))
            )

    # Steps ------------------------------------------------------------------------------------
    def _step_names(self):
        if "steps" not in self._cache:
            self._cache["steps"] = self._layout.steps(*self.path_components)
        return self._cache["steps"]

    def _graph_steps(self, need_order=False):
        """Step names in graph order and the end step's name, from `_graph_info` when recorded."""
        if "graph" in self._cache and (self._cache["graph"][0] or not need_order):
            return self._cache["graph"]
        order, end = [], None
        names = self._step_names()
        if "start" in names and (need_order or "end" not in names):
            try:
                # A start step without a task fails here, and the except below expects that.
                info = _step_class()._known(self, "start").task.data._graph_info  # pyright: ignore[reportOptionalMemberAccess]
            except Exception:  # noqa: BLE001 - no start task yet, or no graph recorded
                info = None
            steps = info.get("steps") if isinstance(info, dict) else None
            if isinstance(steps, dict):
                order = list(steps)
                end = next((n for n, s in steps.items() if isinstance(s, dict) and s.get("type") == "end"), None)
            if isinstance(info, dict) and isinstance(info.get("end"), str):
                end = info["end"]
        self._cache["graph"] = (order, end or "end")
        return self._cache["graph"]

    def steps(self, *tags):
        if tags and not set(tags) <= self.tags:
            return iter([])
        return iter(self)

    def __iter__(self):
        """Steps, the most recent first (end ... start), as Metaflow orders them."""
        names = self._step_names()
        order, _ = self._graph_steps(need_order=True)
        rank = {n: i for i, n in enumerate(order)}
        names = sorted(names, key=lambda n: (rank.get(n, len(rank)), n))
        if not order:
            names.sort(key=lambda n: _step_class()._known(self, n)._created_epoch())
        return iter([_step_class()._known(self, n) for n in reversed(names)])

    def __getitem__(self, step_name):
        if step_name not in self._step_names():
            raise ItemNotFound(
                "Step '%s' does not exist in run %s. Steps there: %s"
                % (step_name, self.pathspec, listing(self._step_names()))
            )
        return _step_class()._known(self, step_name)

    def __contains__(self, step_name):
        return step_name in self._step_names()

    @property
    def end_task(self):
        _, end = self._graph_steps()
        if end not in self._step_names():
            return None
        return _step_class()._known(self, end).task

    # Status -------------------------------------------------------------------------------------
    @property
    def successful(self):
        rec = self._record()
        if rec and str(rec.get("status", "")).lower() in _ENDED_BADLY:
            return False
        end = self.end_task
        return bool(end is not None and end.successful)

    @property
    def finished(self):
        end = self.end_task
        return bool(end is not None and end.finished)

    @property
    def finished_at(self):
        end = self.end_task
        return end.finished_at if end is not None else None

    @property
    def status(self):
        """'succeeded', 'failed' (or the record's own word, e.g. 'cancelled'), 'crashed', or 'running'.

        'crashed': the run never ended and the process that ran it is gone: its heartbeat
        (`_flowlens/heartbeat.json`, rewritten every 10 s while it runs) names a process of this
        host that no longer exists, or is older than a minute. Runs without a heartbeat fall back
        to the pid in `_flowlens/claim` on a local store. It is never 'succeeded' unless the end
        task succeeded.
        """
        if self.successful:
            return "succeeded"
        rec = self._record()
        word = str((rec or {}).get("status", "")).lower()
        if word in _ENDED_BADLY:
            return word
        if self.finished:
            return "failed"
        if word in ("succeeded", "success", "completed", "done", "finished"):
            return "failed"  # the record says done, but the end task did not succeed
        if self._runner_gone():
            return "crashed"
        return "running"

    def _runner_gone(self):
        """True when the process that ran this run is known to be gone (see `status`)."""
        flow, run_id = self.path_components[:2]
        beat = load_json(self._layout.store.get(run_file_key(flow, run_id, HEARTBEAT)))
        if isinstance(beat, dict) and isinstance(beat.get("pid"), int) and isinstance(beat.get("time"), (int, float)):
            if beat.get("host") == socket.gethostname() and not _process_exists(beat["pid"]):
                return True
            return time.time() - beat["time"] > _HEARTBEAT_STALE_SECONDS
        if self._layout.store.kind != "local":
            return False
        body = self._layout.store.get(run_file_key(flow, run_id, CLAIM))
        try:
            pid = int((body or b"").decode("ascii").strip())
        except ValueError:
            return False
        return pid > 0 and not _process_exists(pid)

    @property
    def data(self):
        end = self.end_task
        return end.data if end is not None else None

    @property
    def origin_run_id(self):
        rec = self._record()
        return (rec or {}).get("origin_run_id")

    @property
    def origin_pathspec(self):
        """`Flow/run` of the run this one resumed, or None."""
        origin = self.origin_run_id
        return "%s/%s" % (self.path_components[0], origin) if origin else None

    @property
    def code(self):
        from ._code import MetaflowCode

        rec = self._record() or {}
        package = rec.get("code_package") or {}
        if not package.get("key"):
            return None
        return MetaflowCode(self, package, rec.get("file"))


def _flowlens_version():
    from .. import __version__

    return __version__
