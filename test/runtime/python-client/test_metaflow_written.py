"""A run written by Metaflow itself: no run record, `_meta` folders, mflog logs, pickle v2 blobs."""

import collections
import json
import pickle
import sys
import types

import pytest

from flowlens.client import Flow, MetaflowNamespaceMismatch, Run, Task, namespace

RUN_ID = "1732647200123456"  # Metaflow's local run ids are microseconds since the epoch
TS = 1732647200123  # milliseconds


def metaflow_pickle(frames):
    """Pickles ForeachFrame tuples as if by Metaflow: the class lives in `metaflow.flowspec`."""
    mod = types.ModuleType("zzfakemf")
    # A module object takes any attribute; the type stubs only know the standard ones.
    mod.ForeachFrame = collections.namedtuple("ForeachFrame", ["step", "var", "num_splits", "index", "value"])  # pyright: ignore[reportAttributeAccessIssue]
    mod.ForeachFrame.__module__ = "zzfakemf"
    sys.modules["zzfakemf"] = mod
    try:
        body = pickle.dumps([mod.ForeachFrame(*f) for f in frames], protocol=2)
    finally:
        del sys.modules["zzfakemf"]
    return body.replace(b"czzfakemf\n", b"cmetaflow.flowspec\n")


def mflog(source, lines, ts="2024-11-26T18:53:20.%06d"):
    return "".join("[MFLOG|0|%sZ|%s|id%d]%s\n" % (ts % (i * 10 + (1 if source == "task" else 0)), source, i, line)
                   for i, line in enumerate(lines))


@pytest.fixture
def mf_run(builder):
    b = builder("MovieFlow", protocol=2)
    w = b.w
    flow = "MovieFlow"
    w.put(flow + "/_meta/_self.json", json.dumps({"flow_id": flow, "ts_epoch": TS}))
    w.put("%s/%s/_meta/_self.json" % (flow, RUN_ID), json.dumps({
        "flow_id": flow, "run_number": RUN_ID, "user_name": "alice", "ts_epoch": TS,
        "tags": ["mytag"], "system_tags": ["user:alice", "runtime:dev", "metaflow_version:2.19.0"]}))

    def task(step, tid, arts, stack=None, logs=None):
        base = "%s/%s/%s/%s/" % (flow, RUN_ID, step, tid)
        w.put(base + "_meta/_self.json", json.dumps({"flow_id": flow, "run_number": RUN_ID, "step_name": step, "task_id": tid, "ts_epoch": TS}))
        w.put(base + "_meta/sysmeta_attempt_%d.json" % (TS + 1), json.dumps({"field_name": "attempt", "value": "0", "type": "attempt", "ts_epoch": TS + 1, "tags": ["attempt_id:0"]}))
        w.put(base + "_meta/sysmeta_attempt-done_%d.json" % (TS + 900), json.dumps({"field_name": "attempt-done", "value": "0", "type": "attempt-done", "ts_epoch": TS + 900, "tags": ["attempt_id:0"]}))
        w.put(base + "0.attempt.json", json.dumps({"time": TS / 1000.0}))
        objects, info = {}, {}
        values = dict(arts, _task_ok=True, name=flow)
        for name, value in values.items():
            sha, size = b.blob(value)
            objects[name], info[name] = sha, {"size": size, "type": str(type(value)), "encoding": "gzip+pickle-v2"}
        if stack is not None:
            sha, size = b.blob_bytes(metaflow_pickle(stack))
            objects["_foreach_stack"], info["_foreach_stack"] = sha, {"size": size, "type": "<class 'list'>", "encoding": "gzip+pickle-v2"}
        w.put(base + "0.data.json", json.dumps({"datastore": "local", "version": "1.0", "attempt": 0, "python_version": "3.11", "objects": objects, "info": info}))
        for source, lines in (logs or {}).items():
            w.put(base + "0.%s_stdout.log" % source, mflog(source, lines))
        w.put(base + "0.DONE.lock", json.dumps(""))

    task("start", "2", {"genres": ["drama", "comedy"]}, stack=[], logs={"task": ["task line 1", "task line 2"], "runtime": ["runtime line"]})
    task("compute", "3", {"genre": "drama"}, stack=[("start", "genres", 2, 0, "drama")])
    task("compute", "4", {"genre": "comedy"}, stack=[("start", "genres", 2, 1, "comedy")])
    task("end", "5", {"stats": {"drama": 1, "comedy": 2}}, stack=[])
    return b


def test_metaflow_run_is_read(mf_run):
    namespace("user:alice")
    run = Flow("MovieFlow").latest_successful_run
    assert run.id == RUN_ID
    assert run.data.stats == {"drama": 1, "comedy": 2}
    assert run.tags == frozenset({"mytag", "user:alice", "runtime:dev", "metaflow_version:2.19.0"})
    assert run.created_at.timestamp() == pytest.approx(TS / 1000.0)
    assert run.successful and run.finished
    assert run.finished_at.timestamp() == pytest.approx((TS + 900) / 1000.0)


def test_metaflow_foreach_frames_load_without_metaflow(mf_run):
    namespace(None)
    tasks = sorted(Run("MovieFlow/%s" % RUN_ID)["compute"], key=lambda t: t.index)
    assert [(t.index, t.data.genre) for t in tasks] == [(0, "drama"), (1, "comedy")]


def test_metaflow_logs_merge_task_and_runtime_sources(mf_run):
    namespace(None)
    task = Task("MovieFlow/%s/start/2" % RUN_ID)
    assert task.stdout.splitlines() == ["runtime line", "task line 1", "task line 2"]


def test_metaflow_task_metadata(mf_run):
    namespace(None)
    md = Task("MovieFlow/%s/end/5" % RUN_ID).metadata_dict
    assert md["attempt"] == "0" and md["attempt-done"] == "0"


def test_namespace_hides_other_users_runs(mf_run):
    # The default namespace is user:tester (METAFLOW_USER); the run belongs to alice.
    assert Flow("MovieFlow").latest_run is None
    with pytest.raises(MetaflowNamespaceMismatch) as e:
        Run("MovieFlow/%s" % RUN_ID)
    assert "user:tester" in str(e.value) and "user:alice" in str(e.value)
    assert Run("MovieFlow/%s" % RUN_ID, _namespace_check=False).data.stats["comedy"] == 2
