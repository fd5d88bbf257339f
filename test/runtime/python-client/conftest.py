"""Fixtures of the client tests: a fresh datastore per test, and clean client settings."""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "runtime", "python"))
for path in (PYTHON_ROOT, HERE):
    if path not in sys.path:
        sys.path.insert(0, path)

from datastore_builder import DatastoreBuilder, LocalWriter  # noqa: E402

_SETTING_VARS = (
    "FLOWLENS_DATASTORE_ROOT",
    "FLOWLENS_DATASTORE",
    "METAFLOW_DEFAULT_DATASTORE",
    "METAFLOW_DATASTORE_SYSROOT_LOCAL",
    "METAFLOW_DATASTORE_SYSROOT_S3",
    "METAFLOW_S3_ENDPOINT_URL",
    "FLOWLENS_S3_ENDPOINT_URL",
)


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch):
    from flowlens.client import _settings

    for var in _SETTING_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("METAFLOW_USER", "tester")
    _settings.reset_for_tests()
    yield
    _settings.reset_for_tests()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with an empty `.metaflow` datastore; the working directory is inside it."""
    root = tmp_path / "project" / ".metaflow"
    root.mkdir(parents=True)
    work = tmp_path / "project" / "src"
    work.mkdir()
    monkeypatch.chdir(work)
    return root


@pytest.fixture
def builder(project):
    def make(flow="HelloFlow", **kw):
        return DatastoreBuilder(LocalWriter(str(project)), flow, **kw)

    return make
