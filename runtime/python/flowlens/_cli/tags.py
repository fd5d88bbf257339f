"""`python flow.py tag list|add|remove|replace`: a run's tags, with Metaflow's options and output.

Output follows Metaflow's CLI: progress and `--flat` listings go to stderr (the first line
there is a banner, which scripts skip), tables to stdout, and `--quiet` prints the parseable
`RUNS ; SYSTEM_TAGS ; USER_TAGS` form. Tag changes use the client (Run.replace_tags).
"""

import sys

from .argv import Spec, scan
from .reading import use_datastore
from .tagprint import print_groups
from .usage import CommandError, UsageError

_MUTATE = {"run-id": Spec(), "namespace": Spec()}
_REPLACE = dict(_MUTATE, add=Spec(repeat=True), remove=Spec(repeat=True))
_LIST = {
    "run-id": Spec(), "all": Spec(0), "my-runs": Spec(0), "hide-system-tags": Spec(0),
    "group-by-tag": Spec(0), "group-by-run": Spec(0), "flat": Spec(0),
}


def _user_namespace():
    from flowlens.client._settings import _username

    user = _username()
    return "user:%s" % user if user else None


def _run(flow_name, run_id, ns):
    """The run to tag, in namespace `ns`, with Metaflow's messages for a missing flow, id or run."""
    from flowlens.client import Flow, Run, namespace
    from flowlens.client.exceptions import MetaflowNamespaceMismatch, MetaflowNotFound

    namespace(ns)
    try:
        flow = Flow(flow_name)
    except MetaflowNotFound:
        raise CommandError("No run found for %s. Run the flow before tagging." % flow_name)
    if run_id is None:
        latest = flow.latest_run
        raise CommandError(
            "Give a run id with --run-id. %s's latest run in namespace %s has id %s."
            % (flow_name, ns, latest.id if latest is not None else "(none)")
        )
    if "/" in run_id:
        raise CommandError("Run id %s is not a valid run id" % run_id)
    try:
        return Run("%s/%s" % (flow_name, run_id))
    except MetaflowNotFound:
        raise CommandError("No run %s/%s found for flow %s" % (flow_name, run_id, flow_name))
    except MetaflowNamespaceMismatch:
        raise CommandError("Run %s/%s for flow %s does not belong to namespace %s" % (flow_name, run_id, flow_name, ns))


def _mutation_target(flow_name, options):
    values = dict((name, v[0]) for name, v in options if name in ("run-id", "namespace"))
    ns = values.get("namespace") or _user_namespace()
    return _run(flow_name, values.get("run-id"), ns)


def _apply(run, remove, add):
    from flowlens.client.exceptions import MetaflowException

    try:
        run.replace_tags(remove, add)
    except MetaflowException as e:
        raise CommandError(str(e))


def _show_after_change(top, run):
    if not top.quiet:
        sys.stdout.write("Operation successful. New tags:\n")
    print_groups(top.quiet, {run.pathspec: run.system_tags}, {run.pathspec: run.tags}, by_tag=False)


def _add_or_remove(kind):
    def command(flow_cls, top, args):
        options, tags, _ = scan(args, _MUTATE, False, "for tag %s" % kind)
        if not tags:
            raise UsageError("tag %s needs at least one tag" % kind)
        run = _mutation_target(flow_cls.__name__, options)
        _apply(run, tags if kind == "remove" else [], tags if kind == "add" else [])
        _show_after_change(top, run)

    return command


def _replace(flow_cls, top, args):
    options, positionals, _ = scan(args, _REPLACE, False, "for tag replace")
    if positionals:
        raise UsageError("tag replace takes its tags as --remove TAG --add TAG, not '%s'" % positionals[0])
    add = [v[0] for n, v in options if n == "add"]
    remove = [v[0] for n, v in options if n == "remove"]
    if not remove:
        raise CommandError("Give at least one tag to remove (--remove); to only add tags, use tag add.")
    if not add:
        raise CommandError("Give at least one tag to add (--add); to only remove tags, use tag remove.")
    run = _mutation_target(flow_cls.__name__, options)
    _apply(run, remove, add)
    _show_after_change(top, run)


def _list(flow_cls, top, args):
    from .taglist import list_tags

    options, positionals, _ = scan(args, _LIST, False, "for tag list")
    if len(positionals) > 1:
        raise UsageError("tag list takes at most one run id")
    list_tags(flow_cls.__name__, top, dict(options), positionals[0] if positionals else None, _run, _user_namespace)


_SUBCOMMANDS = {"list": _list, "add": _add_or_remove("add"), "remove": _add_or_remove("remove"), "replace": _replace}


def tag(flow_cls, flow_file, top, args):
    if not args or args[0] not in _SUBCOMMANDS:
        raise UsageError("tag needs one of: list, add, remove, replace")
    use_datastore(top)
    _SUBCOMMANDS[args[0]](flow_cls, top, args[1:])
    return 0
