"""The datastore layout and file formats exactly as runtime/README.md states them, and atomic writes."""

import gzip
import hashlib
import json
import os
import pickle

import pytest

from flowlens import _datastore
from flowlens._datastore import FlowDatastore
from flowlens._storage import LocalStorage, datastore_root

SIMPLE = '''
from metaflow import FlowSpec, Parameter, step

class D(FlowSpec):
    alpha = Parameter("alpha", default=0.5)

    @step
    def start(self):
        import numpy
        self.small = {"a": [1, 2]}
        self.big = b"x" * (2 * 1024 * 1024)
        self.arr = numpy.zeros((3, 4), dtype="float32")
        self.next(self.end)

    @step
    def end(self):
        self.fine = True
'''


def _files(r, path):
    return sorted(os.listdir(os.path.dirname(r.task_file(path, "x"))))


def test_blobs_data_json_meta_and_previews(runner_for):
    r = runner_for(SIMPLE, "D")
    params = r.params(alpha="1.5")
    res, start = r.run("start", [params])
    assert res["ok"], res
    assert _files(r, start) == ["0.DONE.lock", "0.attempt.json", "0.data.json", "0.previews.json", "_meta"]
    data = r.json(start, "0.data.json")
    assert set(data) == {"datastore", "version", "attempt", "python_version", "objects", "info"}
    assert (data["datastore"], data["version"], data["attempt"]) == ("local", "1.0", 0)
    assert set(data["objects"]) == set(data["info"])
    for name in ["alpha", "name", "small", "big", "arr", "_task_ok", "_transition", "_foreach_stack", "_current_step"]:
        assert name in data["objects"], name
    for name, sha in data["objects"].items():
        blob_path = os.path.join(r.root, "D", "data", sha[:2], sha)
        with open(blob_path, "rb") as f:
            body = f.read()
        # Only a raw blob has a `_meta` sidecar; one without is gzip (version 1) to every reader.
        meta = {"cas_raw": False, "cas_version": 1}
        if os.path.exists(blob_path + "_meta"):
            with open(blob_path + "_meta") as f:
                meta = json.load(f)
            assert meta == {"cas_raw": True, "cas_version": 1}, name
        raw = body if meta["cas_raw"] else gzip.decompress(body)
        assert hashlib.sha1(raw).hexdigest() == sha, name
        assert raw[:2] == b"\x80\x04", "pickle protocol 4"
        info = data["info"][name]
        assert set(info) == {"size", "type", "encoding"}
        assert info["size"] == len(raw)
        assert info["encoding"] == ("pickle-v4" if meta["cas_raw"] else "gzip+pickle-v4")
    assert data["info"]["big"]["encoding"] == "pickle-v4"  # above RAW_THRESHOLD: stored raw
    assert data["info"]["small"] == {"size": data["info"]["small"]["size"], "type": "<class 'dict'>", "encoding": "gzip+pickle-v4"}
    assert r.json(start, "0.attempt.json").keys() == {"time"}
    assert r.json(start, "0.DONE.lock").keys() == {"time"}
    previews = r.json(start, "0.previews.json")
    assert previews["small"] == {"type": "dict", "size": data["info"]["small"]["size"], "repr": "{'a': [1, 2]}", "json": {"a": [1, 2]}}
    assert previews["arr"]["shape"] == [3, 4] and previews["arr"]["dtype"] == "float32" and previews["arr"]["type"] == "numpy.ndarray"
    assert "json" not in previews["big"] and previews["big"]["repr"].endswith("...")
    # The transition artifact: [[targets], foreach artifact or None].
    assert r.artifacts(start)["_transition"] == [["end"], None]


def test_inherited_artifacts_share_blobs_and_everything_visible_is_recorded(runner_for):
    r = runner_for(SIMPLE, "D")
    _, start = r.run("start", [r.params()])
    _, end = r.run("end", [start])
    s, e = r.json(start, "0.data.json"), r.json(end, "0.data.json")
    for name in ["alpha", "small", "big", "arr"]:
        assert e["objects"][name] == s["objects"][name]
        assert e["info"][name] == s["info"][name]
    assert "_transition" not in e["objects"]  # per-task artifacts are not inherited
    blobs = [n for d in os.listdir(os.path.join(r.root, "D", "data")) for n in os.listdir(os.path.join(r.root, "D", "data", d))]
    shas = set(s["objects"].values()) | set(e["objects"].values())
    raw = {s["objects"][n] for n, i in s["info"].items() if i["encoding"] == "pickle-v4"}
    assert raw == {s["objects"]["big"]}
    assert sorted(blobs) == sorted(list(shas) + [sha + "_meta" for sha in raw])  # each blob once; a raw one with its _meta


