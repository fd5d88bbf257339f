"""Metaflow's top-level options (the ones before the command in `python flow.py [OPTIONS] run`).

Each option is accepted (harmless here), handed to Flowlens's runtime, or refused with the
reason, as the table below says; docs/compatibility.md has the same table for users.
"""

from typing import List, Optional, Tuple

from .argv import Spec, scan
from .usage import UsageError

# Values that mean "what Flowlens does anyway": the option is accepted and changes nothing.
_HARMLESS_VALUES = {
    "metadata": ("local",),
    "environment": ("local",),
    "event-logger": ("nullSidecarLogger",),
    "monitor": ("nullSidecarMonitor",),
}

_WHY_NOT = {
    "metadata": "Flowlens keeps run metadata next to the artifacts in the datastore (use --metadata=local)",
    "environment": "Flowlens runs steps in the interpreter that started the flow; conda/pypi environments are not built (use --environment=local)",
    "event-logger": "Flowlens has no event-logger sidecars (use --event-logger=nullSidecarLogger)",
    "monitor": "Flowlens has no monitor sidecars (use --monitor=nullSidecarMonitor)",
    "package-suffixes": "Flowlens packages a flow's code for AWS Batch by its own rules (docs/remote.md)",
    "local-config-file": "it is internal to Metaflow's own task launcher",
    "mode": "Flowlens runs one step with `python flow.py spin STEP`, not with --mode",
    "datastore": "Flowlens stores artifacts locally or on S3 (use --datastore=local or --datastore=s3)",
}

_SPECS = {
    "quiet": Spec(0), "not-quiet": Spec(0),
    "pylint": Spec(0), "no-pylint": Spec(0),
    "force-rebuild-environments": Spec(0), "no-force-rebuild-environments": Spec(0),
    "metadata": Spec(), "environment": Spec(), "event-logger": Spec(), "monitor": Spec(),
    "datastore": Spec(), "datastore-root": Spec(), "package-suffixes": Spec(),
    "local-config-file": Spec(), "mode": Spec(),
    "with": Spec(repeat=True),
    "config": Spec(2, repeat=True), "config-value": Spec(2, repeat=True),
    "branch": Spec(), "production": Spec(0),
}



class TopLevel(object):
    def __init__(self):
        self.quiet = False
        self.datastore: Optional[str] = None
        self.datastore_root: Optional[str] = None
        # Handed to the run service in the run request (runrequest.py).
        self.with_values: List[str] = []
        self.config: List[Tuple[str, str]] = []
        self.config_value: List[Tuple[str, str]] = []
        self.branch: Optional[str] = None
        self.production = False


def parse_top_level(args):
    """Splits `args` at the command: returns (TopLevel, command or None, the command's args)."""
    options, _, rest = scan(args, _SPECS, True, "before the command (see `python flow.py --help`)")
    top = TopLevel()
    for name, values in options:
        value = values[0] if values else None
        if name in ("quiet", "not-quiet"):
            top.quiet = name == "quiet"
        elif name in _HARMLESS_VALUES:
            if value not in _HARMLESS_VALUES[name]:
                raise UsageError("--%s=%s is not supported: %s" % (name, value, _WHY_NOT[name]))
        elif name == "datastore":
            if value not in ("local", "s3"):
                raise UsageError("--datastore=%s is not supported: %s" % (value, _WHY_NOT[name]))
            top.datastore = value
        elif name == "datastore-root":
            top.datastore_root = value
        elif name == "with":
            top.with_values.extend(values)
        elif name in ("config", "config-value"):
            (top.config if name == "config" else top.config_value).append((values[0], values[1]))
        elif name == "branch":
            top.branch = value
        elif name == "production":
            top.production = True
        elif name in _WHY_NOT:
            raise UsageError("--%s is not supported: %s" % (name, _WHY_NOT[name]))
        # --pylint/--no-pylint and --[no-]force-rebuild-environments: Flowlens always checks the
        # flow with its own analysis and has no environments to rebuild, so both are accepted.
    command = rest[0] if rest else None
    return top, command, rest[1:]
