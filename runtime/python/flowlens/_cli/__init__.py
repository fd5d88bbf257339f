"""`python flow.py <command>`: Metaflow's command line, run by Flowlens.

`FlowSpec(use_cli=True)` at the bottom of a flow file calls `main`. The command line is read
the way Metaflow's is (top-level options, the command, its options); run, resume, spin, show
and check are handed to Flowlens's runtime CLI, and the commands that read results (dump,
logs, tag, card) are done here on the client API.
"""

import inspect
import os
import sys

from .usage import CommandError, UsageError, fail

HELP = """Usage: python %(file)s [OPTIONS] COMMAND [ARGS]...

Flowlens runs this flow (Metaflow's command line; see Flowlens's docs/compatibility.md).

Commands:
  check    Check that the flow is valid (default)
  show     Show the structure of the flow
  run      Run the flow
  resume   Resume a previous run (resume [STEP] [--origin-run-id ID])
  spin     Run one step again on an earlier run's inputs
  dump     Print or save the artifacts of a run's step or task
  logs     Print the output of a run's step or task
  tag      List, add, remove or replace the tags of a run
  card     List, get or view a task's cards (card list|get|view PATHSPEC)
"""


def main(flow_cls, argv=None):
    """Runs the command in `argv` (default sys.argv[1:]) for `flow_cls`; exits the process."""
    args = list(sys.argv[1:] if argv is None else argv)
    flow_file = _flow_file(flow_cls)
    try:
        code = _dispatch(flow_cls, flow_file, args)
    except UsageError as e:
        fail(str(e), 2)
    except CommandError as e:
        fail(str(e), 1)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    sys.exit(code)


def _flow_file(flow_cls):
    try:
        return os.path.abspath(inspect.getfile(flow_cls))
    except TypeError:
        main_module = sys.modules.get("__main__")
        return os.path.abspath(getattr(main_module, "__file__", "flow.py"))


def _dispatch(flow_cls, flow_file, args):
    from .toplevel import parse_top_level

    if args and args[0] in ("--help", "-h", "help"):
        sys.stdout.write(HELP % {"file": os.path.basename(flow_file)})
        return 0
    top, command, rest = parse_top_level(args)
    if command is None:
        command = "check"
    if "--help" in rest or "-h" in rest:
        from .commandhelp import command_help, has_help

        if has_help(command):
            from flowlens._inputs import parameters_of

            sys.stdout.write(command_help(command, flow_file, parameters_of(flow_cls)))
        else:
            sys.stdout.write(HELP % {"file": os.path.basename(flow_file)})
        return 0
    handler = _COMMANDS.get(command)
    if handler is None:
        raise UsageError("no such command '%s' (see python %s --help)" % (command, os.path.basename(flow_file)))
    return handler(flow_cls, flow_file, top, rest)


def _running(builder):
    """run, resume, spin: the run request handed whole to Flowlens's run service."""

    def handler(flow_cls, flow_file, top, rest):
        from . import runrequest
        from .handoff import hand_off_request

        request = getattr(runrequest, builder)(flow_file, flow_cls, top, rest)
        hand_off_request(request, quiet=top.quiet)

    return handler


def _analysis(command):
    def handler(flow_cls, flow_file, top, rest):
        from .handoff import hand_off

        accepted = ("--warnings", "--no-warnings") if command == "check" else ()
        for arg in rest:
            if arg not in accepted:
                raise UsageError("%s takes no argument '%s'" % (command, arg))
        hand_off([command, flow_file])

    return handler


def _reading(module, name):
    """A command done here on the client API (dump, logs, tag), after Metaflow's banner line."""

    def handler(flow_cls, flow_file, top, rest):
        import importlib

        if not top.quiet:
            from flowlens.client._settings import _username

            sys.stderr.write("Flowlens executing %s for user:%s\n" % (flow_cls.__name__, _username()))
        return getattr(importlib.import_module(module, __name__), name)(flow_cls, flow_file, top, rest)

    return handler


_COMMANDS = {
    "dump": _reading(".dump", "dump"),
    "logs": _reading(".logs", "logs"),
    "tag": _reading(".tags", "tag"),
    "card": _reading(".card", "card"),
    "run": _running("run_request"),
    "resume": _running("resume_request"),
    "spin": _running("spin_request"),
    "show": _analysis("show"),
    "check": _analysis("check"),
}
