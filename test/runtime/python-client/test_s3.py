"""The client over an S3 datastore: moto's server on loopback, boto3 with endpoint_url."""

import os
import socket
import subprocess
import time
import urllib.request

import pytest

boto3 = pytest.importorskip("boto3")

from datastore_builder import DatastoreBuilder, S3Writer  # noqa: E402
from flowlens.client import Flow, Run, Task, get_metadata, metadata, namespace  # noqa: E402

BUCKET = "flowlens-client-test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def moto(tmp_path_factory):
    port = free_port()
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    # The server logs every request: to a file, so a full pipe can never stall it.
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 60
    while True:
        # Wait until the server answers, not for a fixed time.
        try:
            urllib.request.urlopen(url + "/", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("moto_server exited with %s: %s" % (proc.returncode, log_path.read_text()))
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("moto_server did not answer on %s within 60 s" % url)
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture
def s3_store(moto, monkeypatch, tmp_path):
    for var, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                       ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.chdir(tmp_path)  # no local .metaflow anywhere near
    client = boto3.client("s3", endpoint_url=moto, region_name="us-east-1")
    try:
        client.create_bucket(Bucket=BUCKET)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    prefix = "ds-%d" % time.monotonic_ns()
    b = DatastoreBuilder(S3Writer(client, BUCKET, prefix), "CloudFlow", s3=True)
    return b, "s3://%s/%s" % (BUCKET, prefix)


def fill(b):
    b.linear_run("1", {"start": {"x": 1}, "end": {"y": "old"}})
    b.record("2", status="running")
    b.attempt("2", "start", "1", {"items": [10, 20], "_graph_info": b.graph_info(["start", "work", "end"])})
    for i, v in enumerate([10, 20]):
        b.attempt("2", "work", str(2 + i), {"input": v, "sq": v * v}, foreach_stack=[(i, 2, v)], stdout=["squared %d" % v])
    b.attempt("2", "end", "4", {"y": "new"})
    b.record("2", status="succeeded")
    b.linear_run("3", {"start": {"x": 3}, "end": {"y": "broken"}}, ok=False, status="failed")


def test_s3_through_metaflow_environment(s3_store, moto, monkeypatch):
    b, root = s3_store
    fill(b)
    monkeypatch.setenv("METAFLOW_DEFAULT_DATASTORE", "s3")
    monkeypatch.setenv("METAFLOW_DATASTORE_SYSROOT_S3", root)
    monkeypatch.setenv("METAFLOW_S3_ENDPOINT_URL", moto)
    flow = Flow("CloudFlow")
    assert [r.id for r in flow] == ["3", "2", "1"]
    assert flow.latest_successful_run.data.y == "new"
    assert not Run("CloudFlow/3").successful
    work = sorted(Run("CloudFlow/2")["work"], key=lambda t: t.index)
    assert [(t.index, t.data.sq) for t in work] == [(0, 100), (1, 400)]
    assert work[1].stdout == "squared 20\n"
    assert Task("CloudFlow/2/end/4")["y"].size > 0


def test_s3_through_flowlens_environment_and_metadata(s3_store, moto, monkeypatch):
    b, root = s3_store
    fill(b)
    monkeypatch.setenv("FLOWLENS_DATASTORE", "s3")
    monkeypatch.setenv("FLOWLENS_DATASTORE_ROOT", root)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", moto)
    assert get_metadata() == "s3@%s" % root
    assert Flow("CloudFlow").latest_run.id == "3"
    monkeypatch.delenv("FLOWLENS_DATASTORE_ROOT")
    namespace(None)
    assert metadata("s3@%s" % root) == "s3@%s" % root
    assert Run("CloudFlow/1").data.x == 1
