"""pytest setup for the bundled Python side: runtime/python first on sys.path, and a task runner."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME_PYTHON = os.path.abspath(os.path.join(HERE, "..", "..", "..", "runtime", "python"))
if RUNTIME_PYTHON not in sys.path:
    sys.path.insert(0, RUNTIME_PYTHON)

import pytest  # noqa: E402

from helpers import Runner  # noqa: E402


@pytest.fixture
def runner_for(tmp_path, monkeypatch):
    """runner_for(source, flow_name, graph=None) -> Runner over a fresh local datastore."""
    root = tmp_path / ".metaflow"
    monkeypatch.setenv("FLOWLENS_DATASTORE", "local")
    monkeypatch.setenv("FLOWLENS_DATASTORE_ROOT", str(root))
    monkeypatch.chdir(tmp_path)
    saved_main = sys.modules.get("__main__")
    saved_path = list(sys.path)

    def make(source, flow_name, graph=None):
        return Runner(tmp_path, root, source, flow_name, graph)

    yield make
    if saved_main is None:
        sys.modules.pop("__main__", None)
    else:
        sys.modules["__main__"] = saved_main
    sys.path[:] = saved_path
