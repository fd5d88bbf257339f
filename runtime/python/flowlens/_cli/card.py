"""`python flow.py card list|get|view [PATHSPEC]`: a task's cards, as Metaflow's card command.

`card list` without PATHSPEC lists the cards of every task of the flow's latest run.

PATHSPEC is `STEP` (the latest run), `RUN/STEP` or `RUN/STEP/TASK`. Options: --type, --id,
--hash (a prefix), --follow-resumed/--no-follow-resumed, and for list --as-json and --file.
`get` prints the card's HTML or writes it to PATH; with several matches it lists them. When
no card matches, the error's headline is Metaflow's ("Card not found in datastore").
"""

import json
import sys

from .argv import Spec, scan
from .reading import say, use_datastore
from .usage import CommandError, UsageError

_READ = {"type": Spec(), "id": Spec(), "hash": Spec(), "follow-resumed": Spec(0), "no-follow-resumed": Spec(0)}
_LIST = dict(_READ, **{"as-json": Spec(0), "file": Spec()})
_USAGE = "card takes list|get|view (card list [PATHSPEC], card get PATHSPEC [PATH], card view PATHSPEC)"


def _options(args, specs, command):
    options, positionals, _ = scan(args, specs, False, "for card %s" % command)
    out = {"follow": True}
    for name, values in options:
        if name in ("type", "id", "hash", "file"):
            out[name] = values[0]
        elif name == "follow-resumed":
            out["follow"] = True
        elif name == "no-follow-resumed":
            out["follow"] = False
        elif name == "as-json":
            out["as_json"] = True
    return out, positionals


def _task(flow_name, pathspec):
    """The client Task a CLI pathspec names (STEP, RUN/STEP or RUN/STEP/TASK)."""
    from flowlens.client import Flow, Step, Task, namespace
    from flowlens.client.exceptions import MetaflowException
    from metaflow.plugins.cards.exception import TaskNotFoundException

    parts = pathspec.split("/")
    if len(parts) > 3 or not all(parts):
        raise UsageError("card takes a PATHSPEC of the form STEP, RUN_ID/STEP or RUN_ID/STEP/TASK_ID, got '%s'" % pathspec)
    kinds = {1: "stepname", 2: "step_pathspec", 3: "task_pathspec"}
    run_id = None
    try:
        if len(parts) == 1:
            run = Flow(flow_name).latest_run
            run_id = run.pathspec if run is not None else None
            task = run[parts[0]].task if run is not None and parts[0] in run else None
        else:
            namespace(None)
            task = Step("/".join([flow_name] + parts)).task if len(parts) == 2 else Task("/".join([flow_name] + parts))
    except (MetaflowException, KeyError):
        task = None
    if task is None:
        raise TaskNotFoundException(pathspec, kinds[len(parts)], run_id=run_id)
    return task


def _find(flow_name, pathspec, opts, quiet):
    from flowlens.cards.client import find_cards

    task = _task(flow_name, pathspec)
    cards, card_pathspec, origin = find_cards(task, card_id=opts.get("id"), card_type=opts.get("type"), card_hash=opts.get("hash"), follow_resumed=opts["follow"])
    say(quiet, "Resolving card resumed from: %s" % origin if origin else "Resolving card: %s" % card_pathspec)
    if not cards:
        from metaflow.plugins.cards.exception import CardNotPresentException

        raise CardNotPresentException(card_pathspec, card_type=opts.get("type"), card_hash=opts.get("hash"), card_id=opts.get("id"))
    return cards, card_pathspec


def _as_dict(pathspec, cards):
    return {"pathspec": pathspec, "cards": [{"id": c.id, "hash": c.hash, "type": c.type, "filename": c.filename} for c in cards]}


def _print_list(cards, quiet, command, pathspec):
    say(quiet, "Found %d card%s matching your query..." % (len(cards), "" if len(cards) == 1 else "s"))
    for c in cards:
        sys.stderr.write("\n\tCard Id: %s\n\tCard Type: %s\n\tCard Hash: %s\n\tCard Path: %s\n" % (c.id, c.type, c.hash, c.path))
    if command:
        sys.stderr.write("\n\tPick one with --hash, e.g.: python %s card %s %s --hash %s\n" % (
            "flow.py", command, "/".join(pathspec.split("/")[1:]), cards[0].hash[:5]))


