"""A join over N inputs, its task run as the warm worker runs one: in a forked process.

Run by joins.ts with the bundled Python side first on sys.path. Arguments: a folder, N, and the
join's work: `read` (one small artifact of each input) or `merge` (merge_artifacts). The start
task and the first foreach task run through the harness; the other N-1 foreach tasks' records
are written as that first one's with their own values (what a wide run leaves, without running
N tasks). The join runs twice: with each input's finished attempt in its spec, as the CLI's
scheduler passes them, and without (as for inputs the scheduler did not see finish), where each
input's folder is listed to find it. Prints one JSON object a run: the join task's wall time
from fork to exit, its CPU, and where the wall time went (`phases`: process start, reading the
inputs' records, building `inputs`, the step, persisting, exit; CPU beside the middle ones).
"""

import json
import os
import pickle
import resource
import sys
import time

from flowlens._datastore import FlowDatastore
from flowlens._flowload import load_flow_module
from flowlens._frames import ForeachFrame
from flowlens._harness import run_task
from flowlens._storage import LocalStorage

FLOW = '''import time

from metaflow import FlowSpec, Parameter, step


class JoinBench(FlowSpec):
    n = Parameter("n", default=10, type=int)

    @step
    def start(self):
        self.items = list(range(self.n))
        self.next(self.work, foreach="items")

    @step
    def work(self):
        self.out = self.input * 2
        self.same = "the same in every branch"
        self.next(self.join)

    @step
    def join(self, inputs):
        t0 = time.perf_counter()
        BODY
        self.bench_step_s = time.perf_counter() - t0
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    JoinBench()
'''
BODIES = {
    "read": "self.total = sum(i.out for i in inputs)",
    "merge": "self.merge_artifacts(inputs, exclude=['out']); assert self.same == 'the same in every branch'",
}


def node(kind, nxt, **extra):
    return dict({"type": kind, "next": nxt, "line": 1, "doc": "", "decorators": []}, **extra)


GRAPH = {
    "file": "flow.py", "parameters": [], "constants": [], "graph_structure": [], "doc": "", "decorators": [], "extensions": {},
    "steps": {
        "start": node("split-foreach", ["work"], foreach_artifact="items", matching_join="join"),
        "work": node("linear", ["join"]), "join": node("join", ["end"]), "end": node("end", []),
    },
}


def spec(path, step, task_id, inputs, **extra):
    ref = {"flow": "JoinBench", "runId": "1", "step": step, "taskId": task_id, "attempt": 0}
    out = {"ref": ref, "flowFile": path, "flowName": "JoinBench", "inputPaths": inputs, "retryCount": 0, "decorators": [],
           "env": {}, "pathspec": "JoinBench/1/%s/%s" % (step, task_id), "graph": GRAPH, "finalAttempt": True}
    out.update(extra)
    return out


def make_inputs(module, path, ds, n):
    """Runs _parameters, start and the first work task; writes the other work tasks' records."""
    assert run_task(spec(path, "_parameters", "0", [], parameters={"n": n}), module, write_done=True)["ok"]
    assert run_task(spec(path, "start", "1", ["1/_parameters/0"]), module, write_done=True)["ok"]
    assert run_task(spec(path, "work", "2", ["1/start/1"], splitIndex=0, splitCount=n), module, write_done=True)["ok"]
    first = ds.read_task("1/work/2")
    frame = ds.load_object(first.objects["_foreach_stack"])[-1]
    for i in range(1, n):
        objects, info = dict(first.objects), dict(first.info)
        values = {"out": 2 * i, "input": i, "index": i, "_foreach_stack": [ForeachFrame(frame.step, frame.var, n, i, i)]}
        for name, value in values.items():
            objects[name], _ = ds.save_pickled(pickle.dumps(value, protocol=4))
        task_id = str(i + 2)
        ds.write_attempt_started("1", "work", task_id, 0)
        ds.write_data("1", "work", task_id, 0, objects, info)
        ds.write_done("1", "work", task_id, 0)
    return ["1/work/%d" % (i + 2) for i in range(n)]


# The phases of the join task, timed in the forked task by wrapping the functions that do them.
PHASES = (("records", "_steptask", "read_records"), ("restore", "_steptask", "_restore"), ("step", "_steptask", "run_wrapped"),
          ("store", "_steptask", "store_step_outputs"), ("finish", "_finish", "finish_attempt"))


def _time_phases(marks):
    import importlib

    for label, module_name, name in PHASES:
        module = importlib.import_module("flowlens." + module_name)
        marks[label] = [0.0, 0.0]

        def timed(*args, _f=getattr(module, name), _m=marks[label], **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                _m[0] += time.perf_counter() - wall
                _m[1] += time.process_time() - cpu

        setattr(module, name, timed)


def run_join(module, join_spec):
    """Forks, runs the join task in the child as the worker does; returns its figures."""
    read_end, write_end = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        marks = {"began": time.perf_counter()}
        _time_phases(marks)
        result = run_task(join_spec, module, write_done=True)
        marks["returned"] = time.perf_counter()
        os.write(write_end, json.dumps(marks).encode("utf-8"))
        os._exit(0 if result.get("ok") else 1)
    os.close(write_end)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    with os.fdopen(read_end, "rb") as f:
        marks = json.loads(f.read() or b"{}")
    if status != 0:
        raise SystemExit("the join task failed (status %d)" % status)
    restore = marks["restore"]
    phases = {
        "start": [marks["began"] - t0, None],
        "records": marks["records"],
        "inputs": [restore[0] - marks["records"][0], restore[1] - marks["records"][1]],
        "step": marks["step"],
        "persist": [marks["store"][0] + marks["finish"][0], marks["store"][1] + marks["finish"][1]],
        "exit": [t0 + wall - marks["returned"], None],
    }
    known = sum(v[0] for v in phases.values())
    phases["other"] = [wall - known, None]
    return {"task_s": wall, "task_cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_mb": usage.ru_maxrss / 1024, "phases": phases}


def main():
    folder, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    path = os.path.join(folder, "flow.py")
    with open(path, "w") as f:
        f.write(FLOW.replace("BODY", BODIES[mode]))
    root = os.path.join(folder, ".metaflow")
    os.environ.update(FLOWLENS_DATASTORE="local", FLOWLENS_DATASTORE_ROOT=root)
    module = load_flow_module(path)
    ds = FlowDatastore(LocalStorage(root), "JoinBench")
    inputs = make_inputs(module, path, ds, n)
    runs = []
    for task_id, attempts in ((n + 2, [0] * n), (n + 3, None)):
        extra = {"inputAttempts": attempts} if attempts else {}
        figures = run_join(module, spec(path, "join", str(task_id), inputs, **extra))
        figures["step_s"] = ds.load_object(ds.read_task("1/join/%d" % task_id).objects["bench_step_s"])
        figures["attempts_known"] = attempts is not None
        figures["load"] = os.getloadavg()[0]
        runs.append(figures)
    print(json.dumps(runs))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
