"""Metaflow's local metadata records of each attempt (docs/compatibility.md, "Metaflow's own client").

Metaflow's own client (`metaflow.Task`, `Run`, `get_cards`, `python flow.py card get`) finds
runs, steps, tasks, artifacts and a task's datastore through a metadata provider; the local
one reads JSON files in a `_meta/` folder beside each object of the local datastore:

    <Flow>/_meta/_self.json, <Flow>/<run>/_meta/_self.json, <Flow>/<run>/<step>/_meta/_self.json,
    <Flow>/<run>/<step>/<task>/_meta/_self.json       the object itself (run: tags, system tags)
    .../<task>/_meta/sysmeta_<field>_<ms>.json         one metadata field of one attempt
    .../<task>/_meta/<attempt>_artifact_<name>.json    where an artifact of that attempt is stored

`AttemptRecords` writes them at the three moments Metaflow does: `started` when the attempt
starts (the objects and the attempt's fields), `stored` once its artifacts are stored (both by
the task's own process, so that a thousand tasks do not queue behind one writer), and `done`
after its DONE.lock (`_finish.finish_attempt`), because Metaflow's
client takes the artifacts of the attempt the newest `attempt-done` names.

The records live in a local folder, as Metaflow's local provider keeps them, also when the
artifacts are on S3. In a remote container (FLOWLENS_RECORDS_IN_DATASTORE=1) the container's disk
goes with it, and a file per record would be a request per record (twenty for a trivial task):
there the attempt's records travel as one object, `<attempt>.metaflow_records.json`
(`{"records": {key: file text}}`), written when the attempt starts and again, whole, when it is
done; the machine running the run unpacks it into its folder once the attempt has ended
(runtime/src/executors/remote/metadataRecords.ts), keeping a record it already has, so the
flow's, run's and step's records, which every task carries, are checked by no task.
"""

import getpass
import json
import os
import sys
import time

from ._layout import ATTEMPT_MF_RECORDS, SYSTEM_TAGS, artifact_meta_record, meta_self_key, run_file_key, task_meta_record
from ._storage import LocalStorage, datastore_root

PYTHON_VERSION = "%d.%d.%d" % sys.version_info[:3]
RECORDS_IN_DATASTORE = "FLOWLENS_RECORDS_IN_DATASTORE"
# Set by the launcher of a container when its folder already has the run's record.
RUN_RECORDED = "FLOWLENS_MF_RUN_RECORDED"


def records_storage(ds_storage, env=None):
    """Where the records go: the local datastore itself; with artifacts on S3, the local folder
    Metaflow's local provider reads (the local root rule), or the datastore in a container."""
    env = os.environ if env is None else env
    if ds_storage.kind == "local" or env.get(RECORDS_IN_DATASTORE) == "1":
        return ds_storage
    return LocalStorage(datastore_root("local", env))


def system_tags(user, extra=()):
    """The system tags Flowlens's own client gives a run (client/_run.py), but the date."""
    from . import __version__

    tags = ["runtime:flowlens", "python_version:%s" % PYTHON_VERSION, "user:%s" % user, "metaflow_version:flowlens-%s" % __version__]
    return sorted(set(tags) | set(extra))


def _dumps(doc):
    return json.dumps(doc, separators=(",", ":")).encode("utf-8")


