"""Metaflow's local metadata records of each finished attempt, read back by our own reading of
the format (docs/compatibility.md, "Metaflow's own client"): `_meta/_self.json` of the flow,
run, step and task, `sysmeta_<field>_<ms>.json` per field, `<attempt>_artifact_<name>.json`."""

import glob
import json
import os

FLOW = """
from metaflow import FlowSpec, step

class RecordsFlow(FlowSpec):
    @step
    def start(self):
        self.x = 41
        self.next(self.end)

    @step
    def end(self):
        self.y = self.x + 1

    @step
    def broken(self):
        raise ValueError("no")
"""


def _json(path):
    with open(path) as f:
        return json.load(f)


def _fields(meta_dir):
    """{field: [records]} of one task's sysmeta files, oldest first."""
    out = {}
    for path in sorted(glob.glob(os.path.join(meta_dir, "sysmeta_*.json")), key=lambda p: _json(p)["ts_epoch"]):
        doc = _json(path)
        assert os.path.basename(path) == "sysmeta_%s_%d.json" % (doc["field_name"], doc["ts_epoch"])
        out.setdefault(doc["field_name"], []).append(doc)
    return out


def test_records_of_a_run(runner_for):
    r = runner_for(FLOW, "RecordsFlow")
    r.params()
    assert r.run("start", ["1/_parameters/0"])[0]["ok"]
    assert r.run("end", ["1/start/1"])[0]["ok"]
    base = os.path.join(r.root, "RecordsFlow")

    assert _json(os.path.join(base, "_meta", "_self.json"))["flow_id"] == "RecordsFlow"
    run = _json(os.path.join(base, "1", "_meta", "_self.json"))
    assert run["run_number"] == "1" and run["flow_id"] == "RecordsFlow" and run["user_name"] == "tester"
    assert run["tags"] == ["t1"] and "user:tester" in run["system_tags"] and "runtime:flowlens" in run["system_tags"]
    assert any(t.startswith("date:") for t in run["system_tags"])
    for step, task in (("_parameters", "0"), ("start", "1"), ("end", "2")):
        assert _json(os.path.join(base, "1", step, "_meta", "_self.json"))["step_name"] == step
        me = _json(os.path.join(base, "1", step, task, "_meta", "_self.json"))
        assert (me["run_number"], me["step_name"], me["task_id"]) == ("1", step, task)

    meta = os.path.join(base, "1", "end", "2", "_meta")
    fields = _fields(meta)
    assert [d["value"] for d in fields["attempt"]] == ["0"]
    assert fields["ds-type"][0]["value"] == "local" and fields["ds-root"][0]["value"] == r.root
    assert fields["attempt_ok"][0]["value"] == "True" and fields["attempt_ok"][0]["type"] == "internal_attempt_status"
    assert [d["value"] for d in fields["attempt-done"]] == ["0"]
    assert all(d["tags"] == ["attempt_id:0"] for ds in fields.values() for d in ds)
    assert fields["attempt-done"][0]["ts_epoch"] >= fields["attempt"][0]["ts_epoch"]

    data = r.json("1/end/2", "0.data.json")
    assert data["objects"]["_success"] == data["objects"]["_task_ok"]
    records = {os.path.basename(p): _json(p) for p in glob.glob(os.path.join(meta, "0_artifact_*.json"))}
    assert sorted(records) == sorted("0_artifact_%s.json" % n for n in data["objects"])
    y = records["0_artifact_y.json"]
    assert y["sha"] == data["objects"]["y"] and y["location"] == ":root:%s" % r.root and y["ds_type"] == "local"
    assert y["content_type"] == data["info"]["y"]["encoding"] and y["type"] == "metaflow.artifact" and y["attempt_id"] == 0


def test_a_failed_attempt_then_a_retry(runner_for):
    r = runner_for(FLOW, "RecordsFlow")
    r.params()
    assert not r.run("broken", ["1/_parameters/0"])[0]["ok"]
    meta = os.path.join(r.root, "RecordsFlow", "1", "broken", "1", "_meta")
    fields = _fields(meta)
    assert fields["attempt_ok"][0]["value"] == "False"
    # A failed attempt is finished too (its artifacts are stored), as in Metaflow.
    assert [d["value"] for d in fields["attempt-done"]] == ["0"]
    r.next_task = 1
    assert not r.run("broken", ["1/_parameters/0"], attempt=1)[0]["ok"]
    fields = _fields(meta)
    assert [d["value"] for d in fields["attempt"]] == ["0", "1"]
    assert fields["attempt"][1]["tags"] == ["attempt_id:1"]
    assert os.path.exists(os.path.join(meta, "1_artifact__task_ok.json"))