def _list_latest_run(flow_name, opts, quiet):
    """`card list` without PATHSPEC: the cards of every task of the flow's latest run."""
    from flowlens.cards.client import find_cards
    from flowlens.client import Flow
    from metaflow.plugins.cards.exception import CardNotPresentException

    run = Flow(flow_name).latest_run
    if run is None:
        raise CommandError("flow %s has no run to list cards of" % flow_name)
    say(quiet or opts.get("as_json"), "Listing cards for run %s" % run.pathspec)
    listed = []
    for step in run:
        for task in step:
            try:
                cards, pathspec, _ = find_cards(task, card_id=opts.get("id"), card_type=opts.get("type"), card_hash=opts.get("hash"), follow_resumed=opts["follow"])
            except CardNotPresentException:
                continue
            if cards:
                listed.append((pathspec, cards))
    if not listed:
        raise CardNotPresentException(run.pathspec, card_type=opts.get("type"), card_hash=opts.get("hash"), card_id=opts.get("id"))
    if opts.get("as_json"):
        text = json.dumps([_as_dict(p, c) for p, c in listed], indent=None if opts.get("file") else 4)
        if opts.get("file"):
            with open(opts["file"], "w") as f:
                f.write(text)
        else:
            sys.stdout.write(text + "\n")
        return 0
    for pathspec, cards in listed:
        sys.stderr.write("Task: %s\n" % pathspec)
        _print_list(cards, True, None, pathspec)
    return 0


def _list(flow_name, args, quiet):
    opts, positionals = _options(args, _LIST, "list")
    if not positionals:
        return _list_latest_run(flow_name, opts, quiet)
    if len(positionals) != 1:
        raise UsageError("card list takes at most one PATHSPEC (STEP, RUN_ID/STEP or RUN_ID/STEP/TASK_ID)")
    cards, pathspec = _find(flow_name, positionals[0], opts, quiet or opts.get("as_json"))
    if opts.get("as_json"):
        text = json.dumps(_as_dict(pathspec, cards))
        if opts.get("file"):
            with open(opts["file"], "w") as f:
                f.write(text)
        else:
            sys.stdout.write(json.dumps(_as_dict(pathspec, cards), indent=4) + "\n")
        return 0
    _print_list(cards, False, None, pathspec)
    return 0


def _get(flow_name, args, quiet):
    opts, positionals = _options(args, _READ, "get")
    if len(positionals) not in (1, 2):
        raise UsageError("card get takes PATHSPEC and an optional PATH to write the card to")
    cards, pathspec = _find(flow_name, positionals[0], opts, quiet)
    if len(cards) > 1:
        _print_list(cards, quiet, "get", pathspec)
        return 0
    html = cards[0].get()
    if len(positionals) == 2:
        with open(positionals[1], "w", encoding="utf-8") as f:
            f.write(html)
        return 0
    sys.stdout.write(html + "\n")
    return 0


def _view(flow_name, args, quiet):
    opts, positionals = _options(args, _READ, "view")
    if len(positionals) != 1:
        raise UsageError("card view takes one PATHSPEC")
    cards, pathspec = _find(flow_name, positionals[0], opts, quiet)
    if len(cards) > 1:
        _print_list(cards, quiet, "view", pathspec)
        return 0
    cards[0].view()
    return 0


_SUB = {"list": _list, "get": _get, "view": _view}


def card(flow_cls, flow_file, top, args):
    from flowlens.exceptions import MetaflowException

    if not args or args[0] not in _SUB:
        if args and args[0] in ("create", "server"):
            raise UsageError("card %s is not supported by Flowlens: cards are made by @card while a step runs, and opened from the editor or with card view" % args[0])
        raise UsageError(_USAGE)
    use_datastore(top)
    try:
        return _SUB[args[0]](flow_cls.__name__, args[1:], top.quiet)
    except MetaflowException as e:
        raise CommandError("%s: %s" % (e.headline, e))
