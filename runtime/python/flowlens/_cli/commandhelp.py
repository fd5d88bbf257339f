"""`python flow.py COMMAND --help`: the command's own usage, as Metaflow's click commands print it.

A Metaflow user reaches for `run --help` to see a flow's parameters and the run options. Only
what Flowlens accepts is listed; options Flowlens refuses say why when they are given
(runrequest.py). Tests keep this table and the commands' option scanners in step."""

import os

# command -> (arguments after the command, what it does, [(option spelling, help)]).
_COMMANDS = {
    "run": ("[OPTIONS]", "Run the flow with Flowlens.", [
        ("--tag TEXT", "Annotate this run with the given tag (repeatable)."),
        ("--max-workers INTEGER", "Most tasks running at once."),
        ("--max-num-splits INTEGER", "Most tasks one foreach may create."),
        ("--with TEXT", "Add a decorator to every step, e.g. --with retry or --with kubernetes:cpu=2 (repeatable)."),
        ("--run-id-file TEXT", "Write the new run's id to this file."),
    ]),
    "resume": ("[OPTIONS] [STEP]", "Resume a previous run of this flow from STEP (default: the first step that did not finish).", [
        ("--origin-run-id TEXT", "The run to resume (default: the latest run of this flow)."),
        ("--tag TEXT", "Annotate the new run with the given tag (repeatable)."),
        ("--max-workers INTEGER", "Most tasks running at once."),
        ("--max-num-splits INTEGER", "Most tasks one foreach may create."),
        ("--with TEXT", "Add a decorator to every step (repeatable)."),
        ("--run-id-file TEXT", "Write the new run's id to this file."),
    ]),
    "spin": ("[OPTIONS] STEP|RUN_ID/STEP", "Run one step again on the inputs of an earlier run (default: the latest), as a new run.", [
        ("--run-id-file TEXT", "Write the new run's id to this file."),
    ]),
    "dump": ("[OPTIONS] RUN_ID/STEP[/TASK_ID]", "Print or save the artifacts of a step's tasks or of one task.", [
        ("--private / --no-private", "Also show artifacts whose names start with an underscore."),
        ("--max-value-size INTEGER", "Show values up to this many bytes of their text."),
        ("--include TEXT", "Only these artifacts (comma-separated names)."),
        ("--file TEXT", "Save the artifacts to this file (a pickled dictionary) instead of printing them."),
    ]),
    "logs": ("[OPTIONS] RUN_ID/STEP[/TASK_ID]", "Print the output of a step's tasks or of one task.", [
        ("--stdout / --no-stdout", "Print only standard output."),
        ("--stderr / --no-stderr", "Print only standard error."),
        ("--both / --no-both", "Print both (the default)."),
        ("--timestamps / --no-timestamps", "Start each line with the time it was written."),
        ("--attempt INTEGER", "The attempt to print (default: the latest)."),
    ]),
    "tag": ("list|add|remove|replace [OPTIONS] [TAGS]...", "List, add, remove or replace the tags of a run.", [
        ("--run-id TEXT", "The run (default: the latest run of this flow)."),
        ("--namespace TEXT", "add/remove/replace: the namespace the run is looked up in (default: yours)."),
        ("--add TEXT / --remove TEXT", "replace: the tags to add and to remove (repeatable)."),
        ("--all / --my-runs", "list: tags of every user's runs, or of yours."),
        ("--group-by-tag / --group-by-run / --flat", "list: how the tags are printed."),
        ("--hide-system-tags", "list: only user tags."),
    ]),
    "card": ("list|get|view [OPTIONS] PATHSPEC", "List, get or view a task's cards.", [
        ("--type TEXT / --id TEXT / --hash TEXT", "Which card of the task."),
        ("--follow-resumed / --no-follow-resumed", "For a resumed task, the card of the run it was cloned from."),
        ("--as-json", "list: print the cards as JSON."),
        ("--file TEXT", "list: write the list to this file."),
    ]),
    "show": ("", "Show the structure of the flow.", []),
    "check": ("[--warnings / --no-warnings]", "Check that the flow is valid.", []),
}


def has_help(command):
    return command in _COMMANDS


def command_help(command, flow_file, parameters):
    """The help text of `command`; `parameters` (attribute name -> Parameter) are listed first for run."""
    args, doc, options = _COMMANDS[command]
    rows = [(_parameter_spelling(p), _parameter_help(p)) for p in parameters.values()] if command == "run" else []
    rows += options + [("--help", "Show this message and exit.")]
    width = max(len(spelling) for spelling, _ in rows) + 2
    lines = ["Usage: python %s %s %s" % (os.path.basename(flow_file), command, args), "", "  " + doc, "", "Options:"]
    lines += ["  %s%s" % (spelling.ljust(width), text) for spelling, text in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _parameter_spelling(parameter):
    kind = parameter.type_name
    return "--%s %s" % (parameter.name, {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "bool": "BOOLEAN", "JSONType": "JSON"}.get(kind, kind.upper()))


def _parameter_help(parameter):
    text = parameter.help or ""
    if parameter.required:
        text += "  [required]"
    elif parameter.kwargs.get("show_default", True) and parameter.default is not None and not callable(parameter.default):
        text += "  [default: %s]" % (parameter.default,)
    return text.strip()
