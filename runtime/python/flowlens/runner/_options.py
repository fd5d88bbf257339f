"""Keyword arguments of Runner(...) and .run()/.resume()/.spin() as command-line options, named as
Metaflow's Runner names them (each option's Python name: `--run-id-file` is run_id_file, `--tag`
is tags, `--with` is decospecs, a flow parameter is its own name)."""

import json

# Python names whose option is spelled differently.
_RENAMED = {"tags": "tag", "decospecs": "with", "user_namespace": "namespace"}
# Flags with Metaflow's spelling of False (`quiet=False` is --not-quiet).
_NEGATIVE = {"quiet": "not-quiet"}
# Options that take two values, given as a list of pairs: config=[("name", "file.json")].
_PAIRS = ("config", "config_value")
# Options that may repeat, given as a list.
_REPEATED = ("tags", "decospecs", "config", "config_value")


def _pair_values(name, value):
    out = []
    for item in value:
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise TypeError("%s= takes a list of (name, value) pairs, got %r" % (name, item))
        first, second = item
        if name == "config_value" and not isinstance(second, str):
            second = json.dumps(second)
        out.extend([str(first), str(second)])
    return out


def as_options(kwargs):
    """`--name value` options for `kwargs`, in their order; flow parameters stay as named."""
    out = []
    for name, value in kwargs.items():
        if value is None:
            continue
        option = _RENAMED.get(name) or name.replace("_", "-")
        if isinstance(value, bool):
            if value:
                out.append("--" + option)
            else:
                out.append("--" + (_NEGATIVE.get(name) or "no-" + option))
        elif name in _PAIRS:
            values = _pair_values(name, value)
            for i in range(0, len(values), 2):
                out.extend(["--" + option] + values[i:i + 2])
        elif name in _REPEATED:
            for item in [value] if isinstance(value, str) else value:
                out.extend(["--" + option, str(item)])
        elif isinstance(value, (dict, list, tuple)):
            out.extend(["--" + option, json.dumps(value)])  # a JSONType parameter
        else:
            out.extend(["--" + option, str(value)])
    return out


def parameter_options(kwargs, known):
    """Options after the command: the command's own (`known`, Python names) by their option
    names, and every other keyword as a flow parameter `--<name> value` (its name kept)."""
    own = dict((k, v) for k, v in kwargs.items() if k in known)
    out = as_options(own)
    for name, value in kwargs.items():
        if name in known or value is None:
            continue
        if isinstance(value, (dict, list, tuple)):
            value = json.dumps(value)
        out.extend(["--" + name, str(value)])
    return out
