"""Finishing an attempt once its task process has exited: the one place that does it.

In order: the task's logs, how a failed or caught attempt ended (`flowlens_outcome.json`, read by
the Runs view), then `<attempt>.DONE.lock` (only for an attempt whose artifacts
were stored), then Metaflow's `attempt-done` record (`_mfmeta`). DONE.lock comes
after the logs so that a finished attempt is always complete (runtime/README.md). The local
worker calls `finish_attempt` in its own process; a Batch container calls `main` (from
runtime/src/executors/batch/bootstrap.ts) after its task process has exited and its logs are stored.
"""

import json
import sys

from ._layout import ATTEMPT_OUTCOME, log_suffix
from ._mfmeta import AttemptRecords


def finish_attempt(ds, spec, result, logs=None):
    """Returns the result to report (a failure when DONE.lock cannot be written).

    `ds`: the run's FlowDatastore; `result`: the harness's result (`persisted` says whether
    data.json was written); `logs`: {"stdout": text, "stderr": text}, or None when the caller
    stores them itself.
    """
    ref = spec["ref"]
    if logs is not None:
        try:
            write_logs(ds, spec, logs)
        except Exception as e:
            _warn("could not write the logs of %s: %s" % (spec.get("pathspec"), e))
    write_outcome(ds, spec, result)
    if result.get("persisted"):
        try:
            ds.write_done(ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0)))
        except Exception as e:
            return {"ok": False, "failure": {"headline": "Could not write DONE.lock: %s" % e, "kind": "infrastructure"}}
        AttemptRecords.of(ds, spec).done()
    else:
        AttemptRecords.of(ds, spec).save()
    return result


def write_logs(ds, spec, logs):
    """`logs`: {"stdout": text, "stderr": text}, each stored whole (atomically) as the attempt's log.

    An empty stream is not written: every reader (Metaflow's client too) takes a missing log as
    empty, and most tasks print nothing on at least one stream. A log only grows, so a stream
    written once while the task ran is never left behind by a shorter one."""
    ref = spec["ref"]
    for stream in ("stdout", "stderr"):
        text = logs.get(stream, "")
        if not text:
            continue
        key = ds.attempt_key(ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0)), log_suffix("runtime", stream))
        ds.storage.put(key, text.encode("utf-8"))


def write_outcome(ds, spec, result):
    """How an attempt that failed or had an exception caught ended: the failure's facts, the
    exception @catch swallowed, the peak memory. Before DONE.lock, which stays the attempt's last file."""
    if not result.get("failure") and not result.get("caught"):
        return  # a plain success: nothing to say, and no extra write per task
    outcome = {k: result[k] for k in ("failure", "caught", "peakRssBytes") if result.get(k) is not None}
    ref = spec["ref"]
    try:
        key = ds.attempt_key(ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0)), ATTEMPT_OUTCOME)
        ds.storage.put(key, json.dumps(outcome, default=str).encode("utf-8"))
    except Exception as e:
        _warn("could not write the outcome of %s: %s" % (spec.get("pathspec"), e))


def _warn(message):
    sys.stderr.write("[flowlens] %s\n" % message)
    sys.stderr.flush()


def main(argv=None):
    """`python -c <entry> SPEC_FILE RESULT_FILE`: used where the task ran in another process
    whose logs the caller stores itself (a Batch container); exit 1 when DONE.lock failed."""
    from ._datastore import FlowDatastore
    from ._storage import storage_from_env

    args = sys.argv[1:] if argv is None else argv
    with open(args[0]) as f:
        spec = json.load(f)
    try:
        with open(args[1]) as f:
            result = json.load(f)
    except (OSError, ValueError):
        result = {"ok": False, "persisted": False}
    ds = FlowDatastore(storage_from_env(), spec["flowName"])
    return 0 if finish_attempt(ds, spec, result) is result else 1
