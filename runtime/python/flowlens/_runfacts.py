"""What the `_parameters` task stores besides the parameters, and what every task reads back.

- Configs: each as an artifact under its attribute name (a plain dict, as Metaflow stores it, so
  any client reads it), and all of them by config name in `_configs`, which later tasks of the
  run and resumed runs load instead of resolving the configs again (`_flowopts.stored_configs`).
- Class-level constants (`x = 5` in the class body): artifacts too, read-only in every step.
- The run's system tags that only Python can know (`project:` / `project_branch:` of
  `@project`): `<flow>/<run>/_flowlens/system_tags.json`, which the client adds to the run's tags.
"""

import types

from . import _flowopts
from ._classfacts import facts_of
from ._layout import SYSTEM_TAGS, run_file_key
from .configs import _plain, config_values, configs_of
from .current import current
from ._project import project_info, system_tags

# Names on FlowSpec that are API, not constants of a flow.
_NOT_CONSTANTS = frozenset(["name", "index", "input", "cmd", "foreach_stack", "merge_artifacts", "next", "script_name"])
_SKIPPED_TYPES = (types.MethodType, types.FunctionType, types.BuiltinFunctionType, property, type, staticmethod, classmethod)


def constant_names(cls, params):
    """Names of the class-level constants (computed once, when the class is finalized, before tasks fork)."""
    cached = facts_of(cls).constants
    if cached is not None:
        return list(cached)
    config_attrs = set(configs_of(cls))
    out = []
    for var in dir(cls):
        if var.startswith("_") or var in _NOT_CONSTANTS or var in params or var in config_attrs:
            continue
        value = getattr(cls, var, None)
        if isinstance(value, _SKIPPED_TYPES) or getattr(value, "is_step", False):
            continue
        out.append(var)
    return out


def stored_values(cls, params):
    """Artifact name -> value for configs and constants, stored by the `_parameters` task."""
    values = {}
    configs = config_values(cls)
    for attr, config in configs_of(cls).items():
        values[attr] = _plain(configs[config.name])
    if configs:
        values[_flowopts.CONFIGS_ARTIFACT] = {name: _plain(v) for name, v in configs.items()}
    for var in constant_names(cls, params):
        values[var] = getattr(cls, var)
    return values


def install_read_only(cls, params):
    """Configs and constants read as they are, and assigning one in a step raises AttributeError.

    Returns their names (every task, a join too, passes their stored artifacts on)."""
    facts = facts_of(cls)
    names = facts.fixed_names
    if names is None:
        names = list(configs_of(cls)) + constant_names(cls, params)
        for name in names:
            setattr(cls, name, _read_only(name, getattr(cls, name)))
        facts.fixed_names = names
    return names


def _read_only(name, value):
    def fset(self, _value):
        raise AttributeError("*%s* is a constant of the flow (a class attribute or a config): it cannot be assigned in a step." % name)

    return property(lambda self: value, fset)


def set_project(cls, user, storage_ds=None, run_id=None, overwrite=True):
    """Sets `current`'s project fields; with a datastore, also records the run's project tags."""
    info = project_info(cls, user)
    current._set_project(info)
    if info and storage_ds is not None:
        key = run_file_key(storage_ds.flow_name, run_id, SYSTEM_TAGS)
        from ._datastore import dumps_json

        storage_ds.storage.put(key, dumps_json({"system_tags": system_tags(info)}), overwrite=overwrite)
    return info
