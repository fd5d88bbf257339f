"""One-line errors for `python flow.py ...`: a usage error exits 2, anything else 1, never a traceback."""

import sys


class UsageError(Exception):
    """A command line Flowlens cannot run: wrong, unknown or refused option (exit 2)."""


class CommandError(Exception):
    """The command was understood but cannot be done (missing run, damaged data...): exit 1."""


def fail(message, code):
    sys.stderr.write("flowlens: %s\n" % message)
    sys.stderr.flush()
    sys.exit(code)
