"""The options of `run`, `resume` and `spin` after the command, turned into the run request
that Flowlens's run service takes (runtime/src/run/request.ts), the same object `flowlens
run|resume|step` builds from its own arguments. Values are passed as typed: the service checks
them, once, for both. Options Metaflow has and Flowlens does not are refused here with the
reason, before anything runs."""

import sys

from .argv import MissingValue, Spec, scan
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

# Passed to the run service as typed: option -> (request field, whether it is a list).
_PASSED = {
    "tag": ("tags", True), "with": ("with", True),
    "max-workers": ("maxWorkers", False), "max-num-splits": ("maxNumSplits", False),
    "run-id-file": ("runIdFile", False), "origin-run-id": ("originRunId", False),
}

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


def _fields(options):
    out = {}
    for name, values in options:
        if name in _PASSED:
            field, is_list = _PASSED[name]
            if is_list:
                out.setdefault(field, []).extend(values)
            else:
                out[field] = values[0]
        elif name in _WHY_NOT:
            raise UsageError("--%s is not supported: %s" % (name, _WHY_NOT[name]))
        elif name not in _ACCEPTED:
            raise UsageError("--%s is not supported here" % name)
    return out


def _request(mode, flow_file, flow_name, top, fields):
    """The request: the command's fields, then the top-level options (their `--with` after the command's)."""
    request = {"mode": mode, "file": flow_file, "flow": flow_name}
    request.update(fields)
    request["python"] = sys.executable
    if top.datastore:
        request["datastore"] = top.datastore
    if top.datastore_root:
        request["datastoreRoot"] = top.datastore_root
    if top.with_values:
        request["with"] = request.get("with", []) + top.with_values
    if top.config:
        request["config"] = top.config
    if top.config_value:
        request["configValue"] = top.config_value
    if top.branch is not None:
        request["branch"] = top.branch
    if top.production:
        request["production"] = True
    return request


def run_request(flow_file, flow_cls, top, args):
    """`run` options and flow parameters (`--alpha 1`)."""
    params = []
    try:
        options, positionals, _ = scan(args, _RUN, False, "for run", extra=params)
    except MissingValue as e:
        raise _missing_value(e, flow_cls)
    if positionals:
        raise UsageError("run takes no argument '%s' (parameters are given as --name value)" % positionals[0])
    fields = _fields(options)
    fields["parameters"] = dict(params)
    return _request("run", flow_file, flow_cls.__name__, top, fields)


def _missing_value(error, flow_cls):
    """A last `--name` without a value: a parameter that needs one, or an option that does not exist.

    Given a value, an unknown name is refused by the run service, in the same words."""
    from flowlens._inputs import parameters_of

    known = ["--%s" % p.name for p in parameters_of(flow_cls).values()]
    if "--" + error.name in known:
        return error
    return UsageError("unknown option --%s %s" % (error.name, "(this flow's parameters: %s)" % ", ".join(known) if known else "(this flow has no parameters)"))


def resume_request(flow_file, flow_cls, top, args):
    """`resume [STEP]` options."""
    options, positionals, _ = scan(args, _RESUME, False, "for resume")
    if len(positionals) > 1:
        raise UsageError("resume takes one step to re-run, got '%s'" % " ".join(positionals))
    fields = _fields(options)
    if positionals:
        fields["step"] = positionals[0]
    return _request("resume", flow_file, flow_cls.__name__, top, fields)


def spin_request(flow_file, flow_cls, top, args):
    """`spin STEP | RUN/STEP | FLOW/RUN/STEP`: the runtime's `step` mode."""
    flow_name = flow_cls.__name__
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
    fields = _fields(options)
    fields["step"] = step
    if run_id is not None:
        fields["originRunId"] = run_id
    return _request("step", flow_file, flow_name, top, fields)
