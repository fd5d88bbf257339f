"""The worker process and its JSON-lines protocol: fork and subprocess modes, logs, import errors."""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import RUNTIME_PYTHON

FLOW = '''
import sys
from metaflow import FlowSpec, step

print("printed while importing")


class Point(object):
    def __init__(self, x):
        self.x = x

class W(FlowSpec):
    @step
    def start(self):
        print("hello out")
        sys.stderr.write("hello err\\n")
        self.x = 1
        self.point = Point(5)
        self.next(self.end)

    @step
    def noisy(self):
        for i in range(50):
            print("line %d %s" % (i, "y" * 20))
        self.next(self.end)

    @step
    def longer(self):
        import time
        print("early")
        time.sleep(3.5)
        self.next(self.end)

    @step
    def leaves_child(self):
        import subprocess
        self.bg = subprocess.Popen(["sleep", "30"]).pid  # inherits the task's stdout and stderr
        print("started", self.bg)
        self.next(self.end)

    @step
    def crash(self):
        import ctypes
        print("Crash and burn!")
        ctypes.string_at(0)
        self.next(self.end)

    @step
    def end(self):
        print("point", self.point.x, type(self.point).__module__)
'''


class Worker(object):
    def __init__(self, tmp_path, source=FLOW, **env):
        self.file = str(tmp_path / "flow.py")
        with open(self.file, "w") as f:
            f.write(textwrap.dedent(source))
        self.root = str(tmp_path / ".metaflow")
        full_env = dict(os.environ, PYTHONPATH=RUNTIME_PYTHON, FLOWLENS_DATASTORE="local", FLOWLENS_DATASTORE_ROOT=self.root, **env)
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-c", "from flowlens._worker import main; main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env, cwd=str(tmp_path),
        )
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr
        self.stdin, self.stdout, self.stderr = self.proc.stdin, self.proc.stdout, self.proc.stderr
        self.ready = self.read()
        self.next_id = 1

    def read(self):
        line = self.stdout.readline()
        assert line, self.stderr.read().decode()
        return json.loads(line)

    def send(self, step, inputs, task_id):
        spec = {"ref": {"flow": "W", "runId": "1", "step": step, "taskId": task_id, "attempt": 0}, "flowFile": self.file,
                "flowName": "W", "inputPaths": inputs, "retryCount": 0, "decorators": [], "env": {}, "pathspec": "W/1/%s/%s" % (step, task_id),
                "user": "u", "tags": []}
        self.stdin.write((json.dumps({"type": "task", "id": 99, "spec": spec}) + "\n").encode())
        self.stdin.flush()

    def task(self, step, inputs, task_id):
        spec = {"ref": {"flow": "W", "runId": "1", "step": step, "taskId": task_id, "attempt": 0}, "flowFile": self.file,
                "flowName": "W", "inputPaths": inputs, "retryCount": 0, "decorators": [], "env": {}, "pathspec": "W/1/%s/%s" % (step, task_id),
                "user": "u", "tags": []}
        tid = self.next_id
        self.next_id += 1
        self.stdin.write((json.dumps({"type": "task", "id": tid, "spec": spec}) + "\n").encode())
        self.stdin.flush()
        messages = []
        while True:
            msg = self.read()
            assert msg.get("id") == tid, msg
            messages.append(msg)
            if msg["type"] == "result":
                return messages

    def close(self):
        self.stdin.close()
        assert self.proc.wait(timeout=20) == 0


@pytest.mark.parametrize("fork", [True, False])
def test_task_messages_logs_and_done_lock(tmp_path, fork):
    w = Worker(tmp_path, **({} if fork else {"FLOWLENS_NO_FORK": "1"}))
    assert w.ready["type"] == "ready" and w.ready["fork"] is fork
    params = w.task("_parameters", [], "0")
    assert params[-1]["ok"] is True
    msgs = w.task("start", ["1/_parameters/0"], "1")
    kinds = [m["type"] for m in msgs]
    assert kinds[0] == "started" and kinds[-1] == "result"
    logs = [(m["stream"], m["line"]) for m in msgs if m["type"] == "log"]
    assert ("stdout", "hello out") in logs and ("stderr", "hello err") in logs
    if fork:
        # Output printed while the worker imported the flow belongs to the first task that needed it.
        assert ("stdout", "printed while importing") in [(m["stream"], m["line"]) for m in params if m["type"] == "log"]
    assert [m["name"] for m in msgs if m["type"] == "artifact"] == ["x", "point"]
    result = msgs[-1]
    assert result["ok"] is True and result["transition"] == {"next": ["end"]} and "persisted" not in result
    task_dir = os.path.join(w.root, "W", "1", "start", "1")
    assert sorted(os.listdir(task_dir)) == ["0.DONE.lock", "0.attempt.json", "0.data.json", "0.previews.json", "0.runtime_stderr.log", "0.runtime_stdout.log", "_meta"]
    with open(os.path.join(task_dir, "0.runtime_stdout.log")) as f:
        lines = f.read().splitlines()
    # Without fork each task imports the flow file itself, so its import-time print is in every task's log.
    assert len(lines) == (1 if fork else 2) and lines[-1].endswith("]hello out") and lines[-1].startswith("[MFLOG|0|20")
    # DONE.lock is the newest file of the attempt; Metaflow's records of the finished attempt follow it.
    done = os.stat(os.path.join(task_dir, "0.DONE.lock")).st_mtime_ns
    assert all(os.stat(os.path.join(task_dir, n)).st_mtime_ns <= done for n in os.listdir(task_dir) if n != "_meta")
    records = os.listdir(os.path.join(task_dir, "_meta"))
    done_records = [n for n in records if n.startswith("sysmeta_attempt-done_")]
    assert len(done_records) == 1 and os.stat(os.path.join(task_dir, "_meta", done_records[0])).st_mtime_ns >= done
    # An object of a class defined in the flow file is pickled as __main__.Point, as under Metaflow.
    end = w.task("end", ["1/start/1"], "2")
    assert end[-1]["ok"] is True, end
    assert ("stdout", "point 5 __main__") in [(m["stream"], m["line"]) for m in end if m["type"] == "log"]
    w.close()