def test_failed_attempt_is_finished_with_task_ok_false_and_readers_take_the_highest(runner_for):
    src = '''
from metaflow import FlowSpec, current, step

class A(FlowSpec):
    @step
    def start(self):
        self.attempt_seen = current.retry_count
        if current.retry_count == 0:
            raise RuntimeError("first attempt fails")
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    r = runner_for(src, "A")
    p = r.params()
    res0, path = r.run("start", [p], attempt=0)
    assert not res0["ok"]
    r.next_task -= 1  # the same task again, next attempt
    res1, path1 = r.run("start", [p], attempt=1, retryCount=1)
    assert res1["ok"] and path1 == path
    assert r.artifacts(path)["_task_ok"] is True and r.artifacts(path)["attempt_seen"] == 1
    assert r.ds.read_task(path).attempt == 1
    # The failed attempt is complete too: its artifacts and the exception are kept.
    zero = json.loads(open(r.task_file(path, "0.data.json")).read())
    assert r.ds.load_object(zero["objects"]["_task_ok"]) is False
    assert "first attempt fails" in str(r.ds.load_object(zero["objects"]["_exception"]))


def test_an_attempt_without_done_lock_is_ignored(tmp_path):
    storage = LocalStorage(str(tmp_path))
    ds = FlowDatastore(storage, "F")
    ds.write_data("1", "s", "2", 0, {}, {})
    with pytest.raises(Exception) as info:
        ds.read_task("1/s/2")
    assert "no finished attempt" in str(info.value)


def test_local_put_is_atomic(tmp_path, monkeypatch):
    storage = LocalStorage(str(tmp_path))
    storage.put("F/x.json", b"old")

    class Boom(Exception):
        pass

    real_write = os.write

    def failing_write(fd, data):
        if fd in (1, 2):
            return real_write(fd, data)
        real_write(fd, bytes(data[:2]))
        raise Boom()

    monkeypatch.setattr(os, "write", failing_write)
    with pytest.raises(Boom):
        storage.put("F/x.json", b"new content")
    monkeypatch.setattr(os, "write", real_write)
    assert storage.get("F/x.json") == b"old"
    assert os.listdir(tmp_path / "F") == ["x.json"]  # no temporary file left behind


def test_content_addressed_put_skips_existing_blobs(tmp_path):
    ds = FlowDatastore(LocalStorage(str(tmp_path)), "F")
    pickled = pickle.dumps([1, 2, 3], protocol=4)
    sha, enc = ds.save_pickled(pickled)
    path = tmp_path / "F" / "data" / sha[:2] / sha
    before = os.stat(path).st_mtime_ns
    assert ds.save_pickled(pickled) == (sha, enc)
    assert os.stat(path).st_mtime_ns == before
    assert ds.load_object(sha) == [1, 2, 3]


def test_a_blob_is_checked_once_and_an_inherited_one_not_at_all(tmp_path):
    """On S3 a check is a request: a new blob costs one check and one write, a value stored
    again in the same task or inherited from an input (its blob exists) costs nothing."""
    storage = LocalStorage(str(tmp_path))
    calls = []
    for name in ("exists", "put"):
        real = getattr(storage, name)
        setattr(storage, name, lambda *a, _real=real, _name=name, **k: calls.append((_name, a[0])) or _real(*a, **k))
    ds = FlowDatastore(storage, "F")
    first, _ = ds.save_pickled(pickle.dumps("a", protocol=4))
    assert [c[0] for c in calls] == ["exists", "put"]
    ds.save_pickled(pickle.dumps("a", protocol=4))
    assert len(calls) == 2, calls
    ds.write_data("1", "s", "2", 0, {"x": first, "y": "f" * 40}, {})
    ds.write_done("1", "s", "2", 0)
    child = FlowDatastore(storage, "F")
    child.read_task("1/s/2", 0)
    del calls[:]
    child.save_pickled(pickle.dumps("a", protocol=4))
    assert [c for c in calls if c[1].startswith("F/data/")] == [], calls


def test_local_reads_return_objects_whole_at_every_size_around_one_read(tmp_path):
    storage = LocalStorage(str(tmp_path))
    for size in (0, 1, 65535, 65536, 65537, 300001):
        body = os.urandom(size)
        storage.put("F/x/%d" % size, body)
        assert storage.get("F/x/%d" % size) == body, size
    assert storage.get("F/x/missing") is None


def test_a_gzip_blob_of_several_members_loads_whole(tmp_path):
    # Every writer makes one member; a blob of two (concatenated gzip streams) is still valid gzip.
    ds = FlowDatastore(LocalStorage(str(tmp_path)), "F")
    pickled = pickle.dumps(list(range(50)), protocol=4)
    sha = hashlib.sha1(pickled).hexdigest()
    half = len(pickled) // 2
    ds.storage.put(ds.blob_key(sha), gzip.compress(pickled[:half]) + gzip.compress(pickled[half:]))
    assert ds.load_object(sha) == list(range(50))


def test_raw_threshold_and_default_root(tmp_path, monkeypatch):
    assert _datastore.RAW_THRESHOLD == 1024 * 1024
    (tmp_path / "a" / ".metaflow").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    assert datastore_root("local", {}, str(tmp_path / "a" / "b" / "c")) == str(tmp_path / "a" / ".metaflow")
    assert datastore_root("local", {}, str(tmp_path)) == str(tmp_path / ".metaflow")


def test_previews_of_frames_arrays_and_awkward_objects():
    from flowlens._previews import preview

    class Columns(list):
        pass

    class DTypes(object):
        def astype(self, _):
            return self

        def to_dict(self):
            return {"a": "int64", "b": "object"}

    Frame = type("DataFrame", (object,), {"__module__": "pandas.core.frame", "shape": (10, 2), "columns": Columns(["a", "b"]),
                                          "dtypes": DTypes(), "__repr__": lambda self: "   a  b\n0  1  x"})
    p = preview(Frame(), 123)
    assert (p["type"], p["shape"], p["columns"]) == ("pandas.core.frame.DataFrame", [10, 2], ["a", "b"])
    assert "json" not in p

    class BadRepr(object):
        def __repr__(self):
            raise RuntimeError("no")

    assert preview(BadRepr(), 5)["repr"] == "<repr failed: RuntimeError>"
    assert preview(float("nan"), 5).get("json") is None and "json" not in preview(float("nan"), 5)
    assert preview(list(range(1000)), 5).get("json") is None  # JSON-native but not small
