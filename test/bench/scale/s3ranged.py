"""One large object read by the Python `S3` tool: parallel ranges (_s3ranged.py) against a single GET.

Run by s3ranged.ts with the bundled Python side first on sys.path and the server's endpoint and
credentials in the environment. Arguments: bucket, MiB, rounds. Rounds alternate the order;
prints one JSON object: the medians in seconds of `ranged` and `single`, and the tool's settings.
"""

import json
import os
import statistics
import sys
import time

from flowlens import _s3ranged
from flowlens.s3 import S3


def main():
    bucket, mib, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    body = os.urandom(mib * 1024 * 1024)
    ranged_from = _s3ranged.RANGED_FROM
    times = {"ranged": [], "single": []}
    with S3(s3root="s3://%s/ranged-bench" % bucket) as s3:
        s3.put("big", body)

        def read(kind):
            _s3ranged.RANGED_FROM = ranged_from if kind == "ranged" else len(body) + 1
            t0 = time.perf_counter()
            obj = s3.get("big")
            times[kind].append(time.perf_counter() - t0)
            if obj.size != len(body) or obj.path is None or os.path.getsize(obj.path) != len(body):
                raise SystemExit("the %s read came back with %s bytes" % (kind, obj.size))
            os.unlink(obj.path)

        read("ranged")
        read("single")
        times = {"ranged": [], "single": []}
        for r in range(rounds):
            for kind in (("ranged", "single") if r % 2 == 0 else ("single", "ranged")):
                read(kind)
    out = {k: statistics.median(v) for k, v in times.items()}
    out.update(range_mib=_s3ranged.piece_size(len(body)) / 1024 / 1024, workers=_s3ranged.RANGE_WORKERS)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
