"""The warm worker: imports the harness and the flow module once, then forks one child per task.

Protocol (JSON, one object per line). Node writes to the worker's stdin:
    {"type": "task", "id": N, "spec": {...TaskSpec...}}
    {"type": "cancel", "id": N}
    {"type": "shutdown"}                      (or stdin EOF)
The worker writes to its original stdout (the "protocol fd"; the worker's own fd 1 is
pointed at its stderr at start, so a stray print can never corrupt the protocol):
    {"type": "ready", "pid": P, "python": "3.11.7", "fork": true}
    {"type": "started", "id": N, "pid": CHILD_PID}
    {"type": "log", "id": N, "stream": "stdout"|"stderr", "line": "...", "ts": MS}
    {"type": "artifact", "id": N, "name": ..., "sha": ..., "size": ..., "typeName": ...}
    {"type": "result", "id": N, "ok": bool, "transition"?, "failure"?, "caught"?, "durationMs"}
Several tasks run at once, each in its own child process (its own process group, so a
timeout or cancel kills whatever it started). A child reports artifacts and its result over
a private pipe; its fds 1 and 2 are pipes the worker reads line by line.
"""

import errno
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from typing import Optional

from ._control import _fmt_seconds, describe_exception, task_timeout
from ._datastore import FlowDatastore
from ._finish import finish_attempt, write_logs
from ._flowload import load_flow_module
from ._flowopts import set_task_context
from ._logs import PARTIAL_LINE_SECONDS, StreamCapture
from ._proc import describe_status, exit_facts, peak_rss_bytes, run_child
from ._storage import storage_from_env

# Loaded once here, not in every forked task: pickling a task's foreach frames needs it.
import metaflow.tuple_util  # noqa: E402,F401

# The bundle's launcher script: the task process then imports this bundle's packages, never a
# `flowlens/` or `metaflow/` in the working directory (see _flowlens_launch.py).
_LAUNCHER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_flowlens_launch.py")
HARD_KILL_GRACE = 5.0  # seconds after @timeout's own alarm before the worker kills the task
LOG_FLUSH_SECONDS = 2.0  # a long task's logs are rewritten this often, so `flowlens logs` can follow it


class Task(object):
    def __init__(self, task_id, spec):
        self.id = task_id
        self.spec = spec
        self.pid: Optional[int] = None
        self.proc: Optional[subprocess.Popen] = None
        self.fds = {}
        self.captures = {}
        self.result_buf = b""
        self.result = None
        self.killed_reason = None
        self.peak_rss: Optional[int] = None
        self.started = time.time()
        timeout = task_timeout(spec)
        self.hard_deadline = self.started + timeout + HARD_KILL_GRACE if timeout else None
        self.timeout = timeout
        self.logs_flushed_at = self.started
        self.logs_version = 0


