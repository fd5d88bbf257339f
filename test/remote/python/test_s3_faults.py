"""flowlens.s3.S3 behind the fault-injecting proxy (test/remote/servers/faultProxy.ts: 503
SlowDown, 500, connection resets, bodies cut off halfway), started by test/remote/pythonS3.test.ts:
every object still comes back whole, whichever path (direct or boto3) each request took."""

import os
import sys

sys.path.insert(0, os.environ["FLOWLENS_PYTHON_DIR"])

from metaflow import S3  # noqa: E402

ROOT = "s3://%s/faults" % os.environ["FLOWLENS_TEST_BUCKET"]


def test_get_many_through_failures_returns_every_object_whole():
    small = [("s/%03d" % i, os.urandom(64 + i)) for i in range(300)]
    large = [("l/%d" % i, os.urandom(9 * 1024 * 1024 + i)) for i in range(3)]
    with S3(s3root=ROOT) as s3:
        assert s3._direct is not None, "GETs go out directly"
        s3.put_many(small + large)
        for _ in range(3):
            got = s3.get_many([k for k, _ in small + large])
            assert [g.blob for g in got] == [v for _, v in small + large]
