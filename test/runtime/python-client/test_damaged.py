"""Damaged files are named (MetaflowDataDamaged), never raised as a bare EOFError or BadGzipFile or
read as a wrong value; a run whose process died reads as crashed through its heartbeat."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from flowlens.client import MetaflowDataDamaged, MetaflowException, Run, Task


def _blob_path(project, flow, sha):
    return os.path.join(str(project), flow, "data", sha[:2], sha)


def test_truncated_gzip_blob_is_named(builder, project):
    b = builder()
    b.linear_run("3", {"start": {"numbers": list(range(50))}, "end": {}})
    task = Task("HelloFlow/3/start/1")
    sha = task["numbers"].sha
    path = _blob_path(project, "HelloFlow", sha)
    with open(path, "rb") as f:
        body = f.read()
    with open(path, "wb") as f:
        f.write(body[: len(body) // 2])
    with pytest.raises(MetaflowDataDamaged) as e:
        Task("HelloFlow/3/start/1").data.numbers
    assert isinstance(e.value, MetaflowException)
    assert e.value.path.endswith(sha) and "not a whole gzip stream" in str(e.value)
    assert "Other artifacts, tasks and runs can still be read" in str(e.value)
    assert Task("HelloFlow/3/start/1").data.name == "HelloFlow", "other artifacts still read"


def test_changed_bytes_of_a_raw_blob_are_caught_by_its_sha1(builder, project):
    b = builder()
    blobs = {"big": b.blob(list(range(1000)), raw=True)}
    b.record("4", status="running")
    b.attempt("4", "start", "1", {"big": None}, blobs=blobs)
    path = _blob_path(project, "HelloFlow", blobs["big"][0])
    with open(path, "r+b") as f:
        f.seek(200)
        byte = f.read(1)
        f.seek(200)
        f.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(MetaflowDataDamaged) as e:
        Task("HelloFlow/4/start/1").data.big
    assert "does not match its sha1" in str(e.value)


def test_damaged_data_json_is_named_not_read_as_no_artifacts(builder, project):
    b = builder()
    b.linear_run("5", {"start": {"x": 1}, "end": {}})
    with open(os.path.join(str(project), "HelloFlow", "5", "start", "1", "0.data.json"), "w") as f:
        f.write('{"objects": {"x": "ab')
    with pytest.raises(MetaflowDataDamaged) as e:
        Task("HelloFlow/5/start/1").data.x
    assert e.value.path.endswith("0.data.json") and "not valid JSON" in str(e.value)


def _heartbeat(b, run, pid, host, age):
    b.w.put("HelloFlow/%s/_flowlens/heartbeat.json" % run, json.dumps({"pid": pid, "host": host, "time": time.time() - age}))


def test_a_run_reads_as_crashed_from_its_heartbeat(builder):
    b = builder()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    cases = {
        "50": (int(gone.stdout), socket.gethostname(), 1),  # this host, process gone
        "51": (os.getpid(), "elsewhere", 300),  # another host, silent for 5 minutes
        "52": (os.getpid(), "elsewhere", 2),  # another host, beating
        "53": (os.getpid(), socket.gethostname(), 1),  # this host, alive
    }
    for run, (pid, host, age) in cases.items():
        b.record(run, status="running")
        b.attempt(run, "start", "1", {"x": 1}, done=False)
        _heartbeat(b, run, pid, host, age)
    states = {run: Run("HelloFlow/%s" % run) for run in cases}
    assert [states[r].status for r in sorted(states)] == ["crashed", "crashed", "running", "running"]
    assert not any(r.successful or r.finished for r in states.values())


def test_missing_blob_is_named_and_a_blob_set_aside_says_so(builder, project):
    b = builder()
    b.linear_run("6", {"start": {"numbers": [1, 2, 3]}, "end": {}})
    sha = Task("HelloFlow/6/start/1")["numbers"].sha
    path = _blob_path(project, "HelloFlow", sha)
    os.rename(path, path + ".damaged")
    with pytest.raises(MetaflowDataDamaged) as e:
        Task("HelloFlow/6/start/1").data.numbers
    assert "set it aside as %s.damaged" % sha in str(e.value)
    os.remove(path + ".damaged")
    with pytest.raises(MetaflowDataDamaged) as e:
        Task("HelloFlow/6/start/1").data.numbers
    assert "(missing)" in str(e.value)
