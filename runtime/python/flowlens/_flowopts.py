"""The run-wide options Python needs before it imports a flow: who runs it, its configs, its branch.

The Node runtime resolves nothing Python-specific: it hands the raw options (`--config NAME FILE`,
`--config-value NAME JSON`, `--branch B`, `--production`) to every Python process in the
environment variable FLOWLENS_FLOW_OPTIONS, a JSON object
`{"config": [[name, path], ...], "config_value": [[name, text], ...], "branch": B, "production": true}`.
Where an option is absent, Metaflow's own environment variables apply (METAFLOW_FLOW_CONFIG,
METAFLOW_FLOW_CONFIG_VALUE, METAFLOW_BRANCH, METAFLOW_PRODUCTION), read when first needed, so
that a flow module may set them itself.

A task also tells this module which run it belongs to (`set_task_context`) before the flow is
imported, so that configs already stored with that run are reused instead of resolved again.
"""

import json
import os

OPTIONS_VAR = "FLOWLENS_FLOW_OPTIONS"
CONFIGS_ARTIFACT = "_configs"
PARAMETERS_STEP = "_parameters"

_context = {}
_stored = {}


def options():
    text = os.environ.get(OPTIONS_VAR)
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise ValueError("%s is not valid JSON: %r" % (OPTIONS_VAR, text[:200]))
    return value if isinstance(value, dict) else {}


def username():
    """Metaflow's user: METAFLOW_USER first, then the login the environment names."""
    for var in ("METAFLOW_USER", "USERNAME", "USER", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database in some containers
        return None


def _env_map(var):
    text = os.environ.get(var)
    if not text:
        return {}
    try:
        loaded = json.loads(text)
    except ValueError as e:
        raise ValueError("%s is not a JSON object (%s)" % (var, e))
    if not isinstance(loaded, dict):
        raise ValueError("%s is not a JSON object of name -> value" % var)
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in loaded.items()}


def config_sources():
    """(name -> file path, name -> value text): the command line's, else the environment's (each kind apart, as Metaflow's options)."""
    opts = options()
    paths = {n: p for n, p in opts.get("config") or []}
    values = {n: v for n, v in opts.get("config_value") or []}
    if not paths:
        paths = _env_map("METAFLOW_FLOW_CONFIG")
    if not values:
        values = _env_map("METAFLOW_FLOW_CONFIG_VALUE")
    return paths, values


def project_options():
    """(branch or None, production): the command line's, else METAFLOW_BRANCH / METAFLOW_PRODUCTION."""
    opts = options()
    branch = opts.get("branch") or os.environ.get("METAFLOW_BRANCH") or None
    production = opts.get("production")
    if production is None:
        production = os.environ.get("METAFLOW_PRODUCTION", "").strip().lower() in ("1", "true", "yes", "y", "t", "on")
    return branch, bool(production)


def set_task_context(spec):
    """Called with the task's spec before the flow module is imported for it."""
    ref = spec.get("ref") or {}
    _context.clear()
    _context.update(flow=spec.get("flowName"), run=ref.get("runId"), step=ref.get("step"))


def stored_configs(flow_name):
    """The configs stored with the current task's run (name -> plain value), or None to resolve them."""
    if not _context.get("run") or _context.get("step") == PARAMETERS_STEP or _context.get("flow") != flow_name:
        return None
    key = (flow_name, _context["run"])
    if key not in _stored:
        _stored[key] = _load_stored(flow_name, _context["run"])
    return _stored[key]


def _load_stored(flow_name, run_id):
    from ._datastore import FlowDatastore
    from ._storage import storage_from_env

    ds = FlowDatastore(storage_from_env(), flow_name)
    if ds.done_attempt(run_id, PARAMETERS_STEP, "0") is None:
        return None
    task = ds.read_task("%s/%s/0" % (run_id, PARAMETERS_STEP))
    sha = task.objects.get(CONFIGS_ARTIFACT)
    return ds.load_object(sha) if sha else None
