"""The task process's side of the worker: what a forked child does, and small process helpers."""

import json
import os
import signal
import sys

from . import _harness
from ._control import describe_exception


def _load_prctl():
    # Loaded once in the worker: importing ctypes in every forked child would cost milliseconds.
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except Exception:
        return None


_PRCTL = _load_prctl()


def _set_pdeathsig():
    """Linux: the child dies with the worker, so a killed worker leaves no orphan tasks."""
    if _PRCTL is not None:
        try:
            _PRCTL(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass


def run_child(spec, module, out_w, err_w, res_w, close_fds):
    """The forked task process: its own process group, fds 1/2 on the pipes, the result on res_w. Never returns."""
    code = 0
    try:
        os.setpgid(0, 0)
        _set_pdeathsig()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        sys.modules["__main__"] = module
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        keep = {0, 1, 2, res_w}
        for fd in list(close_fds) + [devnull, out_w, err_w]:
            if fd not in keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        result = _harness.run_task(spec, module, lambda msg: write_line(res_w, msg))
        sys.stdout.flush()
        sys.stderr.flush()
        write_line(res_w, dict(result, type="result"))
    except BaseException as e:  # the child must never return into the worker's loop
        try:
            write_line(res_w, {"type": "result", "ok": False, "failure": describe_exception(e, None, "infrastructure")})
        except BaseException:
            pass
        code = 1
    os._exit(code)


def describe_status(status):
    if status is None:
        return "The task process vanished without a result"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = "signal %d" % sig
        if sig == signal.SIGSEGV:
            return "Task failed with a segmentation fault (the task process was killed by SIGSEGV)"
        return "The task process was killed by %s%s" % (name, " (out of memory?)" if sig == signal.SIGKILL else "")
    return "The task process exited with code %d without a result" % os.WEXITSTATUS(status)


def exit_facts(status):
    """How a process ended, for the runtime's failure reasons: {"signal": "SIGKILL"} or {"exitCode": 3}."""
    if status is None:
        return {}
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            return {"signal": signal.Signals(sig).name}
        except ValueError:
            return {"signal": "signal %d" % sig}
    return {"exitCode": os.WEXITSTATUS(status)}


def peak_rss_bytes(usage):
    """A child's peak resident memory from its rusage: Linux counts ru_maxrss in KiB, macOS in bytes."""
    if usage is None or not usage.ru_maxrss:
        return None
    return int(usage.ru_maxrss) if sys.platform == "darwin" else int(usage.ru_maxrss) * 1024


def write_line(fd, msg):
    data = (json.dumps(msg, default=str) + "\n").encode("utf-8")
    while data:
        n = os.write(fd, data)
        data = data[n:]
