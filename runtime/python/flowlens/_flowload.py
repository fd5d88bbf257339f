"""Loading a flow file the way `python flow.py` would: as `__main__`, its folder first on sys.path.

Running it as `__main__` keeps pickles of classes defined in the flow file compatible with
Metaflow's (`__main__.MyClass`); `MyFlow()` at the bottom of the file does nothing while the
harness loads it.
"""

import builtins
import os
import sys
import types

from . import _runtime_state
from ._finalize import finalize_flow
from .flowspec import FlowSpec


class FlowLoadError(Exception):
    pass


def load_flow_module(path):
    path = os.path.abspath(path)
    folder = os.path.dirname(path)
    if folder not in sys.path[:1]:
        sys.path.insert(0, folder)
    with open(path, "rb") as f:
        source = f.read()
    module = types.ModuleType("__main__")
    module.__file__ = path
    # A module object takes any attribute; the type stubs only know the standard ones.
    module.__builtins__ = builtins  # pyright: ignore[reportAttributeAccessIssue]
    module.__flowlens_mtime__ = os.stat(path).st_mtime_ns  # pyright: ignore[reportAttributeAccessIssue]
    code = compile(source, path, "exec", dont_inherit=True)
    previous = sys.modules.get("__main__")
    sys.modules["__main__"] = module
    _runtime_state.loading_flow_module = True
    try:
        exec(code, module.__dict__)
    except BaseException:
        if previous is not None:
            sys.modules["__main__"] = previous
        raise
    finally:
        _runtime_state.loading_flow_module = False
    return module


def flow_class(module, flow_name):
    cls = getattr(module, flow_name, None)
    # `@SomeFlowMutator` without parentheses leaves the mutator under the flow's name.
    cls = getattr(cls, "_flow_cls", None) or cls
    if cls is None or not isinstance(cls, type) or not issubclass(cls, FlowSpec):
        found = [n for n, v in vars(module).items() if isinstance(v, type) and issubclass(v, FlowSpec) and v is not FlowSpec]
        raise FlowLoadError(
            "%s defines no flow class %s (flows found: %s)" % (module.__file__, flow_name, ", ".join(found) or "none")
        )
    return finalize_flow(cls)
