"""`tag list`: the tags of one run (--run-id or RUN_ID), of all runs (--all, the default), or of
the user's runs (--my-runs), grouped by run (--group-by-run), by tag (--group-by-tag), together,
or flat (--flat: one tag a line on stderr after the banner line, as Metaflow's hidden option)."""

import sys

from .tagprint import print_groups
from .usage import CommandError


def _check(options, run_id):
    list_all, my_runs = "all" in options, "my-runs" in options
    if run_id is None and not list_all and not my_runs:
        list_all = True
    if list_all and my_runs:
        raise CommandError("Option --all cannot be used together with --my-runs.")
    if "group-by-run" in options and "group-by-tag" in options:
        raise CommandError("Option --group-by-tag cannot be used with --group-by-run")
    if "flat" in options and ("group-by-run" in options or "group-by-tag" in options):
        raise CommandError("Option --flat cannot be used with any --group-by-* option")
    return list_all, my_runs


def _runs(flow_name, list_all, my_runs, run_id, find_run, user_namespace):
    from flowlens.client import Flow, namespace
    from flowlens.client.exceptions import MetaflowNotFound

    if run_id is not None:
        return [find_run(flow_name, run_id, None)]
    namespace(user_namespace() if my_runs else None)
    try:
        return list(Flow(flow_name).runs())
    except MetaflowNotFound:
        raise CommandError("Cannot list tags because the flow %s has never been run." % flow_name)


def _groups(runs, options):
    hide = "hide-system-tags" in options
    system_by, all_by = {}, {}
    for run in runs:
        user = run.tags - run.system_tags
        if "group-by-run" in options:
            all_by[run.pathspec] = user if hide else run.tags
            if not hide:
                system_by[run.pathspec] = run.system_tags
        elif "group-by-tag" in options:
            for t in user:
                all_by.setdefault(t, []).append(run.pathspec)
            for t in [] if hide else run.system_tags:
                system_by.setdefault(t, []).append(run.pathspec)
        else:
            key = ",".join(r.pathspec for r in runs)
            all_by.setdefault(key, set()).update(user if hide else run.tags)
            if not hide:
                system_by.setdefault(key, set()).update(run.system_tags)
    return system_by, all_by


def list_tags(flow_name, top, options, arg_run_id, find_run, user_namespace):
    run_id = options.get("run-id", [None])[0]
    if run_id is not None and arg_run_id is not None:
        raise CommandError("Specify a run either using --run-id or as an argument but not both")
    run_id = run_id if run_id is not None else arg_run_id
    list_all, my_runs = _check(options, run_id)
    runs = _runs(flow_name, list_all, my_runs, run_id, find_run, user_namespace)
    system_by, all_by = _groups(runs, options)
    if "flat" in options:
        if not top.quiet:
            for tags in all_by.values():
                sys.stderr.write("".join(t + "\n" for t in sorted(tags)))
        return
    print_groups(top.quiet, system_by, all_by, "group-by-tag" in options)
