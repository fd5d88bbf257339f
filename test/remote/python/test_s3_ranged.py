"""flowlens.s3.S3 fetching one large object as parallel ranges (_s3ranged.py) against moto_server;
started by test/remote/pythonS3.test.ts. The thresholds are lowered so small objects take that path."""

import os
import sys

import pytest

sys.path.insert(0, os.environ["FLOWLENS_PYTHON_DIR"])

from metaflow import S3  # noqa: E402
from flowlens import _s3ranged  # noqa: E402
from flowlens.s3 import MetaflowS3Exception  # noqa: E402

ROOT = "s3://%s/ranged" % os.environ["FLOWLENS_TEST_BUCKET"]
RANGE = 256 * 1024


@pytest.fixture(autouse=True)
def small_ranges(monkeypatch):
    monkeypatch.setattr(_s3ranged, "RANGED_FROM", 1024 * 1024)
    monkeypatch.setattr(_s3ranged, "RANGE_SIZE", RANGE)
    # Many workers: every range is RANGE long (an object is cut into one range a worker at most).
    monkeypatch.setattr(_s3ranged, "RANGE_WORKERS", 64)


def _record(monkeypatch, source, before=None):
    """Wraps source.get_object: returns the list of the Range each call asked for (None: a plain GET)."""
    real = source.get_object
    calls = []

    def recording(*args, **kwargs):
        headers = args[2] if len(args) > 2 else {}
        asked = (headers or {}).get("range") or kwargs.get("Range")
        calls.append(asked)
        if before is not None:
            before(len(calls), asked)
        resp = real(*args, **kwargs)
        return resp

    monkeypatch.setattr(source, "get_object", recording)
    return calls


@pytest.mark.parametrize("path", ["direct", "boto3"])
def test_a_large_object_comes_whole_from_its_first_get_and_parallel_ranges(monkeypatch, path):
    big = os.urandom(3 * 1024 * 1024 + 5)
    with S3(s3root=ROOT) as s3:
        s3.put_many([("big", big), ("small", "ok")])
        if path == "boto3":
            s3._direct = None
        source = s3._direct if path == "direct" else s3._client
        calls = _record(monkeypatch, source)
        obj = s3.get("big")
        assert obj.size == len(big) and obj.blob == big
        assert obj.path is not None and os.path.getsize(obj.path) == len(big)
        expected = ["bytes=%d-%d" % (a, min(len(big), a + RANGE) - 1) for a in range(RANGE, len(big), RANGE)]
        assert calls[0] is None, "the first request is the plain GET"
        assert sorted(calls[1:]) == sorted(expected), "every byte after the first range, once"
        got = s3.get_many(["small", "big", "big"])
        assert [g.blob for g in got] == [b"ok", big, big]


def test_a_range_that_breaks_off_is_fetched_again_alone(monkeypatch):
    from botocore.exceptions import ResponseStreamingError

    big = os.urandom(2 * 1024 * 1024 + 1)
    with S3(s3root=ROOT) as s3:
        s3.put("flaky", big)
        direct = s3._direct
        assert direct is not None
        real = direct.get_object
        broken = {"range": "bytes=%d-%d" % (3 * RANGE, 4 * RANGE - 1), "left": 2}
        calls = []

        class Broken(object):
            def read(self, *args):
                raise ResponseStreamingError(error="connection reset by peer")

            def close(self):
                pass

        def flaky(bucket, key, headers=None):
            asked = (headers or {}).get("range")
            calls.append(asked)
            resp = real(bucket, key, headers)
            if asked == broken["range"] and broken["left"] > 0:
                broken["left"] -= 1
                resp["Body"].close()
                resp["Body"] = Broken()
            return resp

        monkeypatch.setattr(direct, "get_object", flaky)
        obj = s3.get("flaky")
        assert obj.blob == big
        assert calls.count(None) == 1, "the object was not fetched again from its start"
        assert calls.count(broken["range"]) == 3
        assert obj.path is not None
        assert os.listdir(s3._tmpdir) == [os.path.basename(obj.path)]


def test_an_object_replaced_during_its_download_fails_clearly(monkeypatch):
    first = os.urandom(2 * 1024 * 1024)
    with S3(s3root=ROOT) as s3:
        s3.put("moving", first)
        assert s3._direct is not None

        def replace_after_the_first_get(n, asked):
            if n == 2:
                s3.put("moving", os.urandom(2 * 1024 * 1024))

        # One range worker: the replacement lands before any range is asked for.
        monkeypatch.setattr(_s3ranged, "RANGE_WORKERS", 1)
        _record(monkeypatch, s3._direct, replace_after_the_first_get)
        with pytest.raises(MetaflowS3Exception, match="changed while it was being downloaded"):
            s3.get("moving")
        assert os.listdir(s3._tmpdir) == [], "no partial file is left"
