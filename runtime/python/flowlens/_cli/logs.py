"""`python flow.py logs RUN/STEP[/TASK]`: a task's output as the task printed it (one line per
line, no prefixes), with Metaflow's options (--stdout, --stderr, --both, --timestamps, --attempt)."""

import sys

from .argv import Spec, scan
from .reading import say, tasks_of, use_datastore
from .usage import CommandError, UsageError

_SPECS = {
    "stdout": Spec(0), "no-stdout": Spec(0), "stderr": Spec(0), "no-stderr": Spec(0),
    "both": Spec(0), "no-both": Spec(0), "timestamps": Spec(0), "no-timestamps": Spec(0),
    "attempt": Spec(),
}


def _options(args):
    if args and args[0] == "scrub":
        raise UsageError("logs scrub is not supported: Flowlens keeps a task's logs as they were written")
    if args and args[0] == "show":
        args = args[1:]  # `logs show` is the default command's own name
    options, positionals, _ = scan(args, _SPECS, False, "for logs")
    if len(positionals) != 1:
        raise UsageError("logs takes one RUN_ID/STEP or RUN_ID/STEP/TASK_ID")
    flags = dict((name, True) for name, _ in options if name in ("stdout", "stderr", "timestamps"))
    attempt = None
    for name, values in options:
        if name == "attempt":
            if not values[0].isdigit():
                raise UsageError("--attempt needs a whole number, got '%s'" % values[0])
            attempt = int(values[0])
    streams = [s for s in ("stdout", "stderr") if flags.get(s)]
    if not streams:
        streams = ["stdout", "stderr"] if ("no-both", []) not in options else []
    return positionals[0], streams, flags.get("timestamps", False), attempt


def _lines(task, stream, attempt):
    if attempt is None:
        return list(task.loglines(stream))
    from flowlens.client import Task

    try:
        return list(Task(task.pathspec, attempt=attempt).loglines(stream))
    except Exception as e:  # noqa: BLE001 - an attempt that does not exist is named
        raise CommandError("%s has no attempt %d: %s" % (task.pathspec, attempt, e))


def logs(flow_cls, flow_file, top, args):
    path, streams, timestamps, attempt = _options(args)
    use_datastore(top)
    out = sys.stdout
    for task in tasks_of(flow_cls.__name__, path, "logs"):
        run_id, step, task_id = task.path_components[1:4]
        say(top.quiet, "Dumping logs of run_id=%s step=%s task_id=%s" % (run_id, step, task_id))
        for stream in streams:
            say(top.quiet, stream)
            for ts, line in _lines(task, stream, attempt):
                if timestamps and ts is not None:
                    out.write(ts.astimezone().strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + " ")
                out.write(line + "\n")
    out.flush()
    return 0