def test_logs_are_truncated_with_a_marker(tmp_path):
    w = Worker(tmp_path, FLOWLENS_MAX_LOG_BYTES="400")
    w.task("_parameters", [], "0")
    msgs = w.task("noisy", ["1/_parameters/0"], "1")
    lines = [m["line"] for m in msgs if m["type"] == "log"]
    assert lines[-1] == "[flowlens] stdout truncated: the task printed more than 400 bytes"
    assert 3 <= len(lines) < 10
    with open(os.path.join(w.root, "W", "1", "noisy", "1", "0.runtime_stdout.log")) as f:
        text = f.read()
    assert text.rstrip().endswith("[flowlens] stdout truncated: the task printed more than 400 bytes")
    assert len(text) < 600
    w.close()


def test_a_flow_file_that_does_not_import_fails_with_its_line(tmp_path):
    w = Worker(tmp_path, "from metaflow import FlowSpec\nclass W(FlowSpec):\n    def broken(self:\n        pass\n")
    msgs = w.task("start", ["1/_parameters/0"], "1")
    failure = msgs[-1]["failure"]
    assert failure["headline"].startswith("SyntaxError:")
    assert failure["location"] == w.file + ":3"
    w.close()


def test_a_stray_print_in_the_worker_cannot_corrupt_the_protocol(tmp_path):
    # The flow prints at import time; the worker's own fd 1 is its stderr, so the protocol stays clean.
    w = Worker(tmp_path)
    msgs = w.task("_parameters", [], "0")
    assert all(isinstance(m, dict) for m in msgs) and msgs[-1]["ok"] is True
    w.close()


def test_a_long_task_logs_are_written_while_it_runs(tmp_path):
    w = Worker(tmp_path)
    w.task("_parameters", [], "0")
    w.send("longer", ["1/_parameters/0"], "1")
    log = os.path.join(w.root, "W", "1", "longer", "1", "0.runtime_stdout.log")
    while True:
        msg = w.read()
        if msg["type"] == "log":
            break
    assert msg["line"] == "early"
    deadline = time.time() + 3.0
    while not (os.path.exists(log) and "early" in open(log).read()):
        assert time.time() < deadline, "the log file was not written while the task ran"
        time.sleep(0.05)
    assert w.read()["type"] == "result"
    w.close()


def test_a_task_is_finished_when_its_process_exits_even_if_its_children_hold_the_pipes(tmp_path):
    w = Worker(tmp_path)
    w.task("_parameters", [], "0")
    t0 = time.time()
    msgs = w.task("leaves_child", ["1/_parameters/0"], "1")
    assert msgs[-1]["ok"] is True, msgs[-1]
    assert time.time() - t0 < 10
    bg = int([m["line"] for m in msgs if m["type"] == "log"][0].split()[1])
    os.kill(bg, 9)
    w.close()


def test_a_segfault_is_named_in_the_tasks_stderr_log(tmp_path):
    w = Worker(tmp_path)
    w.task("_parameters", [], "0")
    msgs = w.task("crash", ["1/_parameters/0"], "1")
    assert msgs[-1]["ok"] is False and "segmentation fault" in msgs[-1]["failure"]["headline"]
    with open(os.path.join(w.root, "W", "1", "crash", "1", "0.runtime_stderr.log")) as f:
        assert "Task failed with a segmentation fault" in f.read()
    with open(os.path.join(w.root, "W", "1", "crash", "1", "0.runtime_stdout.log")) as f:
        assert f.read().endswith("]Crash and burn!\n"), "what the task printed before the crash is kept"
    # The attempt stored nothing, yet Metaflow's client counts it: its `attempt` field is written at its start.
    meta = os.path.join(w.root, "W", "1", "crash", "1", "_meta")
    fields = sorted(name.split("_")[1] for name in os.listdir(meta) if name.startswith("sysmeta_"))
    assert fields == ["attempt", "ds-root", "ds-type"] and os.path.exists(os.path.join(meta, "_self.json"))
    w.close()


def test_the_worker_does_not_load_the_s3_transfer_code():
    """Every task is forked from the worker: what it imports is copied into the page tables of
    each fork and torn down at each exit. The S3 tool's transfer code (http.client, ssl, a
    thread pool) loads when an `S3` is made, not with `import metaflow`."""
    code = "import sys, flowlens._worker; print(sorted(m for m in ('ssl', 'http.client', 'concurrent.futures', 'flowlens._s3direct') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-S", "-c", code], env=dict(os.environ, PYTHONPATH=RUNTIME_PYTHON), capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
