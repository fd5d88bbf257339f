"""Where a trivial task's time goes, measured piece by piece in a process set up as a warm worker.

Run by breakdown.ts with the bundled Python side first on sys.path; prints one JSON object:
  fork_wall_ms, fork_parent_cpu_ms, fork_child_cpu_ms   fork + exit + wait of a child that does nothing
  gc_child_cpu_ms                                       the same child running one full collection
                                                        (what copy-on-write costs once a child touches
                                                        the worker's objects)
  write_ms, write_cpu_ms                                one small file written as the store writes
                                                        (temporary name, then rename): wall and CPU
  fsync_ms                                              one fsync of such a file (the store does none)
  worker_rss_mb                                         the warm process's resident memory
"""

import gc
import json
import os
import resource
import sys
import tempfile
import time


def forks(n, body):
    c0 = os.times()
    t0 = time.perf_counter()
    for _ in range(n):
        pid = os.fork()
        if pid == 0:
            body()
            os._exit(0)
        os.waitpid(pid, 0)
    c1 = os.times()
    wall = (time.perf_counter() - t0) * 1000 / n
    parent = (c1.user + c1.system - c0.user - c0.system) * 1000 / n
    child = (c1.children_user + c1.children_system - c0.children_user - c0.children_system) * 1000 / n
    return wall, parent, child


def main():
    flow_file, n = sys.argv[1], int(sys.argv[2])
    from flowlens import _worker  # noqa: F401  (what a worker imports before its first task)
    from flowlens._flowload import load_flow_module
    from flowlens._storage import LocalStorage

    sys.modules["__main__"] = load_flow_module(flow_file)
    fork_wall, fork_parent, fork_child = forks(n, lambda: None)
    _, _, gc_child = forks(max(10, n // 4), gc.collect)

    root = tempfile.mkdtemp(prefix="flowlens-scale-writes-")
    store = LocalStorage(root)
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(n):
        store.put("F/1/work/%d/0.data.json" % i, b"{}" * 200)
    write = (time.perf_counter() - t0) * 1000 / n
    write_cpu = (time.process_time() - c0) * 1000 / n
    path = os.path.join(root, "sync")
    with open(path, "wb") as f:
        t0 = time.perf_counter()
        for _ in range(max(10, n // 10)):
            f.write(b"x" * 400)
            f.flush()
            os.fsync(f.fileno())
        fsync = (time.perf_counter() - t0) * 1000 / max(10, n // 10)
    print(json.dumps({
        "fork_wall_ms": fork_wall,
        "fork_parent_cpu_ms": fork_parent,
        "fork_child_cpu_ms": fork_child,
        "gc_child_cpu_ms": gc_child,
        "write_ms": write,
        "write_cpu_ms": write_cpu,
        "fsync_ms": fsync,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "root": root,
    }))


if __name__ == "__main__":
    main()
