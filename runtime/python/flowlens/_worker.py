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
import sys
import time

from ._control import describe_exception
from ._datastore import FlowDatastore
from ._finish import finish_attempt, write_logs
from ._logs import PARTIAL_LINE_SECONDS, StreamCapture
from ._proc import peak_rss_bytes
from ._storage import storage_from_env
from ._workermodules import FlowModules
from ._workertask import Task

# Loaded once here, not in every forked task: pickling a task's foreach frames needs it.
import metaflow.tuple_util  # noqa: E402,F401

LOG_FLUSH_SECONDS = 2.0  # a long task's logs are rewritten this often, so `flowlens logs` can follow it


class Worker(object):
    def __init__(self, proto_fd):
        self.proto_fd = proto_fd
        self.sel = selectors.DefaultSelector()
        self.tasks = {}
        self.modules = FlowModules()
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
                    task.kill("timeout")

    def _read_stdin(self):
        try:
            data = os.read(0, 65536)
        except BlockingIOError:
            return
        if not data:
            self.stdin_open = False
            self.sel.unregister(0)
            for task in list(self.tasks.values()):
                task.kill("cancelled")
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
                task.kill("cancelled")
        elif kind == "shutdown":
            self.stdin_open = False
            try:
                self.sel.unregister(0)
            except (KeyError, ValueError):
                pass
            for task in list(self.tasks.values()):
                task.kill("cancelled")

    # ---- tasks -------------------------------------------------------------------------
    def _forward(self, task, stream, line, ts):
        self.send({"type": "log", "id": task.id, "stream": stream, "line": line, "ts": int(ts * 1000)})

    def _module(self, path, task):
        def printed(data):
            capture = StreamCapture("stdout", lambda s, line, ts: self._forward(task, s, line, ts))
            capture.feed(data)
            capture.close()

        return self.modules.load(path, task.spec, printed)

    def _start(self, task_id, spec):
        task = Task(task_id, spec)
        module = None
        if self.use_fork:
            try:
                module = self._module(spec["flowFile"], task)
            except BaseException as e:
                failure = describe_exception(e, spec.get("flowFile"), "user")
                if isinstance(e, SyntaxError) and e.filename and e.lineno:
                    failure["location"] = "%s:%d" % (e.filename, e.lineno)
                self.send({"type": "result", "id": task_id, "ok": False, "failure": failure, "durationMs": task.duration_ms()})
                return
        close_fds = [self.proto_fd, self.wake_r, self.wake_w] + [fd for t in self.tasks.values() for fd in t.fds.values()]
        for kind, fd in task.spawn(module, close_fds).items():
            os.set_blocking(fd, False)
            task.fds[kind] = fd
            self.sel.register(fd, selectors.EVENT_READ, (kind, task))
        task.captures = {stream: StreamCapture(stream, lambda s, line, ts: self._forward(task, s, line, ts)) for stream in ("stdout", "stderr")}
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
        result = task.outcome(status)
        logs = {stream: capture.text() for stream, capture in task.captures.items()}
        result = finish_attempt(self.datastore(task.spec["flowName"]), task.spec, result, logs)
        result.pop("persisted", None)
        result.pop("type", None)
        result.setdefault("durationMs", task.duration_ms())
        del self.tasks[task.id]
        self.send(dict(result, type="result", id=task.id))

    def _write_logs(self, task):
        """The logs so far of a task still running, so that they can be followed."""
        try:
            write_logs(self.datastore(task.spec["flowName"]), task.spec, {stream: c.text() for stream, c in task.captures.items()})
        except Exception as e:
            sys.stderr.write("flowlens worker: could not write logs of %s: %s\n" % (task.spec.get("pathspec"), e))

    def shutdown(self):
        for task in list(self.tasks.values()):
            task.kill("cancelled")
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
