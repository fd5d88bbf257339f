"""What the commands that read results share: the datastore the top-level options name, and
a run's step or task from a `RUN/STEP[/TASK]` path (without the flow's name, as Metaflow's CLI takes it)."""

import os
import sys

from .usage import CommandError, UsageError


def use_datastore(top):
    """Points the client at the datastore of `--datastore`/`--datastore-root`, as the runtime would."""
    if top.datastore_root:
        root = top.datastore_root
        os.environ["FLOWLENS_DATASTORE_ROOT"] = root if root.startswith("s3://") else os.path.abspath(root)
    if top.datastore:
        os.environ["FLOWLENS_DATASTORE"] = top.datastore


def tasks_of(flow_name, path, command):
    """The client's tasks for `RUN/STEP` (every task, lowest id first) or `RUN/STEP/TASK`."""
    from flowlens.client import Step, Task, namespace
    from flowlens.client.exceptions import MetaflowException

    parts = path.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise UsageError("%s takes RUN_ID/STEP or RUN_ID/STEP/TASK_ID, got '%s'" % (command, path))
    namespace(None)  # Metaflow's dump and logs read the datastore directly, in no namespace
    pathspec = "/".join([flow_name] + parts)
    try:
        if len(parts) == 3:
            return [Task(pathspec)]
        tasks = list(Step(pathspec))
    except MetaflowException as e:
        raise CommandError(str(e))
    tasks.sort(key=lambda t: (len(t.id), t.id))
    return tasks


def say(quiet, text):
    """A progress line on stderr, as Metaflow's echo prints it; --quiet drops it."""
    if not quiet:
        sys.stderr.write(text + "\n")
