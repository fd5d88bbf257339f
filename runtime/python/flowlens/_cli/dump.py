"""`python flow.py dump RUN/STEP[/TASK]`: a task's artifacts, printed or pickled to --file as
`{"RUN/STEP/TASK": {name: value}}`, with Metaflow's options."""

import pickle
import sys

from .argv import Spec, scan
from .reading import say, tasks_of, use_datastore
from .usage import CommandError, UsageError

_SPECS = {
    "private": Spec(0), "no-private": Spec(0),
    "max-value-size": Spec(), "include": Spec(), "file": Spec(),
}


class ArtifactTooLarge(object):
    """Stands for a value over --max-value-size (or of unknown size) in the printed dump."""

    def __repr__(self):
        return "<artifact too large to show: raise --max-value-size>"

    __str__ = __repr__


def _options(args):
    options, positionals, _ = scan(args, _SPECS, False, "for dump")
    if len(positionals) != 1:
        raise UsageError("dump takes one RUN_ID/STEP or RUN_ID/STEP/TASK_ID")
    opts = {"private": False, "max_value_size": 1000, "include": set(), "file": None}
    for name, values in options:
        if name in ("private", "no-private"):
            opts["private"] = name == "private"
        elif name == "max-value-size":
            try:
                opts["max_value_size"] = int(values[0])
            except ValueError:
                raise UsageError("--max-value-size needs a whole number, got '%s'" % values[0])
        elif name == "include":
            opts["include"] = set(n for n in values[0].split(",") if n)
        else:
            opts["file"] = values[0]
    return positionals[0], opts


def _values(task, opts, limit):
    """{name: value} of one task, filtered as Metaflow's dump filters them."""
    out = {}
    for artifact in task:
        name = artifact.id
        if opts["include"] and name not in opts["include"]:
            continue
        if name.startswith("_") and not opts["private"]:
            continue
        size = artifact.size or 0
        if limit is not None and (size == 0 or size > limit):
            out[name] = ArtifactTooLarge()
            continue
        try:
            out[name] = artifact.data
        except Exception as e:  # noqa: BLE001 - a damaged or unloadable artifact is named, not hidden
            raise CommandError("artifact %s of %s cannot be read: %s" % (name, task.pathspec, e))
    return out


def dump(flow_cls, flow_file, top, args):
    path, opts = _options(args)
    use_datastore(top)
    tasks = tasks_of(flow_cls.__name__, path, "dump")
    output = {}
    for task in tasks:
        run_id, step, task_id = task.path_components[1:4]
        say(top.quiet, "Dumping output of run_id=%s step=%s task_id=%s" % (run_id, step, task_id))
        if opts["file"] is None:
            values = _values(task, opts, opts["max_value_size"])
            sizes = dict((a.id, (a.size, a.type)) for a in task)
            for name in sorted(values):
                size, kind = sizes[name]
                sys.stdout.write("%s [size: %s type: %s] = %s\n" % (name, size, kind, values[name]))
        else:
            output["%s/%s/%s" % (run_id, step, task_id)] = _values(task, opts, None)
    if opts["file"] is not None:
        try:
            with open(opts["file"], "wb") as f:
                pickle.dump(output, f, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as e:
            raise CommandError("cannot write %s: %s" % (opts["file"], e.strerror or e))
        say(top.quiet, "Artifacts written to %s" % opts["file"])
    return 0
