"""One task of the warm worker (_worker.py): its process, its pipes, and how it ended.

A task runs in its own process group (a fork of the worker, or a fresh interpreter through the
bundle's launcher where fork is unavailable), so a timeout or a cancel kills whatever it started.
The process writes its output to two pipes and its artifacts and result, as JSON lines, to a
third; `outcome` turns what the worker saw (the result line, a kill, the exit status) into the
task's result.
"""

import json
import os
import signal
import subprocess
import sys
import time
from typing import Optional

from ._control import _fmt_seconds, task_timeout
from ._proc import describe_status, exit_facts, run_child

# The bundle's launcher script: the task process then imports this bundle's packages, never a
# `flowlens/` or `metaflow/` in the working directory (see _flowlens_launch.py).
_LAUNCHER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_flowlens_launch.py")
HARD_KILL_GRACE = 5.0  # seconds after @timeout's own alarm before the worker kills the task


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

    def duration_ms(self):
        return int((time.time() - self.started) * 1000)

    def spawn(self, module, close_fds):
        """Starts the task's process; returns {"stdout"|"stderr"|"result": fd} of its pipes, read side.

        With `module` (the flow, imported by the worker) the worker forks; the child closes
        `close_fds` (the worker's own descriptors). Without it a fresh interpreter runs the task.
        """
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        res_r, res_w = os.pipe()
        if module is not None:
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                run_child(self.spec, module, out_w, err_w, res_w, close_fds)  # never returns
            try:
                # Also from this side, so a kill right after the fork already reaches the whole group.
                os.setpgid(pid, pid)
            except OSError:
                pass
            self.pid = pid
        else:
            proc = subprocess.Popen(
                [sys.executable, "-u", _LAUNCHER, "child", str(res_w)],
                stdin=subprocess.PIPE, stdout=out_w, stderr=err_w, pass_fds=(res_w,), start_new_session=True, close_fds=True,
            )
            self.proc, self.pid = proc, proc.pid
            assert proc.stdin is not None  # stdin=PIPE
            proc.stdin.write(json.dumps(self.spec).encode("utf-8"))
            proc.stdin.close()
        for fd in (out_w, err_w, res_w):
            os.close(fd)
        return {"stdout": out_r, "stderr": err_r, "result": res_r}

    def kill(self, reason):
        if self.killed_reason:
            return
        self.killed_reason = reason
        if self.pid is None:
            return  # no process started yet: nothing to kill
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def outcome(self, status):
        """The task's result once its process has exited with `status` and its pipes are drained."""
        result = self.result
        if self.killed_reason == "timeout":
            headline = "Step %s timed out after %s s (@timeout) and was killed" % (self.spec["ref"]["step"], _fmt_seconds(self.timeout))
            result = {"ok": False, "failure": {"headline": headline, "kind": "timeout"}}
        elif self.killed_reason == "cancelled":
            result = {"ok": False, "failure": {"headline": "Task cancelled", "kind": "cancelled"}}
        elif result is None:
            result = {"ok": False, "failure": dict(exit_facts(status), headline=describe_status(status), kind="infrastructure")}
            # The task could not say why it stopped: its stderr log says it (as Metaflow's does);
            # the runtime reports the failure itself, so the line is not sent live.
            if "stderr" in self.captures:
                self.captures["stderr"].add_line(result["failure"]["headline"], live=False)
        if self.peak_rss is not None:
            result["peakRssBytes"] = self.peak_rss
            if result.get("failure"):
                result["failure"]["peakRssBytes"] = self.peak_rss
        if self.killed_reason:
            result.pop("persisted", None)  # killed after storing: not finished, so no DONE.lock
        return result
