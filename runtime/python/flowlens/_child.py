"""One task in a fresh process: the worker's fallback where os.fork is unavailable.

Started as `python -u <bundle>/_flowlens_launch.py child RESULT_FD`: argv[1] is the result fd;
the TaskSpec JSON arrives on stdin.
"""

import json
import os
import sys


def main():
    from . import _harness
    from ._flowload import load_flow_module
    from ._flowopts import set_task_context
    from ._proc import write_line

    res_fd = int(sys.argv[1])
    spec = json.loads(sys.stdin.read())
    try:
        set_task_context(spec)
        module = load_flow_module(spec["flowFile"])
        result = _harness.run_task(spec, module, lambda msg: write_line(res_fd, msg))
    except BaseException as e:
        result = {"ok": False, "failure": _harness.describe_exception(e, spec.get("flowFile"), "user")}
    sys.stdout.flush()
    sys.stderr.flush()
    write_line(res_fd, dict(result, type="result"))
    os._exit(0)
