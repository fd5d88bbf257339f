"""One task in a process of its own, from a spec file to a result file: a remote container's entry.

`python -c <harness entry> SPEC_FILE RESULT_FILE` (runtime/src/executors/batch/bootstrap.ts)
runs the task harness on the TaskSpec in SPEC_FILE and writes its result, with the artifacts it
stored, as JSON to RESULT_FILE; the exit code is 0 when the task succeeded.

The attempt is finished (`_finish`) only once the caller has stored the task's logs. With a
finish channel (FLOWLENS_FINISH_CHANNEL, "<socket fd>:<container stderr fd>", from the
bootstrap) this process does it, with the datastore client it already has: it ends the log pipes
by pointing stdout and stderr at the container's stderr, says "r", waits for "g" (the logs are
stored), finishes, and answers "0" or "1". Without one (or when the bootstrap is gone) the
caller finishes the attempt in a process of its own.
"""

import json
import os
import sys


def main(argv):
    channel = _take_finish_channel()
    spec_path, result_path = argv[0], argv[1]
    with open(spec_path) as f:
        spec = json.load(f)
    artifacts = []
    ds = None

    def emit(message):
        if isinstance(message, dict) and message.get("type") == "artifact":
            artifacts.append(message)

    try:
        from ._datastore import FlowDatastore
        from ._flowload import load_flow_module
        from ._flowopts import set_task_context
        from ._harness import run_task
        from ._storage import storage_from_env

        # The run's options (configs, branch) and the run itself must be known while the flow is imported.
        os.environ.update({str(k): str(v) for k, v in (spec.get("env") or {}).items()})
        set_task_context(spec)
        module = load_flow_module(spec["flowFile"])
        ds = FlowDatastore(storage_from_env(), spec["flowName"])
        result = run_task(spec, module, emit, write_done=False, ds=ds)
    except BaseException as e:
        result = {"ok": False, "persisted": False, "failure": {"headline": "%s: %s" % (type(e).__name__, e), "kind": "user"}}
    result["artifacts"] = artifacts
    failure = result.get("failure") or {}
    if not result.get("ok") and failure.get("traceback"):
        # As with Metaflow, the traceback is part of the task's stderr log.
        sys.stderr.write(failure["traceback"])
        sys.stderr.flush()
    text = json.dumps(result, default=str)
    with open(result_path, "w") as f:
        f.write(text)
    if channel is not None:
        _finish_when_told(channel, spec, json.loads(text), ds)
    else:
        # Another process finishes the attempt: the records this one holds go now.
        _save_records(ds, spec)
    return 0 if result.get("ok") else 1


def _take_finish_channel():
    """The bootstrap's finish channel, hidden from the task: the variable is removed and the
    descriptors are not inherited by the processes the step starts."""
    value = os.environ.pop("FLOWLENS_FINISH_CHANNEL", "")
    try:
        sock_fd, err_fd = (int(part) for part in value.split(":"))
    except ValueError:
        return None
    for fd in (sock_fd, err_fd):
        os.set_inheritable(fd, False)
    import socket

    return socket.socket(fileno=sock_fd), err_fd


def _finish_when_told(channel, spec, result, ds):
    sock, err_fd = channel
    _end_task_output(err_fd)
    try:
        sock.sendall(b"r")
        if sock.recv(1) != b"g":
            # The bootstrap is gone, or stored no result: the attempt stays unfinished, with
            # the records it has.
            _save_records(ds, spec)
            return
        ok = False
        try:
            from ._finish import finish_attempt

            if ds is None:  # the datastore could not be opened for the task: try once more
                from ._datastore import FlowDatastore
                from ._storage import storage_from_env

                ds = FlowDatastore(storage_from_env(), spec["flowName"])
            ok = finish_attempt(ds, spec, result) is result
        except Exception as e:
            sys.stderr.write("[flowlens] could not finish %s: %s: %s\n" % (spec.get("pathspec"), type(e).__name__, e))
            sys.stderr.flush()
        sock.sendall(b"0" if ok else b"1")
        # The attempt is complete and its logs stored: what is left of this process is its
        # exit. The last garbage collection of everything the task and boto3 made (a fifth of
        # a second of CPU) is skipped; atexit functions and threads are still waited for.
        import gc

        gc.freeze()
    except OSError:
        pass  # the bootstrap is gone: it finishes nothing, and neither does this process
    finally:
        sock.close()


def _end_task_output(err_fd):
    """Ends the task's log pipes: what Python still buffers goes into them first (C's stdio is
    unbuffered here: the bootstrap sets PYTHONUNBUFFERED, which unbuffers it too), then stdout
    and stderr point at the container's stderr."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            pass
    os.dup2(err_fd, 1)
    os.dup2(err_fd, 2)
    os.close(err_fd)


def _save_records(ds, spec):
    """Saves the attempt's Metaflow records this process holds (none without a datastore)."""
    if ds is None:
        return
    from ._mfmeta import AttemptRecords

    AttemptRecords.of(ds, spec).save()
