"""Pointing the client at a datastore (metadata, environment), namespaces, the code package, import cost."""

import os
import subprocess
import sys

import pytest

from datastore_builder import DatastoreBuilder, LocalWriter
from flowlens.client import (
    Flow,
    MetaflowException,
    MetaflowNotFound,
    default_namespace,
    get_metadata,
    get_namespace,
    metadata,
    namespace,
)


PYTHON_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "runtime", "python"))


def make_store(path, flow="AFlow", value="a"):
    path.mkdir(parents=True, exist_ok=True)
    DatastoreBuilder(LocalWriter(str(path)), flow).linear_run("1", {"start": {"v": value}, "end": {}})


def test_metadata_local_at_project_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_store(tmp_path / "elsewhere" / ".metaflow", value="from elsewhere")
    assert metadata("local@%s" % (tmp_path / "elsewhere")) == "local@%s" % (tmp_path / "elsewhere")
    assert get_metadata() == "local@%s" % (tmp_path / "elsewhere")
    assert Flow("AFlow").latest_run.data.v == "from elsewhere"


def test_metadata_accepts_the_root_itself_and_rejects_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_store(tmp_path / "store", value="root itself")
    metadata(str(tmp_path / "store"))
    assert Flow("AFlow").latest_run.data.v == "root itself"
    with pytest.raises(MetaflowNotFound) as e:
        metadata("local@%s" % (tmp_path / "missing"))
    assert "missing" in str(e.value)
    with pytest.raises(MetaflowException) as e:
        metadata("service@http://localhost:8080")
    assert "not supported" in str(e.value)


def test_environment_roots(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # Metaflow's meaning: the folder that holds the `.metaflow` datastore folder.
    make_store(tmp_path / "one" / ".metaflow", value="one")
    make_store(tmp_path / "two", value="two")
    monkeypatch.setenv("METAFLOW_DATASTORE_SYSROOT_LOCAL", str(tmp_path / "one"))
    assert Flow("AFlow").latest_run.data.v == "one"
    monkeypatch.setenv("FLOWLENS_DATASTORE_ROOT", str(tmp_path / "two"))
    assert Flow("AFlow").latest_run.data.v == "two"


def test_nearest_metaflow_folder_upward(tmp_path, monkeypatch):
    make_store(tmp_path / ".metaflow", value="nearest")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert Flow("AFlow").latest_run.data.v == "nearest"


def test_no_datastore_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(MetaflowNotFound) as e:
        Flow("AFlow")
    assert ".metaflow" in str(e.value) and str(tmp_path) in str(e.value)


def test_namespaces(builder):
    b = builder()
    b.linear_run("1", {"start": {"v": 1}, "end": {}}, user="tester")
    b.linear_run("2", {"start": {"v": 2}, "end": {}}, user="bob")
    assert get_namespace() == "user:tester"
    assert [r.id for r in Flow("HelloFlow")] == ["1"]
    namespace("user:bob")
    assert [r.id for r in Flow("HelloFlow")] == ["2"]
    namespace(None)
    assert get_namespace() is None
    assert [r.id for r in Flow("HelloFlow")] == ["2", "1"]
    assert default_namespace() == "user:tester"


def test_code_package(builder):
    b = builder()
    pkg = b.code_package({"flow.py": "from metaflow import FlowSpec\n# v1\n", "helpers/util.py": "X = 1\n"})
    b.linear_run("1", {"start": {}, "end": {}})
    b.record("1", status="succeeded", code_package=pkg, file="/home/me/project/flow.py")
    from flowlens.client import Run

    code = Run("HelloFlow/1").code
    assert "# v1" in code.flowspec
    assert code.path.endswith(pkg["key"].replace("/", os.sep))
    assert sorted(code.tarball.getnames()) == ["flow.py", "helpers/util.py"]
    tmp = code.extract()
    assert open(os.path.join(tmp.name, "helpers", "util.py")).read() == "X = 1\n"
    tmp.cleanup()
    b.linear_run("2", {"start": {}, "end": {}})
    assert Run("HelloFlow/2").code is None


def test_importing_the_client_is_cheap():
    code = ("import sys, metaflow, flowlens, flowlens.client; "
            "print('boto3' in sys.modules, 'botocore' in sys.modules, 'flowlens.client.core' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=PYTHON_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


NAMES = ("Metaflow Flow Run Step Task DataArtifact namespace get_namespace default_namespace "
         "get_metadata metadata MetaflowNotFound").split()


def test_metaflow_and_flowlens_export_the_client():
    import flowlens
    import flowlens.client
    import metaflow

    for name in NAMES:
        assert getattr(metaflow, name) is getattr(flowlens.client, name), name
        assert getattr(flowlens, name) is getattr(flowlens.client, name), name
    from metaflow import MetaflowNotFound as NotFound

    assert issubclass(NotFound, metaflow.MetaflowException)