class _FakeS3(object):
    """An S3 storage in memory that counts its requests."""

    kind = "s3"
    root = "s3://bucket/prefix"

    def __init__(self):
        self.objects = {}
        self.requests = []

    def put(self, key, data, overwrite=True, metadata=None):
        self.requests.append(("put", key))
        if overwrite or key not in self.objects:
            self.objects[key] = data

    def get(self, key):
        self.requests.append(("get", key))
        return self.objects.get(key)

    def exists(self, key):
        self.requests.append(("exists", key))
        return key in self.objects


class _FakeDatastore(object):
    def __init__(self):
        self.storage = _FakeS3()
        self.flow_name = "F"

    def read_json(self, key):
        body = self.storage.get(key)
        return None if body is None else json.loads(body)

    def attempt_key(self, run_id, step, task_id, attempt, suffix):
        return "F/%s/%s/%s/%d.%s" % (run_id, step, task_id, attempt, suffix)


SPEC = {"ref": {"runId": "5", "step": "a", "taskId": "7", "attempt": 0}, "flowName": "F", "user": "u", "tags": []}


def test_records_of_an_s3_run_go_to_the_local_folder(tmp_path, monkeypatch):
    """Artifacts on S3, records in the local folder Metaflow's local provider reads."""
    from flowlens._mfmeta import AttemptRecords

    monkeypatch.setenv("METAFLOW_DATASTORE_SYSROOT_LOCAL", str(tmp_path))
    ds = _FakeDatastore()
    records = AttemptRecords(ds, SPEC)
    records.started(1.0)
    records.stored(True, {"v": "ab"}, {})
    art = _json(str(tmp_path / ".metaflow" / "F" / "5" / "a" / "7" / "_meta" / "0_artifact_v.json"))
    assert art["location"] == ":root:s3://bucket/prefix" and art["ds_type"] == "s3"
    assert ds.storage.objects == {}


def _bundle(ds):
    return json.loads(ds.storage.objects["F/5/a/7/0.metaflow_records.json"])["records"]


def test_in_a_container_the_records_travel_as_one_object(monkeypatch):
    """In a container the attempt's records are one object: written at the start (an attempt
    killed later still counts) and whole at the end, two requests for every record there is;
    the run's record is not read for, nor sent, when the launcher says it has it."""
    from flowlens._mfmeta import RECORDS_IN_DATASTORE, RUN_RECORDED, AttemptRecords

    monkeypatch.setenv(RECORDS_IN_DATASTORE, "1")
    AttemptRecords._bundled.clear()
    ds = _FakeDatastore()
    records = AttemptRecords.of(ds, SPEC)
    records.started(1.0)
    started = _bundle(ds)
    assert sorted(k for k in started if k.endswith("_self.json")) == ["F/5/_meta/_self.json", "F/5/a/7/_meta/_self.json", "F/5/a/_meta/_self.json", "F/_meta/_self.json"]
    assert json.loads(started["F/5/a/7/_meta/sysmeta_attempt_1000.json"])["value"] == "0"
    records.stored(True, {"v": "ab", "w": "cd"}, {})
    assert _bundle(ds) == started, "the stored records wait for the end"
    assert AttemptRecords.of(ds, SPEC) is records, "one instance for the attempt in this process"
    AttemptRecords.of(ds, SPEC).done()
    final = _bundle(ds)
    assert set(started) < set(final)
    assert json.loads(final["F/5/a/7/_meta/0_artifact_w.json"])["sha"] == "cd"
    assert any(k.startswith("F/5/a/7/_meta/sysmeta_attempt-done_") for k in final)
    writes = [r for r in ds.storage.requests if r[0] == "put"]
    assert writes == [("put", "F/5/a/7/0.metaflow_records.json")] * 2, ds.storage.requests
    assert not any(r[0] == "exists" for r in ds.storage.requests), "nothing is checked"
    assert not any(k.startswith("F/5/a/7/_meta/") for k in ds.storage.objects), "no object a record"

    # The attempt finished by a process of its own (a new instance): its records join the object.
    AttemptRecords._bundled.clear()
    AttemptRecords.of(ds, dict(SPEC, user="u")).done()
    again = _bundle(ds)
    assert set(final) <= set(again) and len([k for k in again if "sysmeta_attempt-done_" in k]) >= 1

    # The launcher has the run's record: the container neither reads the project's tags nor sends it.
    monkeypatch.setenv(RUN_RECORDED, "1")
    AttemptRecords._bundled.clear()
    ds = _FakeDatastore()
    AttemptRecords.of(ds, SPEC).started(1.0)
    assert "F/5/_meta/_self.json" not in _bundle(ds) and "F/_meta/_self.json" not in _bundle(ds)
    assert "F/5/a/_meta/_self.json" in _bundle(ds)
    assert [r[0] for r in ds.storage.requests] == ["put"]