class AttemptRecords(object):
    """The records of one attempt of one task. Failing to write them never fails the task: it is
    said on stderr, and only Metaflow's client misses the attempt."""

    # In a container: the one instance of each attempt in this process, so that the records the
    # task's moments add go into the same object.
    _bundled = {}

    @classmethod
    def of(cls, ds, spec, env=None):
        """The records of the attempt `spec` names (in a container, this process's one instance for it)."""
        records = cls(ds, spec, env)
        if records.bundle_key is None:
            return records
        return cls._bundled.setdefault(records.bundle_key, records)

    def __init__(self, ds, spec, env=None):
        ref = spec["ref"]
        env = os.environ if env is None else env
        self.ds = ds
        self.spec = spec
        self.flow, self.run_id, self.step, self.task_id = spec["flowName"], str(ref["runId"]), ref["step"], str(ref["taskId"])
        self.attempt = int(ref.get("attempt", 0))
        self.user = spec.get("user") or env.get("METAFLOW_USER") or getpass.getuser()
        self.storage = records_storage(ds.storage, env)
        # In a container: the attempt's one object, and its records (key -> file text) so far.
        self.bundle_key = None
        if env.get(RECORDS_IN_DATASTORE) == "1":
            self.bundle_key = ds.attempt_key(self.run_id, self.step, self.task_id, self.attempt, ATTEMPT_MF_RECORDS)
        self.run_recorded = self.bundle_key is not None and env.get(RUN_RECORDED) == "1"
        self.bundle = {}
        self._unsaved = False
        self._read_back = False

    def started(self, started):
        """When the attempt starts: the flow, run, step and task records and the attempt's fields,
        as Metaflow registers them before the step runs, so an attempt killed before it stored
        anything is still one of the task's attempts."""
        try:
            self._started(int(started * 1000))
            self._save()
        except Exception as e:
            self._warn(e)

    def stored(self, ok, objects, info):
        """After data.json: the objects' records and `attempt_ok` (in a container, saved with `done`)."""
        try:
            self._stored(ok, objects, info)
        except Exception as e:
            self._warn(e)

    def done(self):
        """After DONE.lock: `attempt-done`, written last."""
        try:
            self._field("attempt-done", str(self.attempt), int(round(time.time() * 1000)))
            self._save()
        except Exception as e:
            self._warn(e)

    def save(self):
        """In a container: saves the records not saved yet (those of `stored`, when this process
        will not finish the attempt)."""
        try:
            self._save()
        except Exception as e:
            self._warn(e)

    def _save(self):
        """Writes the attempt's object with every record so far, when one is not yet in it. An
        instance that did not see the attempt start (the attempt finished by a process of its
        own) adds its records to the object the task's process wrote."""
        if self.bundle_key is None or not self._unsaved:
            return
        if not self._read_back:
            body = self.ds.storage.get(self.bundle_key)
            merged = json.loads(body.decode("utf-8")).get("records", {}) if body else {}
            merged.update(self.bundle)
            self.bundle = merged
        self._read_back = True  # from now on this instance holds every record of the object
        self.ds.storage.put(self.bundle_key, _dumps({"records": self.bundle}))
        self._unsaved = False

    def _started(self, started):
        self._read_back = True  # the attempt starts here: there is no object to add to
        run_self = meta_self_key(self.flow, self.run_id)
        # In a container the run's record travels unless the launcher has it (it keeps the one
        # it has); here it is written once, by the run's first task.
        if not self.run_recorded and (self.bundle_key is not None or not self.storage.exists(run_self)):
            # The project's tags (`@project`) are system tags of the run, recorded by its first task.
            project = self.ds.read_json(run_file_key(self.flow, self.run_id, SYSTEM_TAGS)) or {}
            day = "date:%s" % time.strftime("%Y-%m-%d", time.gmtime(started / 1000.0))
            # The run's record is the one that carries the tags; Metaflow's provider copies them
            # onto the run's steps, tasks and artifacts when it reads them.
            run_doc = {
                "flow_id": self.flow, "run_number": self.run_id, "user_name": self.user, "ts_epoch": started,
                "tags": list(self.spec.get("tags") or []),
                "system_tags": system_tags(self.user, [day] + list(project.get("system_tags") or ())),
            }
            self._put(meta_self_key(self.flow), {"flow_id": self.flow, "ts_epoch": started}, overwrite=False)
            self._put(run_self, run_doc, overwrite=False)
        # A step's and a task's tags are the run's: Metaflow's local provider puts the run's tags
        # and system tags on every step, task and artifact it reads, so they are not repeated here.
        ids = dict(flow_id=self.flow, run_number=self.run_id, step_name=self.step, user_name=self.user, ts_epoch=started)
        self._put(meta_self_key(self.flow, self.run_id, self.step), ids, overwrite=False)
        self._put(meta_self_key(self.flow, self.run_id, self.step, self.task_id), dict(ids, task_id=self.task_id), overwrite=False)
        # The fields Metaflow's client reads: the attempts, where the data is, a resumed run's
        # origin. Who ran it and with which Python are the run's system tags; each record is a
        # file, and creating files is most of what this costs.
        self._field("attempt", str(self.attempt), started)
        self._field("ds-type", self.ds.storage.kind, started)
        self._field("ds-root", self.ds.storage.root, started)
        if self.spec.get("originRunId"):
            self._field("origin-run-id", str(self.spec["originRunId"]), started)

    def _stored(self, ok, objects, info):
        now = int(round(time.time() * 1000))
        # Each artifact's record says where its value is and what it is; the tags come from the
        # run's record when Metaflow's provider reads it (see `_started`), and nothing reads a user
        # on an artifact. A trivial task has a dozen artifacts, so every field counts a dozen times.
        where = {
            "flow_id": self.flow, "run_number": self.run_id, "step_name": self.step, "task_id": self.task_id, "attempt_id": self.attempt,
            "ds_type": self.ds.storage.kind, "location": ":root:%s" % self.ds.storage.root, "type": "metaflow.artifact", "ts_epoch": now,
        }
        for name, sha in objects.items():
            encoding = (info.get(name) or {}).get("encoding", "gzip+pickle-v4")
            doc = dict(where, name=name, sha=sha, content_type=encoding)
            self._put(artifact_meta_record(self.flow, self.run_id, self.step, self.task_id, self.attempt, name), doc)
        self._field("attempt_ok", str(bool(ok)), now, "internal_attempt_status")

    def _field(self, name, value, at, kind=None):
        doc = {
            "flow_id": self.flow, "run_number": self.run_id, "step_name": self.step, "task_id": self.task_id,
            "field_name": name, "type": kind or name, "value": value, "tags": ["attempt_id:%d" % self.attempt],
            "user_name": self.user, "ts_epoch": at,
        }
        self._put(task_meta_record(self.flow, self.run_id, self.step, self.task_id, name, at), doc)

    def _put(self, key, doc, overwrite=True):
        if self.bundle_key is not None:
            if overwrite or key not in self.bundle:
                self.bundle[key] = _dumps(doc).decode("utf-8")
                self._unsaved = True
            return
        # Per-attempt records have names of their own (the attempt, or its time, is in the name).
        self.storage.put(key, _dumps(doc), overwrite=overwrite)

    def _warn(self, error):
        sys.stderr.write("[flowlens] could not write the Metaflow metadata records of %s: %s\n" % (self.spec.get("pathspec"), error))
        sys.stderr.flush()


def retag_run(ds_storage, flow, run_id, tags):
    """Keeps the run's `_self` record in step with a change of its user tags (Metaflow's client reads them there)."""
    storage = records_storage(ds_storage)
    key = meta_self_key(flow, run_id)
    body = storage.get(key)
    if body is None:
        return
    doc = json.loads(body.decode("utf-8"))
    doc["tags"] = sorted(tags)
    storage.put(key, _dumps(doc))