class Worker(object):
    def __init__(self, proto_fd):
        self.proto_fd = proto_fd
        self.sel = selectors.DefaultSelector()
        self.tasks = {}
        self.modules = {}
        self.stdin_buf = b""
        self.stdin_open = True
        self.use_fork = hasattr(os, "fork") and os.environ.get("FLOWLENS_NO_FORK") != "1"
        self.datastores = {}

    # ---- protocol ----------------------------------------------------------------------
    def send(self, msg):
        data = (json.dumps(msg, default=str) + "\n").encode("utf-8")
        while data:
            try:
                n = os.write(self.proto_fd, data)
            except OSError as e:
                if e.errno == errno.EPIPE:
                    self.shutdown()
                raise
            data = data[n:]

    def datastore(self, flow_name):
        if flow_name not in self.datastores:
            self.datastores[flow_name] = FlowDatastore(storage_from_env(), flow_name)
        return self.datastores[flow_name]

    def run(self):
        os.set_blocking(0, False)
        self.sel.register(0, selectors.EVENT_READ, ("stdin", None))
        # SIGCHLD wakes the loop through this pipe: a task is finished when its process exits,
        # even if something it started still holds its output pipes.
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *a: None)
        self.sel.register(self.wake_r, selectors.EVENT_READ, ("wakeup", None))
        self.send({"type": "ready", "pid": os.getpid(), "python": "%d.%d.%d" % sys.version_info[:3], "fork": self.use_fork})
        while self.stdin_open or self.tasks:
            timeout = None
            now = time.time()
            deadlines = [t.hard_deadline for t in self.tasks.values() if t.hard_deadline and not t.killed_reason]
            if deadlines:
                timeout = max(0.0, min(deadlines) - now)
            if self.tasks:
                timeout = LOG_FLUSH_SECONDS if timeout is None else min(timeout, LOG_FLUSH_SECONDS)
            if any(c.pending for t in self.tasks.values() for c in t.captures.values()):
                timeout = PARTIAL_LINE_SECONDS if timeout is None else min(timeout, PARTIAL_LINE_SECONDS)
            for key, _ in self.sel.select(timeout):
                # An earlier event of this batch may have closed (and even reused) this fd.
                if self.sel.get_map().get(key.fd) is not key:
                    continue
                kind, task = key.data
                if kind == "stdin":
                    self._read_stdin()
                elif kind == "wakeup":
                    try:
                        while os.read(self.wake_r, 4096):
                            pass
                    except BlockingIOError:
                        pass
                    self._reap_exited()
                else:
                    self._read_task_fd(task, kind, key.fd)
            now = time.time()
            for task in list(self.tasks.values()):
                for capture in task.captures.values():
                    capture.flush_stale(now)
                if now - task.logs_flushed_at >= LOG_FLUSH_SECONDS:
                    version = sum(c.version for c in task.captures.values())
                    if version != task.logs_version:
                        self._write_logs(task)
                        task.logs_version = version
                    task.logs_flushed_at = now
                if task.hard_deadline and now >= task.hard_deadline and not task.killed_reason:
                    self._kill(task, "timeout")

    def _read_stdin(self):
        try:
            data = os.read(0, 65536)
        except BlockingIOError:
            return
        if not data:
            self.stdin_open = False
            self.sel.unregister(0)
            for task in list(self.tasks.values()):
                self._kill(task, "cancelled")
            return
        self.stdin_buf += data
        while b"\n" in self.stdin_buf:
            line, self.stdin_buf = self.stdin_buf.split(b"\n", 1)
            if line.strip():
                self._handle(json.loads(line.decode("utf-8")))

    def _handle(self, msg):
        kind = msg.get("type")
        if kind == "task":
            self._start(msg["id"], msg["spec"])
        elif kind == "cancel":
            task = self.tasks.get(msg["id"])
            if task is not None:
                self._kill(task, "cancelled")
        elif kind == "shutdown":
            self.stdin_open = False
            try:
                self.sel.unregister(0)
            except (KeyError, ValueError):
                pass
            for task in list(self.tasks.values()):
                self._kill(task, "cancelled")

    # ---- tasks -------------------------------------------------------------------------
    def _module(self, path, task):
        # Configs read while the flow is imported come from the run the task belongs to.
        set_task_context(task.spec)
        path = os.path.abspath(path)
        mtime = os.stat(path).st_mtime_ns
        cached = self.modules.get(path)
        if cached is not None and cached.__flowlens_mtime__ == mtime:
            # Pickles of classes defined in the flow file name `__main__`: it must be this flow's module.
            sys.modules["__main__"] = cached
            return cached
        # Output printed while the flow file is imported belongs to the task that caused the import.
        saved = os.dup(1), os.dup(2)
        with tempfile.TemporaryFile() as tmp:
            os.dup2(tmp.fileno(), 1)
            os.dup2(tmp.fileno(), 2)
            try:
                module = load_flow_module(path)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
                tmp.seek(0)
                printed = tmp.read()
                if printed:
                    capture = StreamCapture("stdout", lambda s, line, ts: self.send({"type": "log", "id": task.id, "stream": s, "line": line, "ts": int(ts * 1000)}))
                    capture.feed(printed)
                    capture.close()
        self.modules[path] = module
        return module

    def _start(self, task_id, spec):
        task = Task(task_id, spec)
        if self.use_fork:
            try:
                module = self._module(spec["flowFile"], task)
            except BaseException as e:
                failure = describe_exception(e, spec.get("flowFile"), "user")
                if isinstance(e, SyntaxError) and e.filename and e.lineno:
                    failure["location"] = "%s:%d" % (e.filename, e.lineno)
                self.send({"type": "result", "id": task_id, "ok": False, "failure": failure, "durationMs": int((time.time() - task.started) * 1000)})
                return
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        res_r, res_w = os.pipe()
        if self.use_fork:
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                close_fds = [self.proto_fd, self.wake_r, self.wake_w] + [fd for t in self.tasks.values() for fd in t.fds.values()]
                run_child(spec, module, out_w, err_w, res_w, close_fds)  # never returns
            try:
                # Also from this side, so a kill right after the fork already reaches the whole group.
                os.setpgid(pid, pid)
            except OSError:
                pass
            task.pid = pid
        else:
            proc = subprocess.Popen(
                [sys.executable, "-u", _LAUNCHER, "child", str(res_w)],
                stdin=subprocess.PIPE, stdout=out_w, stderr=err_w, pass_fds=(res_w,), start_new_session=True, close_fds=True,
            )
            task.proc, task.pid = proc, proc.pid
            assert proc.stdin is not None  # stdin=PIPE
            proc.stdin.write(json.dumps(spec).encode("utf-8"))
            proc.stdin.close()
        for fd in (out_w, err_w, res_w):
            os.close(fd)
        for fd, kind in ((out_r, "stdout"), (err_r, "stderr"), (res_r, "result")):
            os.set_blocking(fd, False)
            task.fds[kind] = fd
            self.sel.register(fd, selectors.EVENT_READ, (kind, task))
        def forward(stream, line, ts):
            self.send({"type": "log", "id": task.id, "stream": stream, "line": line, "ts": int(ts * 1000)})

        task.captures = {"stdout": StreamCapture("stdout", forward), "stderr": StreamCapture("stderr", forward)}
        self.tasks[task_id] = task
        self.send({"type": "started", "id": task_id, "pid": task.pid})

    def _read_task_fd(self, task, kind, fd):
        while True:
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                # EOF: the task process closed it (usually by exiting). Its exit is seen through SIGCHLD.
                self.sel.unregister(fd)
                os.close(fd)
                del task.fds[kind]
                return
            self._consume(task, kind, data)

    def _consume(self, task, kind, data):
        if kind != "result":
            task.captures[kind].feed(data)
            return
        task.result_buf += data
        while b"\n" in task.result_buf:
            line, task.result_buf = task.result_buf.split(b"\n", 1)
            msg = json.loads(line.decode("utf-8"))
            if msg.get("type") == "artifact":
                self.send(dict(msg, id=task.id))
            elif msg.get("type") == "result":
                task.result = msg

    def _reap_exited(self):
        """Called when SIGCHLD woke the loop: finish every task whose process has exited."""
        by_pid = {t.pid: t for t in self.tasks.values()}
        while True:
            try:
                # wait4 also gives the child's resource usage: its peak memory, even after a SIGKILL.
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            task = by_pid.get(pid)
            if task is not None:
                if task.proc is not None:
                    task.proc.returncode = status  # reaped here; Popen must not wait for it again
                task.peak_rss = peak_rss_bytes(usage)
                self._finish(task, status)

    def _finish(self, task, status):
        # The process has exited: what it wrote before is in the pipes. Its own children may keep
        # the pipes open; their later output is not the task's.
        for kind in list(task.fds):
            fd = task.fds.pop(kind)
            while True:
                try:
                    data = os.read(fd, 65536)
                except (BlockingIOError, OSError):
                    break
                if not data:
                    break
                self._consume(task, kind, data)
            self.sel.unregister(fd)
            os.close(fd)
        for capture in task.captures.values():
            capture.close()
        result = task.result
        if task.killed_reason == "timeout":
            result = {"ok": False, "failure": {"headline": "Step %s timed out after %s s (@timeout) and was killed" % (task.spec["ref"]["step"], _fmt_seconds(task.timeout)), "kind": "timeout"}}
        elif task.killed_reason == "cancelled":
            result = {"ok": False, "failure": {"headline": "Task cancelled", "kind": "cancelled"}}
        elif result is None:
            result = {"ok": False, "failure": dict(exit_facts(status), headline=describe_status(status), kind="infrastructure")}
            # The task could not say why it stopped: its stderr log says it (as Metaflow's does);
            # the runtime reports the failure itself, so the line is not sent live.
            if "stderr" in task.captures:
                task.captures["stderr"].add_line(result["failure"]["headline"], live=False)
        if task.peak_rss is not None:
            result["peakRssBytes"] = task.peak_rss
            if result.get("failure"):
                result["failure"]["peakRssBytes"] = task.peak_rss
        if task.killed_reason:
            result.pop("persisted", None)  # killed after storing: not finished, so no DONE.lock
        logs = {stream: capture.text() for stream, capture in task.captures.items()}
        result = finish_attempt(self.datastore(task.spec["flowName"]), task.spec, result, logs)
        result.pop("persisted", None)
        result.pop("type", None)
        result.setdefault("durationMs", int((time.time() - task.started) * 1000))
        del self.tasks[task.id]
        self.send(dict(result, type="result", id=task.id))

    def _write_logs(self, task):
        """The logs so far of a task still running, so that they can be followed."""
        try:
            write_logs(self.datastore(task.spec["flowName"]), task.spec, {stream: c.text() for stream, c in task.captures.items()})
        except Exception as e:
            sys.stderr.write("flowlens worker: could not write logs of %s: %s\n" % (task.spec.get("pathspec"), e))

    def _kill(self, task, reason):
        if task.killed_reason:
            return
        task.killed_reason = reason
        try:
            os.killpg(task.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(task.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def shutdown(self):
        for task in list(self.tasks.values()):
            self._kill(task, "cancelled")
        os._exit(0)


def main():
    proto_fd = os.dup(1)
    os.dup2(2, 1)  # a stray print in the worker goes to stderr, never into the protocol
    os.set_inheritable(proto_fd, False)
    worker = Worker(proto_fd)
    signal.signal(signal.SIGTERM, lambda *a: worker.shutdown())
    # Ctrl-C in a terminal reaches the whole foreground group; Node decides what to cancel.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        worker.run()
    except BrokenPipeError:
        worker.shutdown()
