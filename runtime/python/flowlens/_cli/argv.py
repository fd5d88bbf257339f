"""A small option scanner with click's spelling: `--name value`, `--name=value`, flags, and
options that take two values (`--config NAME FILE`)."""

from .usage import UsageError


class MissingValue(UsageError):
    """`--name` at the end of the line, where a flow parameter's value was expected."""

    def __init__(self, name):
        UsageError.__init__(self, "--%s needs a value" % name)
        self.name = name


class Spec(object):
    """How one option is spelled: `nargs` values (0 for a flag), and `repeat` if it may be given again."""

    def __init__(self, nargs=1, repeat=False):
        self.nargs = nargs
        self.repeat = repeat


def scan(args, specs, stop_at_positional, where, extra=None):
    """Reads options from the front of `args` (all of them unless `stop_at_positional`).

    Returns (options, positionals, rest): options is a list of (name, values) in order.
    An unknown `--x` is a usage error naming `where` (e.g. "before the command"), unless
    `extra` is a list: then it takes one value and goes there as (name, value), as flow
    parameters do after `run`.
    """
    options, positionals = [], []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            positionals.extend(args[i + 1:])
            return options, positionals, []
        if not arg.startswith("--") or arg == "--":
            if stop_at_positional:
                return options, positionals, args[i:]
            positionals.append(arg)
            i += 1
            continue
        name, eq, inline = arg[2:].partition("=")
        spec = specs.get(name)
        if spec is None and extra is not None:
            value = inline if eq else (args[i + 1] if i + 1 < len(args) else None)
            if value is None:
                raise MissingValue(name)
            if any(n == name for n, _ in extra):
                raise UsageError("--%s is given twice" % name)
            extra.append((name, value))
            i += 1 if eq else 2
            continue
        if spec is None:
            raise UsageError("unknown option --%s %s" % (name, where))
        if spec.nargs == 0:
            if eq:
                raise UsageError("--%s takes no value" % name)
            values = []
            i += 1
        elif eq:
            if spec.nargs != 1:
                raise UsageError("--%s takes %d values: --%s %s" % (name, spec.nargs, name, " ".join(["X"] * spec.nargs)))
            values = [inline]
            i += 1
        else:
            values = args[i + 1:i + 1 + spec.nargs]
            if len(values) < spec.nargs:
                raise UsageError("--%s needs %s" % (name, "a value" if spec.nargs == 1 else "%d values" % spec.nargs))
            i += 1 + spec.nargs
        if not spec.repeat and any(n == name for n, _ in options):
            raise UsageError("--%s is given twice" % name)
        options.append((name, values))
    return options, positionals, []
