"""Configs: `Config(name, default=, default_value=, parser=, required=)` and `config_expr`.

A Config is resolved once per process, the first time its value is needed, which is while the
flow's class body runs (`@resources(cpu=cfg.cpu)` reads it there), so its value is known before
any decorator argument is evaluated. Where a value comes from, first match wins:

1. the values stored with the run (a task of a run whose `_parameters` task already resolved
   them, and every task of a resumed run): all processes of a run see the same values;
2. `--config NAME FILE` / `--config-value NAME JSON`, which the runtime hands to Python in
   FLOWLENS_FLOW_OPTIONS (a JSON object), else the environment variables METAFLOW_FLOW_CONFIG
   and METAFLOW_FLOW_CONFIG_VALUE (JSON maps name -> file / value), read when the config is
   first needed, so a flow module may set them itself before its class;
3. `default_value` (a value, or a function of a context), else `default` (a file path).

Text is turned into a value by `parser` (a function or a dotted name) or as JSON. A `config_expr`
(and any expression naming a config) is evaluated later, when the flow class is finalized,
with the configs in scope.
"""

import collections.abc
import importlib
import json
import os
import re
import sys
from typing import Any

from . import _flowopts
from .exceptions import MetaflowException

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ConfigException(MetaflowException):
    headline = "Bad configuration"


# A dict too (json.dumps and isinstance(x, dict) accept it), read through Mapping: an order pyright cannot check.
class ConfigValue(collections.abc.Mapping, dict):  # pyright: ignore[reportGeneralTypeIssues]
    """A read-only nested mapping whose keys are also attributes: `cfg.a.b` and `cfg["a"]["b"]`."""

    def __init__(self, data):
        items = {k: _wrap(v) for k, v in dict(data).items()}
        object.__setattr__(self, "_data", items)
        dict.__init__(self, items)

    def __getattr__(self, key):
        if key == "_data":
            raise AttributeError(key)  # unpickling asks before __init__ ran
        if key in self._data:
            return self._data[key]
        raise AttributeError("Configuration value has no key %r (it has: %s)" % (key, ", ".join(map(str, self._data)) or "none"))

    def _immutable(self, *args, **kwargs):
        raise TypeError("ConfigValue is immutable: a configuration cannot be changed in a flow")

    __setattr__ = __setitem__ = __delattr__ = __delitem__ = _immutable
    clear = update = setdefault = pop = popitem = _immutable  # pyright: ignore[reportAssignmentType]  (every mutator refuses)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data

    def keys(self):
        return self._data.keys()

    def __eq__(self, other):
        if isinstance(other, ConfigValue):
            return self._data == other._data
        return isinstance(other, dict) and self._data == other

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None

    def __repr__(self):
        return repr(self._data)

    def __dir__(self):
        return list(dir(type(self))) + [k for k in self._data if isinstance(k, str) and _ID.match(k)]

    def to_dict(self):
        return _plain(self)

    def copy(self):
        return ConfigValue(self._data)

    def __reduce__(self):
        return (ConfigValue, (self.to_dict(),))


# A ConfigValue the step stores (`self.db = self.cfg.db`) is pickled under the module Metaflow
# defines the class in (the alias package re-exports it there), so the artifact loads under
# Metaflow's client as well; both classes are rebuilt from the plain dict alone.
ConfigValue.__module__ = "metaflow.user_configs.config_parameters"


def _wrap(v):
    if isinstance(v, ConfigValue):
        return v
    if isinstance(v, collections.abc.Mapping):
        return ConfigValue(v)
    if isinstance(v, (list, tuple)):
        return type(v)(_wrap(x) for x in v)
    return v


def _plain(v):
    """The value with every nested mapping a dict: what is stored with the run."""
    if isinstance(v, collections.abc.Mapping):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(_plain(x) for x in v)
    return v


class DelayEvaluator(object):
    """`config_expr("cfg.x")` or `config_expr("cfg").x`: evaluated once the configs are known."""

    def __init__(self, expr, saved_globals=None, access=()):
        self._fl_expr = expr
        self._fl_globals = saved_globals
        self._fl_access = tuple(access)

    def __getattr__(self, name):
        if name.startswith("_fl_") or name.startswith("__"):
            raise AttributeError(name)
        return DelayEvaluator(self._fl_expr, self._fl_globals, self._fl_access + (("attr", name),))

    def __getitem__(self, key):
        return DelayEvaluator(self._fl_expr, self._fl_globals, self._fl_access + (("item", key),))

    def __repr__(self):
        return "config_expr(%r)%s" % (self._fl_expr, "".join(".%s" % k if kind == "attr" else "[%r]" % (k,) for kind, k in self._fl_access))

    def __call__(self, ctx=None, deploy_time=False):
        configs = getattr(ctx, "configs", None) if ctx is not None else None
        return self.evaluate(configs if configs is not None else {})

    def evaluate(self, configs):
        scope = dict(self._fl_globals or {})
        scope.update(configs)
        try:
            value = eval(self._fl_expr, scope)  # noqa: S307 - the flow's own expression, as Metaflow evaluates it
            for kind, key in self._fl_access:
                value = getattr(value, key) if kind == "attr" else value[key]
        except Exception as e:
            raise ConfigException("Cannot evaluate %r with the flow's configs (%s): %s: %s" % (self, ", ".join(sorted(configs)) or "none", type(e).__name__, e))
        return value


def config_expr(expr):
    """A delayed expression over the flow's configs, e.g. `@project(name=config_expr("cfg.project"))`."""
    frame = sys._getframe(1)
    return DelayEvaluator(expr, frame.f_globals)


