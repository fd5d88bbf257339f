"""Runs tasks of a flow in this process, the way the worker's child does, and reads what they wrote."""

import json
import os
import textwrap

from flowlens._datastore import FlowDatastore
from flowlens._flowload import load_flow_module
from flowlens._harness import run_task
from flowlens._storage import LocalStorage


class Runner(object):
    def __init__(self, tmp_path, root, source, flow_name, graph=None):
        self.root = str(root)
        self.flow_name = flow_name
        self.file = str(tmp_path / "flow.py")
        with open(self.file, "w") as f:
            f.write(textwrap.dedent(source))
        self.module = load_flow_module(self.file)
        self.graph = graph
        self.next_task = 1
        self.ds = FlowDatastore(LocalStorage(self.root), flow_name)

    def spec(self, step, inputs, run_id="1", **extra):
        task_id = "0" if step == "_parameters" else str(self.next_task)
        if step != "_parameters":
            self.next_task += 1
        spec = {
            "ref": {"flow": self.flow_name, "runId": run_id, "step": step, "taskId": task_id, "attempt": extra.pop("attempt", 0)},
            "flowFile": self.file, "flowName": self.flow_name, "inputPaths": list(inputs), "retryCount": 0,
            "decorators": [], "env": {}, "pathspec": "%s/%s/%s/%s" % (self.flow_name, run_id, step, task_id),
            "user": "tester", "tags": ["t1"],
        }
        if self.graph is not None:
            spec["graph"] = self.graph
        spec.update(extra)
        return spec

    def run(self, step, inputs=(), **extra):
        """Runs one task; returns (result, "run/step/task")."""
        spec = self.spec(step, inputs, **extra)
        emitted = []
        result = run_task(spec, self.module, emitted.append, write_done=True)
        result["emitted"] = emitted
        ref = spec["ref"]
        return result, "%s/%s/%s" % (ref["runId"], ref["step"], ref["taskId"])

    def params(self, **values):
        result, path = self.run("_parameters", (), parameters=values)
        assert result["ok"], result
        return path

    def artifacts(self, path):
        data = self.ds.read_task(path)
        return {name: self.ds.load_object(sha) for name, sha in data.objects.items()}

    def task_file(self, path, name):
        return os.path.join(self.root, self.flow_name, *path.split("/"), name)

    def json(self, path, name):
        with open(self.task_file(path, name)) as f:
            return json.load(f)


def graph(**steps):
    """graph(start=("split-foreach", ["a"], {"foreach_artifact": "xs"}), ...) -> a `_graph_info` dict."""
    out = {}
    for name, spec in steps.items():
        node_type, nxt = spec[0], spec[1]
        node = {"name": name, "type": node_type, "next": nxt, "line": 1, "doc": "", "decorators": []}
        if len(spec) > 2:
            node.update(spec[2])
        out[name] = node
    return {"file": "flow.py", "parameters": [], "constants": [], "steps": out, "graph_structure": [], "doc": "", "decorators": [], "extensions": {}}
