"""flowlens.s3.S3 and the task storage (_s3storage) behind the fault-injecting proxy (test/remote/servers/faultProxy.ts: 503
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


def test_task_storage_reads_through_failures_return_every_object_whole():
    # The harness's datastore seam (artifact blobs, data.json) reads one object at a time: a body
    # that breaks off halfway is fetched again whole, as the S3 tool does. The objects are written
    # past the proxy, so the failures all land on the reads.
    from flowlens._s3storage import S3Storage

    root = ROOT + "/storage"
    writer = S3Storage(root, env=dict(os.environ, AWS_ENDPOINT_URL_S3=os.environ["FLOWLENS_TEST_DIRECT_ENDPOINT"]))
    storage = S3Storage(root)
    objects = [("blob/%03d" % i, os.urandom(1000 + 97 * i)) for i in range(40)] + [("blob/big", os.urandom(3 * 1024 * 1024))]
    for key, data in objects:
        writer.put(key, data)
    for _ in range(2):
        assert [storage.get(key) for key, _ in objects] == [data for _, data in objects]
    assert storage.get("blob/none") is None
