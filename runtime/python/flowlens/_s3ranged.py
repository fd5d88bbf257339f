"""One large object of the S3 data tool fetched as ranges in parallel, written in place into its file.

A single GET streams at one connection's pace. Past RANGED_FROM bytes, the tool keeps reading
the first range from the GET it already made (so small objects never pay for a range request)
while the rest of the object comes as ranged GETs on a bounded pool of RANGE_WORKERS threads,
each range written at its offset into the target file, which is sized to the object first. Every ranged GET carries the first answer's ETag (If-Match), so an object replaced
meanwhile fails the download instead of mixing two versions; a range whose body breaks off is
fetched again alone; the file's size is checked at the end.
"""

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor

from ._s3storage import BODY_ATTEMPTS, whole_body

# Objects from this size on are fetched in ranges; smaller ones in their single GET.
RANGED_FROM = 32 * 1024 * 1024
# The smallest range; an object is cut into about one range a lane (piece_size), as the Node
# side's S3 transfers are (runtime/src/datastore/s3/transfer.ts): more, smaller ranges only
# add requests.
RANGE_SIZE = 8 * 1024 * 1024
# Ranged GETs in flight at once for all the objects of one S3 (its own pool: the objects' pool
# waits on ranges, and a range never waits on anything, so neither pool can starve the other).
# FLOWLENS_S3_RANGE_WORKERS=0 turns ranged downloads off: one GET an object, whatever its size.
RANGE_WORKERS = int(os.environ.get("FLOWLENS_S3_RANGE_WORKERS", "4") or 0)
_CHUNK = 1024 * 1024


class ChangedWhileFetched(Exception):
    """The object was replaced between the first GET and a ranged one (its ETag no longer matches)."""


def range_getter(direct, client, bucket, key, etag, error):
    """get_range(first, last) -> the body of that byte range of the object, pinned to `etag`:
    a direct signed GET first (`direct`, a _s3direct.DirectGetter, or None), else boto3's `client`."""
    from ._s3direct import UseBoto3

    def get_range(first, last):
        headers = {"range": "bytes=%d-%d" % (first, last)}
        if etag:
            headers["if-match"] = etag
        part = None
        if direct is not None:
            try:
                part = direct.get_object(bucket, key, headers)
            except UseBoto3:
                part = None
        if part is None:
            part = client.get_object(Bucket=bucket, Key=key, Range=headers["range"], **({"IfMatch": etag} if etag else {}))
        if not str(part.get("ContentRange") or "").startswith("bytes %d-%d/" % (first, last)):
            part["Body"].close()
            raise error("s3://%s/%s: the server did not answer the byte range %d-%d it was asked for" % (bucket, key, first, last))
        return part["Body"]

    return get_range


def piece_size(total):
    """The range size for an object of `total` bytes: one range for each worker and one for the first GET."""
    return max(RANGE_SIZE, -(-total // (RANGE_WORKERS + 1)))


def ranges(total, size):
    """(first, last) byte of each range after the first, last inclusive, as a Range header counts."""
    return [(start, min(total, start + size) - 1) for start in range(size, total, size)]


def _write_body(body, fd, offset, expected, short_read):
    """Copies `body` to `fd` from `offset`; raises short_read unless exactly `expected` bytes came."""
    got = 0
    while got < expected:
        chunk = body.read(min(_CHUNK, expected - got))
        if not chunk:
            break
        os.pwrite(fd, chunk, offset + got)
        got += len(chunk)
    if got != expected:
        raise short_read(actual_bytes=got, expected_bytes=expected)


def fetch_in_ranges(first_body, total, path, get_range, pool, stream_errors, broken, short_read):
    """Fills `path` with the object's `total` bytes: the first range from `first_body` (the open
    plain GET), the others from `get_range(first, last)` (a body) on `pool`, each written in place.

    A body that breaks off is fetched again, that range alone (`stream_errors`, then `broken`);
    `short_read(actual_bytes=, expected_bytes=)` is the error of a body shorter than its range."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, total)

        def one(first, last):
            def attempt():
                body = get_range(first, last)
                try:
                    _write_body(body, fd, first, last - first + 1, short_read)
                finally:
                    close = getattr(body, "close", None)
                    if close is not None:
                        close()

            whole_body(attempt, stream_errors, broken)

        piece = piece_size(total)
        futures = [pool.submit(one, first, last) for first, last in ranges(total, piece)]
        try:
            head = min(piece, total)
            try:
                _write_body(first_body, fd, 0, head, short_read)
            except stream_errors:
                one(0, head - 1)
            finally:
                # The rest of this body is fetched as ranges: drop its connection, unread.
                first_body.close()
            for f in futures:
                f.result()
        except BaseException:
            for f in futures:
                f.cancel()
            for f in futures:
                if not f.cancelled():
                    try:
                        f.result()
                    except BaseException:
                        pass
            raise
        size = os.fstat(fd).st_size
        if size != total:
            raise short_read(actual_bytes=size, expected_bytes=total)
    finally:
        os.close(fd)


def fetch_to_file(s3, resp, total, bucket, key):
    """The object into a new file in the temporary folder of `s3` (an S3 of s3.py); its path.

    `resp` is the object's plain GET, its body not read yet."""
    from ._s3objects import MetaflowS3Exception

    url = "s3://%s/%s" % (bucket, key)
    get_range = range_getter(s3._direct, s3._client, bucket, key, resp.get("ETag"), MetaflowS3Exception)

    def broken(error):
        return MetaflowS3Exception("%s: a range of the download broke off %d times (%s)" % (url, BODY_ATTEMPTS, type(error).__name__))

    if s3._range_pool is None:
        s3._range_pool = ThreadPoolExecutor(max_workers=RANGE_WORKERS, thread_name_prefix="flowlens-s3-range")
    fd, path = tempfile.mkstemp(dir=s3._tmpdir, prefix="s3obj-")
    os.close(fd)
    try:
        fetch_in_ranges(resp["Body"], total, path, get_range, s3._range_pool, s3._stream_errors, broken, s3._incomplete_read)
    except BaseException:
        os.unlink(path)
        raise
    return path
