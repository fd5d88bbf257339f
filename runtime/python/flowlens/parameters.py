"""Parameter, IncludeFile and JSONType, and turning given values into typed parameter values."""

import json
import os

from .exceptions import ParameterError


class JSONTypeClass(object):
    """`type=JSONType`: the value is JSON text, parsed into Python objects."""

    name = "JSONType"

    def convert(self, value):
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as e:
            raise ParameterError("is not valid JSON (%s)" % e)

    def __repr__(self):
        return "JSONType"


JSONType = JSONTypeClass()

# Parameter values given as text follow one table with the TypeScript side
# (server/src/analysis/parameterValues.ts; the cases: test/cases/parameter-values.json).
_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


class ParameterContext(object):
    """What a callable default receives (Metaflow passes the same fields); `configs` holds the flow's configs."""

    def __init__(self, flow_name, user_name, parameter_name, configs=None):
        self.flow_name = flow_name
        self.user_name = user_name
        self.parameter_name = parameter_name
        self.logger = lambda *a, **k: None
        self.ds_type = os.environ.get("FLOWLENS_DATASTORE", "local")
        self.configs = configs


def environment_value(name):
    """`METAFLOW_RUN_<NAME>` (upper-cased, dashes as underscores): a parameter's value when the command line has none."""
    return os.environ.get("METAFLOW_RUN_" + name.upper().replace("-", "_"))


class Parameter(object):
    """A run-time parameter: `alpha = Parameter("alpha", default=0.5, help=...)`."""

    IS_INCLUDE_FILE = False

    def __init__(self, name, default=None, type=None, help=None, required=False, show_default=True, separator=None, **kwargs):
        self.name = name
        self.kwargs = dict(kwargs, default=default, type=type, help=help, required=required, show_default=show_default, separator=separator)
        self.default = default
        self.help = help
        self.required = bool(required)
        self.separator = separator
        if type is None:
            if isinstance(default, bool):
                type = bool
            elif isinstance(default, (int, float, str)):
                type = default.__class__
            elif isinstance(default, (dict, list)):
                type = JSONType
            else:
                type = str
        self.type = type

    def __repr__(self):
        return "Parameter(%r, default=%r)" % (self.name, self.default)

    @property
    def type_name(self):
        if self.type is JSONType or isinstance(self.type, JSONTypeClass):
            return "JSONType"
        return getattr(self.type, "__name__", str(self.type))

    def convert(self, value):
        """Turns a given value (text from a command line, or a JSON value) into the parameter's type."""
        t = self.type
        if value is None:
            return None
        if t is JSONType or isinstance(t, JSONTypeClass):
            return JSONType.convert(value)
        if t is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ParameterError("%r is not a valid boolean" % (value,))
        if t in (int, float, str):
            if t is not str and isinstance(value, str) and not value.strip().isascii():
                # Python's int() and float() also read other scripts' digits; the rule shared with
                # the editor and `flowlens run` (parameterValues.ts) takes ASCII digits only.
                raise ParameterError("%r is not a valid %s" % (value, t.__name__))
            if t is int and isinstance(value, float) and not value.is_integer():
                raise ParameterError("%r is not a valid integer" % (value,))
            try:
                return t(value)
            except (TypeError, ValueError):
                raise ParameterError("%r is not a valid %s" % (value, t.__name__))
        convert = getattr(t, "convert", None)
        if callable(convert):
            return convert(value, None, None) if _takes_three(convert) else convert(value)
        return t(value)

    def resolve(self, given, has_given, flow_name, user, configs=None):
        """The value of this parameter for a run: the given value, else METAFLOW_RUN_<NAME>, else the default, converted.

        `configs` (config name -> value) is what a `config_expr` default and a default function's `ctx.configs` see.
        """
        from .configs import ConfigValue, DelayEvaluator

        if not has_given and environment_value(self.name) is not None:
            given, has_given = environment_value(self.name), True
        if has_given:
            raw = given
        else:
            raw = self.default
            if isinstance(raw, DelayEvaluator):
                raw = raw.evaluate(configs or {})
            elif callable(raw) and not isinstance(raw, type):
                raw = raw(ParameterContext(flow_name, user, self.name, ConfigValue(configs or {})))
            if raw is None and self.required:
                raise ParameterError("Missing value for required parameter --%s" % self.name)
        try:
            value = self.convert(raw)
        except ParameterError as e:
            raise ParameterError("Invalid value for parameter --%s: %s" % (self.name, e.message))
        if self.separator and isinstance(value, str):
            value = value.split(self.separator)
        return value


def _takes_three(fn):
    code = getattr(fn, "__code__", None)
    return code is not None and code.co_argcount >= 4


class IncludeFile(Parameter):
    """A parameter whose value is a path; the artifact is the file's content (text or bytes)."""

    IS_INCLUDE_FILE = True

    def __init__(self, name, required=False, is_text=True, encoding="utf-8", help=None, **kwargs):
        super().__init__(name, required=required, help=help, type=str, **kwargs)
        self.is_text = is_text
        self.encoding = encoding

    def convert(self, value):
        if value is None:
            return None
        path = str(value)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise ParameterError("cannot read file %r (%s)" % (path, e.strerror or e))
        return data.decode(self.encoding) if self.is_text else data
