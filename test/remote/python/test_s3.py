"""flowlens.s3.S3 (Metaflow's S3 data tool) against moto_server; started by test/remote/pythonS3.test.ts,
which passes the endpoint and dummy credentials in the environment and creates the bucket."""

import os
import sys

import pytest

sys.path.insert(0, os.environ["FLOWLENS_PYTHON_DIR"])

from metaflow import S3  # noqa: E402  (the alias package must export it)
from flowlens.s3 import MetaflowS3NotFound, MetaflowS3URLException, S3PutObject  # noqa: E402

BUCKET = os.environ["FLOWLENS_TEST_BUCKET"]
ROOT = "s3://%s/tool" % BUCKET


def test_put_get_text_blob_path_and_info(tmp_path):
    with S3(s3root=ROOT) as s3:
        url = s3.put("a/one", "first")
        assert url == ROOT + "/a/one"
        s3.put("a/two", b"\x00\x01", metadata={"k": "v"}, content_type="application/x-test")
        obj = s3.get("a/one")
        assert (obj.exists, obj.key, obj.url, obj.text, obj.size) == (True, "a/one", ROOT + "/a/one", "first", 5)
        assert obj.path is not None
        with open(obj.path, "rb") as f:
            assert f.read() == b"first"
        two = s3.get("a/two")
        assert two.blob == b"\x00\x01" and two.metadata == {"k": "v"} and two.content_type == "application/x-test"
        info = s3.info("a/two")
        assert info.size == 2 and info.blob is None and info.exists
        assert s3.get(ROOT + "/a/one").text == "first", "full URLs work too"
        s3.put("empty", b"")
        assert s3.get("empty").blob == b""


def test_many_recursive_listing_and_files(tmp_path):
    with S3(s3root=ROOT + "/bulk") as s3:
        pairs = [("d%d/k%03d" % (i % 3, i), "v%d" % i) for i in range(50)]
        out = s3.put_many(pairs)
        assert [k for k, _ in out] == [k for k, _ in pairs]
        got = s3.get_many([k for k, _ in pairs])
        assert [o.text for o in got] == [v for _, v in pairs]
        files = []
        for i in range(3):
            p = tmp_path / ("f%d.bin" % i)
            p.write_bytes(b"x" * (i + 1))
            files.append(("files/f%d" % i, str(p)))
        s3.put_files(files)
        s3.put_many([S3PutObject("obj/with-meta", "m", metadata={"a": "b"})])
        assert s3.info("obj/with-meta").metadata == {"a": "b"}
        assert sorted(o.size for o in s3.get_recursive(["files"])) == [1, 2, 3]
        top = s3.list_paths()
        assert sorted((o.key, o.exists) for o in top) == [("d0", False), ("d1", False), ("d2", False), ("files", False), ("obj", False)]
        assert len(s3.list_paths(["d0"])) == 17
        assert len(s3.list_recursive()) == 54
        assert len(s3.get_all()) == 54


def test_large_object_goes_to_a_file():
    big = os.urandom(20 * 1024 * 1024 + 3)
    with S3(s3root=ROOT) as s3:
        s3.put("big", big)
        obj = s3.get("big")
        assert obj.size == len(big)
        assert obj.path is not None and os.path.getsize(obj.path) == len(big)
        assert obj.blob == big


@pytest.mark.parametrize("path", ["direct", "boto3"])
def test_a_body_that_breaks_off_is_fetched_again(monkeypatch, path):
    from botocore.exceptions import ResponseStreamingError

    from flowlens.s3 import MetaflowS3Exception

    big = os.urandom(9 * 1024 * 1024 + 1)
    with S3(s3root=ROOT) as s3:
        s3.put_many([("flaky/small", "ok"), ("flaky/big", big)])
        assert s3._direct is not None, "GETs go out directly against a loopback endpoint"
        if path == "boto3":
            s3._direct = None
        source = s3._direct if path == "direct" else s3._client
        assert source is not None
        real = source.get_object
        breaks = {"left": 2}

        class Broken(object):
            def read(self, *args):
                raise ResponseStreamingError(error="connection reset by peer")

        def flaky(*args, **kwargs):
            resp = real(*args, **kwargs)
            if breaks["left"] > 0:
                breaks["left"] -= 1
                resp["Body"].close()
                resp["Body"] = Broken()
            return resp

        monkeypatch.setattr(source, "get_object", flaky)
        assert s3.get("flaky/small").text == "ok"
        obj = s3.get("flaky/big")
        assert obj.blob == big
        assert obj.path is not None and os.listdir(s3._tmpdir) == [os.path.basename(obj.path)], "the broken attempt left no partial file"
        breaks["left"] = 100
        with pytest.raises(MetaflowS3Exception, match="broke off 5 times"):
            s3.get("flaky/small")


def test_missing_key_and_bucket_are_clear():
    with S3(s3root=ROOT) as s3:
        with pytest.raises(MetaflowS3NotFound, match="tool/nope not found"):
            s3.get("nope")
        missing = s3.get("nope", return_missing=True)
        assert missing.exists is False and missing.blob is None
        assert [o.exists for o in s3.get_many(["a/one", "nope"], return_missing=True)] == [True, False]
        assert s3.info("nope", return_missing=True).exists is False
    with S3(s3root="s3://no-such-bucket-xyz/p") as s3:
        with pytest.raises(MetaflowS3NotFound, match="bucket 'no-such-bucket-xyz' does not exist"):
            s3.get("k")
    with S3() as s3:
        with pytest.raises(MetaflowS3URLException, match="no s3root"):
            s3.get("relative")


