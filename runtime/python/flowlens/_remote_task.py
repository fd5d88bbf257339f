"""One task in a process of its own, from a spec file to a result file: a remote container's entry.

`python -c <harness entry> SPEC_FILE RESULT_FILE` (runtime/src/executors/batch/bootstrap.ts)
runs the task harness on the TaskSpec in SPEC_FILE and writes its result, with the artifacts it
stored, as JSON to RESULT_FILE; the exit code is 0 when the task succeeded. The attempt is
finished afterwards (`_finish`), once the caller has stored the task's logs.
"""

import json
import os
import sys


def main(argv):
    spec_path, result_path = argv[0], argv[1]
    with open(spec_path) as f:
        spec = json.load(f)
    artifacts = []

    def emit(message):
        if isinstance(message, dict) and message.get("type") == "artifact":
            artifacts.append(message)

    try:
        from ._flowload import load_flow_module
        from ._flowopts import set_task_context
        from ._harness import run_task

        # The run's options (configs, branch) and the run itself must be known while the flow is imported.
        os.environ.update({str(k): str(v) for k, v in (spec.get("env") or {}).items()})
        set_task_context(spec)
        module = load_flow_module(spec["flowFile"])
        result = run_task(spec, module, emit, write_done=False)
    except BaseException as e:
        result = {"ok": False, "persisted": False, "failure": {"headline": "%s: %s" % (type(e).__name__, e), "kind": "user"}}
    result["artifacts"] = artifacts
    failure = result.get("failure") or {}
    if not result.get("ok") and failure.get("traceback"):
        # As with Metaflow, the traceback is part of the task's stderr log.
        sys.stderr.write(failure["traceback"])
        sys.stderr.flush()
    with open(result_path, "w") as f:
        json.dump(result, f, default=str)
    return 0 if result.get("ok") else 1