def resolve_delayed(value, configs):
    """`value` with every DelayEvaluator (also inside dicts, lists and tuples) replaced by its value."""
    if isinstance(value, DelayEvaluator):
        return value.evaluate(configs)
    if isinstance(value, ConfigValue):
        return value
    if isinstance(value, dict):
        return {k: resolve_delayed(v, configs) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(resolve_delayed(v, configs) for v in value)
    return value


class ConfigContext(object):
    """What a `default_value` function receives (the fields of Metaflow's parameter context)."""

    def __init__(self, flow_name, parameter_name):
        self.flow_name = flow_name
        self.user_name = _flowopts.username()
        self.parameter_name = parameter_name
        self.logger = lambda *a, **k: None
        self.ds_type = os.environ.get("FLOWLENS_DATASTORE", "local")
        self.configs = None


_UNSET = object()


class Config(collections.abc.Mapping):
    """A configuration of the flow, given as a class attribute: `cfg = Config("cfg", default="cfg.json")`."""

    IS_CONFIG_PARAMETER = True

    def __init__(self, name, default=None, default_value=None, help=None, required=None, parser=None, plain=False, **kwargs):
        if default is not None and default_value is not None:
            raise ConfigException("Config %r takes default= (a file) or default_value= (a value), not both" % name)
        self.name = name
        self.default = default
        self.default_value = default_value
        self.help = help
        self.required = bool(required)
        self.parser = parser
        self.plain = bool(plain)
        self.kwargs = dict(kwargs, default=default, default_value=default_value, help=help, required=required, parser=parser, plain=plain)
        # The class being defined (a Config is made in a class body): its name is the flow's.
        self._flow_name = sys._getframe(1).f_code.co_name
        self._value = _UNSET

    # A Config reads like its value, so `cfg.x`, `cfg["x"]` and `**cfg` work in the class body.
    def _get(self) -> Any:
        if self._value is _UNSET:
            self._value = _resolve(self)
        return self._value

    def __getattr__(self, name):
        if name.startswith("_") or name in ("name", "default", "default_value", "help", "required", "parser", "plain", "kwargs"):
            raise AttributeError(name)
        value = self._get()
        if value is None:
            raise AttributeError("Config %r has no value, so it has no %r" % (self.name, name))
        return getattr(value, name)

    def __getitem__(self, key):
        value = self._get()
        if value is None:
            raise KeyError(key)
        return value[key]

    def __iter__(self):
        return iter(self._get() or {})

    def __len__(self):
        return len(self._get() or {})

    def __repr__(self):
        return "Config(%r)" % self.name


def _resolve(config):
    name = config.name
    stored = _flowopts.stored_configs(config._flow_name)
    if stored is not None and name in stored:
        return _finish(config, stored[name])
    paths, values = _flowopts.config_sources()
    if name in paths and name in values:
        raise ConfigException("Bad values passed for configuration options: both a file and a value given for configuration %r" % name)
    if name in values:
        return _finish(config, _parse(config, values[name]))
    if name in paths:
        return _finish(config, _parse(config, _read(paths[name], "configuration file '%s' could not be read for '%s'", name)))
    if config.default_value is not None:
        value = config.default_value
        if callable(value) and not isinstance(value, (ConfigValue, DelayEvaluator)):
            value = value(ConfigContext(config._flow_name, name))
        if isinstance(value, collections.abc.Mapping):
            value = json.dumps(_plain(value))
        return _finish(config, _parse(config, value if isinstance(value, str) else json.dumps(value)))
    if config.default is not None:
        default = config.default
        if callable(default):
            default = default(ConfigContext(config._flow_name, name))
        return _finish(config, _parse(config, _read(default, "default configuration file '%s' could not be read for '%s'", name)))
    if config.required:
        raise ConfigException("Bad values passed for configuration options: missing configuration for '%s'" % name)
    return None


def _finish(config, value):
    if value is None or config.plain:
        return value
    if not isinstance(value, collections.abc.Mapping):
        raise ConfigException("Configuration %r is not a mapping (got %s): give a JSON object, or a parser that returns a dict" % (config.name, type(value).__name__))
    return ConfigValue(value)


def _read(path, message, name):
    try:
        with open(os.path.abspath(str(path)), "r", encoding="utf-8") as f:
            return f.read()
    except OSError:
        raise ConfigException("Bad values passed for configuration options: " + message % (path, name))


def _parse(config, text):
    if config.parser is not None:
        parser = _parser_function(config.parser)
        try:
            return parser(text)
        except Exception as e:
            raise ConfigException("The parser of configuration %r failed: %s: %s" % (config.name, type(e).__name__, e))
    if config.plain:
        return text
    try:
        return json.loads(text)
    except ValueError as e:
        raise ConfigException("Bad values passed for configuration options: configuration value for '%s' is not valid JSON: %s" % (config.name, e))


def _parser_function(parser):
    if callable(parser):
        return parser
    path = "metaflow" + parser if parser.startswith(".") else parser
    module_name, _, func = path.rpartition(".")
    try:
        fn = getattr(importlib.import_module(module_name), func, None) if module_name else None
    except ImportError as e:
        raise ConfigException("Cannot locate the configuration parser %s: %s" % (parser, e))
    if not callable(fn):
        raise ConfigException("Configuration parser %s is not a function of %s" % (func, module_name or "any module"))
    return fn


def configs_of(cls):
    """attribute name -> Config, for the flow class and its bases."""
    from ._classfacts import facts_of
    from ._inputs import attributes_of

    return attributes_of(cls, Config, facts_of(cls).configs)


def config_values(cls):
    """Config name -> value (a ConfigValue, a str for plain configs, or None), in scope for expressions."""
    return {c.name: c._get() for c in configs_of(cls).values()}


__all__ = ["Config", "ConfigValue", "config_expr", "DelayEvaluator", "resolve_delayed", "configs_of", "config_values"]
