"""Finishing a flow class once its module is imported, as Metaflow does before a flow runs.

In order: the configs get their values (class attributes become the read-only values), the
flow's and steps' mutators run (`pre_mutate`, then `mutate`), and every `config_expr` left in a
decorator's arguments is evaluated. It runs once per class and process; the harness and the
client's flow objects call it through `flow_class`.
"""

from . import _flowopts
from ._classfacts import facts_of
from .configs import ConfigException, config_values, configs_of, resolve_delayed
from ._inputs import parameters_of
from ._runfacts import constant_names
from .mutators import run_mutators


def finalize_flow(cls):
    facts = facts_of(cls)
    if facts.finalized:
        return cls
    configs = configs_of(cls)
    _check_config_names(cls, configs)
    values = config_values(cls)
    facts.configs = dict(configs)
    for attr, config in configs.items():
        setattr(cls, attr, values[config.name])
    run_mutators(cls)
    for func in _steps(cls):
        for deco in getattr(func, "decorators", []) or []:
            deco.attributes = resolve_delayed(deco.attributes, values)
    facts.constants = constant_names(cls, parameters_of(cls))
    facts.finalized = True
    return cls


def _steps(cls):
    seen = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if name not in seen and getattr(value, "is_step", False):
                seen.add(name)
                yield getattr(cls, name)


def _check_config_names(cls, configs):
    names = [c.name for c in configs.values()]
    duplicated = sorted(set(n for n in names if names.count(n) > 1))
    if duplicated:
        raise ConfigException("Multiple configurations of %s use the name %s: give each its own name" % (cls.__name__, ", ".join(repr(n) for n in duplicated)))
    opts = _flowopts.options()
    given = [n for n, _ in (opts.get("config") or [])] + [n for n, _ in (opts.get("config_value") or [])]
    unknown = sorted(set(n for n in given if n not in names))
    if unknown:
        raise ConfigException(
            "%s has no configuration named %s (its configurations: %s)"
            % (cls.__name__, ", ".join(repr(n) for n in unknown), ", ".join(repr(n) for n in names) or "none")
        )
