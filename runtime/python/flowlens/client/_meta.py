"""Task metadata (`Task.metadata_dict`, `Task.metadata`).

Runs written by Metaflow carry it in `_meta/sysmeta_*.json`; for Flowlens runs (which write
those records too, for Metaflow's own client) it is
derived from the attempt files, the run record and the scheduler's task record, under
Metaflow's field names and with one record per attempt, as Metaflow's local metadata has:
`attempt` for every attempt that started, `attempt-done` for every one that finished, and
for a task `resume` reused from its origin run, `origin-task-id`.
"""

from collections import namedtuple

from .._layout import ATTEMPT_DONE, ATTEMPT_STARTED, task_record_key
from ._decode import load_json, to_datetime

Metadata = namedtuple("Metadata", ["name", "value", "created_at", "type", "task"])


def task_record(task):
    """The scheduler's record of a finished task (`_flowlens/tasks/<step>.<task>.json`), or {}."""
    flow, run, step, task_id = task.path_components
    value = load_json(task._layout.store.get(task_record_key(flow, run, step, task_id)))
    return value if isinstance(value, dict) else {}


def _run_fields(task):
    """Fields that hold for every attempt: where the data is, who ran it, the code package."""
    record = task._step._run._record() or {}
    layout = task._layout
    data = task._data()
    fields = {"ds-type": data.get("datastore") or layout.store.kind, "ds-root": layout.store.root}
    if data.get("python_version"):
        fields["python_version"] = str(data["python_version"])
    if record.get("user"):
        fields["user"] = str(record["user"])
    if record.get("origin_run_id"):
        fields["origin-run-id"] = str(record["origin_run_id"])
    package = record.get("code_package") or {}
    if package.get("key"):
        fields["code-package-url"] = layout.store.url(package["key"])
        if package.get("sha"):
            fields["code-package-sha"] = str(package["sha"])
    return fields


def _flowlens_entries(task):
    state = task._state()
    entries = []
    shared = _run_fields(task)
    cloned = (task_record(task).get("cloned") or {}) if shared.get("origin-run-id") else {}
    if task.index == 0 and task._step._is_parallel():
        shared["internal_task_type"] = "control"
    for attempt in sorted(state.started):
        started = to_datetime(task._time_of(attempt, ATTEMPT_STARTED))
        entries.append(("attempt", str(attempt), started))
        if cloned.get("taskId") is not None and attempt == max(state.started):
            entries.append(("origin-task-id", str(cloned["taskId"]), started))
        entries.extend((name, value, started) for name, value in shared.items())
        if attempt in state.done:
            entries.append(("attempt-done", str(attempt), to_datetime(task._time_of(attempt, ATTEMPT_DONE))))
    return [Metadata(name=n, value=v, created_at=t, type=n, task=task) for n, v, t in entries]


def task_metadata_list(task):
    # A Flowlens run also writes Metaflow's records (for Metaflow's client); its own files say more.
    metaflow_entries = None if task._step._run._record() else task._metaflow_metadata()
    if metaflow_entries:
        return [
            Metadata(
                name=m.get("field_name"),
                value=m.get("value"),
                created_at=to_datetime(m.get("ts_epoch")),
                type=m.get("type"),
                task=task,
            )
            for m in metaflow_entries
        ]
    return _flowlens_entries(task)


def task_metadata(task):
    """{name: value}; for repeated names the newest value wins, as in Metaflow."""
    return {m.name: m.value for m in task_metadata_list(task)}
