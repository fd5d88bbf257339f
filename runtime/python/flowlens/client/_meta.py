"""Task metadata (`Task.metadata_dict`, `Task.metadata`).

Runs written by Metaflow carry it in `_meta/sysmeta_*.json`; for Flowlens runs it is
derived from the attempt files and the run record, under Metaflow's field names.
"""

from collections import namedtuple

from ._decode import to_datetime

Metadata = namedtuple("Metadata", ["name", "value", "created_at", "type", "task"])


def _flowlens_fields(task):
    run = task._step._run
    record = run._record() or {}
    layout = task._layout
    fields = {}
    state = task._state()
    if state.latest_started is not None:
        fields["attempt"] = str(task.current_attempt)
    if state.latest_done is not None:
        fields["attempt-done"] = str(state.latest_done)
    data = task._data()
    fields["ds-type"] = data.get("datastore") or layout.store.kind
    fields["ds-root"] = layout.store.root
    if data.get("python_version"):
        fields["python_version"] = str(data["python_version"])
    if record.get("user"):
        fields["user"] = str(record["user"])
    if record.get("origin_run_id"):
        fields["origin-run-id"] = str(record["origin_run_id"])
    if record.get("mode"):
        fields["runtime"] = "flowlens-%s" % record["mode"]
    package = record.get("code_package") or {}
    if package.get("key"):
        fields["code-package-url"] = layout.store.url(package["key"])
        if package.get("sha"):
            fields["code-package-sha"] = str(package["sha"])
    return fields


def task_metadata_list(task):
    metaflow_entries = task._metaflow_metadata()
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
    created = task.created_at
    return [Metadata(name=k, value=v, created_at=created, type=k, task=task) for k, v in _flowlens_fields(task).items()]


def task_metadata(task):
    """{name: value}; for repeated names the newest value wins, as in Metaflow."""
    return {m.name: m.value for m in task_metadata_list(task)}
