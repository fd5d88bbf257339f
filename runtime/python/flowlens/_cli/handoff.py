"""Hands a command to Flowlens's runtime CLI (the Node bundle `cli.js`) by replacing this process,
so that signals (Ctrl-C) reach the runtime and its exit code is the command's."""

import json
import os
import shutil
import subprocess
import sys

from .usage import CommandError

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli_bundle():
    """The runtime CLI bundle: beside the built Python package (dist/python -> dist/cli.js), or the
    repository's dist/ when the package is used from its source folder (runtime/python)."""
    python_root = os.path.dirname(_PACKAGE_DIR)
    candidates = [
        os.path.join(os.path.dirname(python_root), "cli.js"),
        os.path.join(os.path.dirname(os.path.dirname(python_root)), "dist", "cli.js"),
    ]
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise CommandError("Flowlens's runtime CLI is not built (no %s): run `npm run build` in Flowlens's folder" % candidates[0])


def node_binary():
    explicit = os.environ.get("FLOWLENS_NODE")
    if explicit:
        if not os.path.isfile(explicit):
            raise CommandError("FLOWLENS_NODE is %s, which is not a file" % explicit)
        return explicit
    found = shutil.which("node")
    if not found:
        raise CommandError("Node.js is needed to run flows with Flowlens: put `node` on PATH or set FLOWLENS_NODE to its path")
    return found


def runtime_argv(args):
    """The full command line that runs `flowlens ARGS`."""
    return [node_binary(), cli_bundle()] + list(args)


def hand_off(args, quiet=False):
    """Runs `flowlens ARGS` in place of this process (never returns)."""
    argv = runtime_argv(args)
    sys.stdout.flush()
    sys.stderr.flush()
    if quiet:
        # --quiet: the runtime's progress and the tasks' stdout go nowhere; errors still show.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    if os.name == "posix":
        os.execv(argv[0], argv)
    # Windows has no real exec: wait for the runtime and pass its exit code on.
    sys.exit(subprocess.call(argv))


def hand_off_request(request, quiet=False):
    """Runs a run request (runrequest.py) with the run service, through `flowlens MODE
    --request-json JSON`, in place of this process (never returns)."""
    hand_off([request["mode"], "--request-json", json.dumps(request)], quiet=quiet)
