"""The client's reader of the datastore (runtime/README.md), over a Store, local or S3.

Every key comes from `flowlens._layout`, the module the task side writes by, so the two agree
on where each file lives. Runs written by Metaflow also have `_meta/` folders (its local
metadata provider) at the flow, run, step and task levels; they supply tags, times and task
metadata when present.
"""

from .. import _layout as keys
from .._layout import LOG_SOURCES, AttemptState, folders
from ._decode import BlobDamaged, decode_blob, load_json, merge_logs, parse_log
from .exceptions import MetaflowDataDamaged

__all__ = ["Layout", "AttemptState", "LOG_SOURCES", "folders"]


class Layout:
    """Reads flows, runs, steps, tasks, attempts, artifacts and logs from one store."""

    def __init__(self, store):
        self.store = store

    # Listing -----------------------------------------------------------------------------
    def flows(self):
        return sorted(folders(self.store.children("")))

    def runs(self, flow):
        return [n for n in folders(self.store.children(keys.flow_prefix(flow))) if n != keys.BLOBS]

    def steps(self, flow, run):
        return folders(self.store.children(keys.run_prefix(flow, run)))

    def tasks(self, flow, run, step):
        return folders(self.store.children(keys.step_prefix(flow, run, step)))

    def task_children(self, flow, run, step, task):
        return self.store.children(keys.task_prefix(flow, run, step, task))

    def exists_folder(self, *parts):
        return bool(self.store.children("/".join(parts) + "/"))

    # Records -----------------------------------------------------------------------------
    def run_record(self, flow, run):
        record = load_json(self.store.get(keys.run_file_key(flow, run, keys.RUN_RECORD)))
        return record if isinstance(record, dict) else None

    def run_system_tags(self, flow, run):
        """System tags the run's tasks recorded (`@project`'s), beside run.json; [] when none."""
        value = load_json(self.store.get(keys.run_file_key(flow, run, keys.SYSTEM_TAGS)))
        tags = value.get("system_tags") if isinstance(value, dict) else None
        return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []

    def metaflow_self(self, *parts):
        """Metaflow's `_meta/_self.json` of a flow, run, step or task, or None."""
        value = load_json(self.store.get(keys.meta_self_key(*parts)))
        return value if isinstance(value, dict) else None

    def metaflow_task_metadata(self, flow, run, step, task):
        """Metaflow's task metadata (`_meta/sysmeta_*.json`) as a list of dicts, oldest first."""
        prefix = keys.meta_prefix(flow, run, step, task)
        out = []
        for name in self.store.children(prefix):
            if keys.is_task_meta_record(name):
                value = load_json(self.store.get(prefix + name))
                if isinstance(value, dict):
                    out.append(value)
        out.sort(key=lambda m: m.get("ts_epoch") or 0)
        return out

    def attempt_file(self, flow, run, step, task, attempt, suffix):
        return self.store.get(keys.attempt_key(flow, run, step, task, attempt, suffix))

    def attempt_json(self, flow, run, step, task, attempt, suffix):
        return load_json(self.attempt_file(flow, run, step, task, attempt, suffix))

    def data_json(self, flow, run, step, task, attempt):
        """An attempt's data.json; MetaflowDataDamaged when it is there but does not parse as one."""
        key = keys.attempt_key(flow, run, step, task, attempt, keys.ATTEMPT_DATA)
        body = self.store.get(key)
        if body is None:
            return None
        value = load_json(body)
        if not isinstance(value, dict) or not isinstance(value.get("objects"), dict):
            reason = "not valid JSON" if value is None else "no \"objects\" map"
            raise MetaflowDataDamaged(self.store.url(key), reason, "the artifacts of task %s/%s/%s/%s" % (flow, run, step, task))
        return value

    # Artifacts and logs --------------------------------------------------------------------
    def blob_key(self, flow, sha):
        return keys.blob_key(flow, sha)

    def load_blob(self, flow, sha):
        key = self.blob_key(flow, sha)
        body = self.store.get(key)
        if body is None:
            # A blob a resume found damaged is kept beside, as `<sha>.damaged`, until a task stores it whole again.
            aside = self.store.get(key + ".damaged") is not None
            reason = "missing: a resume found it damaged and set it aside as %s.damaged" % sha if aside else "missing"
            raise MetaflowDataDamaged(self.store.url(key), reason, "artifact blob %s" % sha)
        meta = load_json(self.store.get(key + "_meta")) if self.store.kind == "local" else None
        try:
            return decode_blob(body, meta, sha)
        except BlobDamaged as e:
            raise MetaflowDataDamaged(self.store.url(key), str(e), "artifact blob %s" % sha) from None

    def logs(self, flow, run, step, task, attempt, stream):
        """[(datetime, line)] of one stream of one attempt, all log sources merged by time."""
        parsed = []
        for source in LOG_SOURCES:
            body = self.attempt_file(flow, run, step, task, attempt, keys.log_suffix(source, stream))
            if body:
                parsed.append(parse_log(body))
        if not parsed:
            return []
        return merge_logs(parsed)
