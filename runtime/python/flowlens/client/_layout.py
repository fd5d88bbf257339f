"""The datastore layout of runtime/README.md, read over a Store (once, for local and S3).

Keys, relative to the root:
  <Flow>/<run>/_flowlens/run.json                 Flowlens's run record
  <Flow>/<run>/<step>/<task>/<n>.attempt.json     attempt n started
  <Flow>/<run>/<step>/<task>/<n>.data.json        artifact name -> sha, and info
  <Flow>/<run>/<step>/<task>/<n>.DONE.lock        attempt n finished (written last)
  <Flow>/<run>/<step>/<task>/<n>.<src>_<stream>.log
  <Flow>/data/<sha[:2]>/<sha>[_meta]              artifact blobs
Runs written by Metaflow also have `_meta/` folders (its local metadata provider) at the
flow, run, step and task levels; they supply tags, times and task metadata when present.
"""

import re

from ._decode import BlobDamaged, decode_blob, load_json, merge_logs, parse_log
from .exceptions import MetaflowDataDamaged

_ATTEMPT_FILE = re.compile(r"^(\d+)\.(attempt\.json|DONE\.lock|data\.json)$")
# Log sources: Flowlens writes "runtime"; Metaflow writes "runtime" and "task" (mflog).
LOG_SOURCES = ("runtime", "task")


def folders(names):
    """Folder names among children, without internal ones (`_meta`, `_parameters`, `_flowlens`)."""
    return [n[:-1] for n in names if n.endswith("/") and not n.startswith(("_", "."))]


class AttemptState:
    """Which attempts of a task started and which finished (DONE.lock present)."""

    def __init__(self, names):
        self.started = set()
        self.done = set()
        self.with_data = set()
        for name in names:
            m = _ATTEMPT_FILE.match(name)
            if not m:
                continue
            n = int(m.group(1))
            kind = m.group(2)
            if kind == "attempt.json":
                self.started.add(n)
            elif kind == "DONE.lock":
                self.done.add(n)
            else:
                self.with_data.add(n)
        # An attempt that finished has started, even if its start record is missing.
        self.started |= self.done

    @property
    def latest_started(self):
        return max(self.started) if self.started else None

    @property
    def latest_done(self):
        """The highest finished attempt: the one readers take. Unfinished ones are never read."""
        return max(self.done) if self.done else None

    @property
    def in_progress(self):
        """True when the newest attempt started but has not finished (running, or crashed)."""
        return bool(self.started) and self.latest_started not in self.done


class Layout:
    """Reads flows, runs, steps, tasks, attempts, artifacts and logs from one store."""

    def __init__(self, store):
        self.store = store

    # Listing -----------------------------------------------------------------------------
    def flows(self):
        return sorted(folders(self.store.children("")))

    def runs(self, flow):
        return [n for n in folders(self.store.children(flow + "/")) if n != "data"]

    def steps(self, flow, run):
        return folders(self.store.children("%s/%s/" % (flow, run)))

    def tasks(self, flow, run, step):
        return folders(self.store.children("%s/%s/%s/" % (flow, run, step)))

    def task_children(self, flow, run, step, task):
        return self.store.children("%s/%s/%s/%s/" % (flow, run, step, task))

    def exists_folder(self, *parts):
        return bool(self.store.children("/".join(parts) + "/"))

    # Records -----------------------------------------------------------------------------
    def run_record(self, flow, run):
        record = load_json(self.store.get("%s/%s/_flowlens/run.json" % (flow, run)))
        return record if isinstance(record, dict) else None

    def run_system_tags(self, flow, run):
        """System tags the run's tasks recorded (`@project`'s), beside run.json; [] when none."""
        value = load_json(self.store.get("%s/%s/_flowlens/system_tags.json" % (flow, run)))
        tags = value.get("system_tags") if isinstance(value, dict) else None
        return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []

    def metaflow_self(self, *parts):
        """Metaflow's `_meta/_self.json` of a flow, run, step or task, or None."""
        value = load_json(self.store.get("/".join(parts) + "/_meta/_self.json"))
        return value if isinstance(value, dict) else None

    def metaflow_task_metadata(self, flow, run, step, task):
        """Metaflow's task metadata (`_meta/sysmeta_*.json`) as a list of dicts, oldest first."""
        prefix = "%s/%s/%s/%s/_meta/" % (flow, run, step, task)
        out = []
        for name in self.store.children(prefix):
            if name.startswith("sysmeta_") and name.endswith(".json"):
                value = load_json(self.store.get(prefix + name))
                if isinstance(value, dict):
                    out.append(value)
        out.sort(key=lambda m: m.get("ts_epoch") or 0)
        return out

    def attempt_file(self, flow, run, step, task, attempt, suffix):
        return self.store.get("%s/%s/%s/%s/%d.%s" % (flow, run, step, task, attempt, suffix))

    def attempt_json(self, flow, run, step, task, attempt, suffix):
        return load_json(self.attempt_file(flow, run, step, task, attempt, suffix))

    def data_json(self, flow, run, step, task, attempt):
        """An attempt's data.json; MetaflowDataDamaged when it is there but does not parse as one."""
        key = "%s/%s/%s/%s/%d.data.json" % (flow, run, step, task, attempt)
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
        return "%s/data/%s/%s" % (flow, sha[:2], sha)

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
            body = self.attempt_file(flow, run, step, task, attempt, "%s_%s.log" % (source, stream))
            if body:
                parsed.append(parse_log(body))
        if not parsed:
            return []
        return merge_logs(parsed)
