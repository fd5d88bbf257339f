"""The options of `run`, `resume` and `spin` after the command, translated to the runtime CLI's
(`flowlens run|resume|step FILE ...`). Refused options name the reason before anything runs."""

from .argv import Spec, scan
from .usage import UsageError

_COMMON = {
    "tag": Spec(repeat=True), "max-workers": Spec(), "max-num-splits": Spec(),
    "max-log-size": Spec(), "with": Spec(repeat=True),
    "run-id-file": Spec(), "runner-attribute-file": Spec(),
}
_RUN = dict(_COMMON, namespace=Spec())
_RESUME = dict(
    _COMMON,
    **{
        "origin-run-id": Spec(), "run-id": Spec(), "resume-identifier": Spec(),
        "clone-only": Spec(0), "no-clone-only": Spec(0), "reentrant": Spec(0), "no-reentrant": Spec(0),
    }
)
_SPIN = {
    "skip-decorators": Spec(0), "no-skip-decorators": Spec(0), "artifacts-module": Spec(),
    "persist": Spec(0), "no-persist": Spec(0), "max-log-size": Spec(),
    "run-id-file": Spec(), "runner-attribute-file": Spec(),
}

# Passed to the runtime as given.
_PASSED = ("tag", "max-workers", "max-num-splits", "with", "run-id-file", "origin-run-id")

_WHY_NOT = {
    "max-log-size": "Flowlens keeps a task's whole output and does not truncate it",
    "runner-attribute-file": "it is internal to Metaflow's Runner; Flowlens's Runner uses --run-id-file",
    "namespace": "Flowlens's tasks read the client API in the default namespace",
    "run-id": "Flowlens chooses the id of every new run",
    "resume-identifier": "it is internal to Metaflow's task launcher",
    "clone-only": "Flowlens's resume always runs what it does not reuse",
    "reentrant": "Flowlens does not run one resume from several processes",
    "skip-decorators": "Flowlens runs the spun step with its decorators",
    "artifacts-module": "Flowlens runs the spun step on the origin run's artifacts only",
    "no-persist": "Flowlens always stores the spun step's artifacts, in a new run",
}
# Negations of refused flags, and defaults: accepted, they change nothing.
_ACCEPTED = ("no-clone-only", "no-reentrant", "no-skip-decorators", "persist")


def _translate(options):
    out = []
    for name, values in options:
        if name in _PASSED:
            out.append("--" + name)
            out.extend(values)
        elif name in _WHY_NOT:
            raise UsageError("--%s is not supported: %s" % (name, _WHY_NOT[name]))
        elif name not in _ACCEPTED:
            raise UsageError("--%s is not supported here" % name)
    return out


def translate_run(args):
    """`run` options and flow parameters (`--alpha 1`): the runtime CLI's `run` arguments after FILE."""
    params = []
    options, positionals, _ = scan(args, _RUN, False, "for run", extra=params)
    if positionals:
        raise UsageError("run takes no argument '%s' (parameters are given as --name value)" % positionals[0])
    out = _translate(options)
    for name, value in params:
        out.extend(["--" + name, value])
    return out


def translate_resume(args):
    """`resume [STEP]` options: the runtime CLI's `resume` arguments after FILE (STEP first)."""
    options, positionals, _ = scan(args, _RESUME, False, "for resume")
    if len(positionals) > 1:
        raise UsageError("resume takes one step to re-run, got '%s'" % " ".join(positionals))
    return positionals + _translate(options)


def translate_spin(args, flow_name):
    """`spin STEP | RUN/STEP | FLOW/RUN/STEP`: the runtime CLI's `step` arguments after FILE."""
    options, positionals, _ = scan(args, _SPIN, False, "for spin")
    if len(positionals) != 1:
        raise UsageError("spin needs one step: spin STEP, spin RUN_ID/STEP or spin %s/RUN_ID/STEP" % flow_name)
    parts = positionals[0].split("/")
    if len(parts) >= 3 and parts[0] == flow_name:
        parts = parts[1:]
    if len(parts) == 1:
        run_id, step = None, parts[0]
    elif len(parts) == 2:
        run_id, step = parts
    else:
        raise UsageError(
            "spin %s: Flowlens spins every task of a step, not one task; give RUN_ID/STEP" % positionals[0]
        )
    out = [step] + _translate(options)
    if run_id is not None:
        out.extend(["--origin-run-id", run_id])
    return out