def test_overwrite_false_keeps_the_first():
    with S3(s3root=ROOT) as s3:
        s3.put("cas", "one", overwrite=False)
        s3.put("cas", "two", overwrite=False)
        assert s3.get("cas").text == "one"


def test_run_scoped_root(monkeypatch):
    from flowlens.current import current

    monkeypatch.setenv("FLOWLENS_DATASTORE", "s3")
    monkeypatch.setenv("FLOWLENS_DATASTORE_ROOT", "s3://%s/ds" % BUCKET)
    current._set("MyFlow", "17", "start", "1", 0, None, "MyFlow/17/start/1", None, "me", [], [])
    with S3(run=object()) as s3:
        url = s3.put("model", "weights")
        assert url == "s3://%s/ds/data/MyFlow/17/model" % BUCKET

    class Run(object):
        pathspec = "MyFlow/17"

    with S3(run=Run()) as s3:
        assert s3.get("model").text == "weights"


def test_direct_signing_matches_botocore():
    import datetime

    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from flowlens._s3direct import sigv4_headers

    now = datetime.datetime(2026, 11, 26, 21, 30, 5, tzinfo=datetime.timezone.utc)
    for token in (None, "session/token+="):
        creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
        for host, path in (("bucket.s3.eu-west-1.amazonaws.com", "/a%20b/c~d/%C3%A9.txt"), ("127.0.0.1:9000", "/bucket/k")):
            request = AWSRequest(method="GET", url="https://%s%s" % (host, path))
            original = botocore.auth.get_current_datetime
            botocore.auth.get_current_datetime = lambda: now.replace(tzinfo=None)
            try:
                botocore.auth.S3SigV4Auth(creds, "s3", "eu-west-1").add_auth(request)
            finally:
                botocore.auth.get_current_datetime = original
            ours = sigv4_headers("GET", host, path, "eu-west-1", creds.access_key, creds.secret_key, token, now)
            # botocore signs over HTTPS without a payload hash; the signatures differ only there.
            assert request.headers["X-Amz-Date"] == ours["x-amz-date"]
            expected = request.headers["Authorization"]
            if request.headers["X-Amz-Content-SHA256"] != ours["x-amz-content-sha256"]:
                request = AWSRequest(method="GET", url="http://%s%s" % (host, path))
                botocore.auth.get_current_datetime = lambda: now.replace(tzinfo=None)
                try:
                    botocore.auth.S3SigV4Auth(creds, "s3", "eu-west-1").add_auth(request)
                finally:
                    botocore.auth.get_current_datetime = original
                expected = request.headers["Authorization"]
            assert ours["authorization"] == expected, (token, host)


def test_gets_go_out_directly_and_match_boto3(monkeypatch):
    with S3(s3root=ROOT + "/direct") as s3:
        s3.put("m", "meta", metadata={"k": "v"}, content_type="text/x-test")
        # Keys that need percent-encoding in the request path, each its own way.
        odd = ["a b/c+d=e&f", "q?x#y", "pct%41", "\u00fc/\u7a7a x", "tilde~/star*", "semi;colon,comma", "dots/../x", "trailing/"]
        keys = ["k%d" % i for i in range(20)] + odd
        s3.put_many([(k, "v:" + k) for k in keys])
        calls = []
        real = s3._client.get_object
        monkeypatch.setattr(s3._client, "get_object", lambda **kw: calls.append(kw) or real(**kw))
        got = s3.get_many(keys + ["nope"], return_missing=True)
        assert [o.text for o in got[:-1]] == ["v:" + k for k in keys] and not got[-1].exists
        direct = s3.get("m")
        assert calls == [], "plain 200s and 404s never reach boto3"
        s3._direct, saved = None, s3._direct
        via_boto3 = s3.get("m")
        s3._direct = saved
        assert (direct.text, direct.metadata, direct.content_type, direct.size, direct.last_modified) == (
            via_boto3.text, via_boto3.metadata, via_boto3.content_type, via_boto3.size, via_boto3.last_modified)


def test_an_answer_the_direct_path_does_not_know_goes_to_boto3(monkeypatch):
    import http.server
    import threading

    class SlowDown(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<Error><Code>SlowDown</Code></Error>"
            self.send_response(503)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    throttling = http.server.HTTPServer(("127.0.0.1", 0), SlowDown)
    threading.Thread(target=throttling.serve_forever, daemon=True).start()
    try:
        with S3(s3root=ROOT + "/fallback") as s3:
            s3.put("x", "still here")
            calls = []
            real = s3._client.get_object
            monkeypatch.setattr(s3._client, "get_object", lambda **kw: calls.append(kw) or real(**kw))
            # The direct request meets a throttling answer (503 SlowDown): boto3, with its backoff,
            # makes the request instead.
            monkeypatch.setattr(s3._direct, "_target", lambda bucket, key: ("127.0.0.1:%d" % throttling.server_port, "/%s/%s" % (bucket, key)))
            assert s3.get("x").text == "still here"
            assert len(calls) == 1, "boto3 made the request the direct path could not"
    finally:
        throttling.shutdown()
