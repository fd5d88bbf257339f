"""Metaflow's API semantics as a flow sees them: artifacts, parameters, foreach, joins, switch, decorators."""

import os
import subprocess
import sys

import pytest

from conftest import RUNTIME_PYTHON
from helpers import graph

FOREACH = '''
from metaflow import FlowSpec, Parameter, JSONType, current, step

class F(FlowSpec):
    n = Parameter("n", default=2, help="outer")
    cfg = Parameter("cfg", type=JSONType, default='{"k": 1}')
    flag = Parameter("flag", default=False)
    label = Parameter("label-name", default="x")

    @step
    def start(self):
        self.outer = ["a", "b"][: self.n]
        self.seen = (self.n, self.cfg, self.flag)
        self.ctx = (current.flow_name, current.run_id, current.step_name, current.task_id, current.pathspec,
                    current.username, sorted(current.tags), current.is_running_flow, current.retry_count)
        self.next(self.mid, foreach="outer")

    @step
    def mid(self):
        self.inner = [1, 2, 3]
        self.next(self.leaf, foreach="inner")

    @step
    def leaf(self):
        self.stack = self.foreach_stack()
        self.pair = (self.input, self.index)
        self.next(self.inner_join)

    @step
    def inner_join(self, inputs):
        self.pairs = [i.pair for i in inputs]
        self.after_inner = (self.input, self.index, self.foreach_stack())
        self.next(self.outer_join)

    @step
    def outer_join(self, inputs):
        self.all = [i.pairs for i in inputs]
        self.by_step = inputs.inner_join.pairs
        self.count = len(inputs)
        self.first = inputs[0].after_inner
        self.next(self.end)

    @step
    def end(self):
        self.params_seen = (self.n, self.cfg, self.flag)
'''

FOREACH_GRAPH = graph(
    start=("split-foreach", ["mid"], {"foreach_artifact": "outer", "matching_join": "outer_join"}),
    mid=("split-foreach", ["leaf"], {"foreach_artifact": "inner", "matching_join": "inner_join"}),
    leaf=("linear", ["inner_join"]),
    inner_join=("join", ["outer_join"]),
    outer_join=("join", ["end"]),
    end=("end", []),
)


def test_nested_foreach_input_index_stack_and_joins(runner_for):
    r = runner_for(FOREACH, "F", FOREACH_GRAPH)
    params = r.params(n="2", flag="true")
    res, start = r.run("start", [params])
    assert res["ok"], res
    assert res["transition"] == {"next": ["mid"], "foreachCount": 2}
    a = r.artifacts(start)
    assert a["seen"] == (2, {"k": 1}, True)
    assert a["ctx"] == ("F", "1", "start", "1", "F/1/start/1", "tester", ["t1"], True, 0)
    assert a["_foreach_num_splits"] == 2
    outer_joins = []
    for i in range(2):
        res, mid = r.run("mid", [start], splitIndex=i)
        assert res["transition"]["foreachCount"] == 3
        leaves = []
        for j in range(3):
            res, leaf = r.run("leaf", [mid], splitIndex=j)
            assert res["ok"], res
            la = r.artifacts(leaf)
            assert la["stack"] == [(i, 2, ["a", "b"][i]), (j, 3, j + 1)]
            assert la["pair"] == (j + 1, j)
            assert (la["input"], la["index"]) == (j + 1, j)
            leaves.append(leaf)
        res, ij = r.run("inner_join", leaves)
        assert res["ok"], res
        ja = r.artifacts(ij)
        assert ja["pairs"] == [(1, 0), (2, 1), (3, 2)]
        # After the inner join, input/index are the outer foreach's again.
        assert ja["after_inner"] == (["a", "b"][i], i, [(i, 2, ["a", "b"][i])])
        outer_joins.append(ij)
    res, oj = r.run("outer_join", outer_joins)
    assert res["ok"], res
    oa = r.artifacts(oj)
    assert oa["count"] == 2 and oa["all"] == [[(1, 0), (2, 1), (3, 2)]] * 2
    assert oa["_foreach_stack"] == []
    res, end = r.run("end", [oj])
    assert res["ok"] and "transition" not in res, res
    assert r.artifacts(end)["params_seen"] == (2, {"k": 1}, True)


def test_parameter_types_defaults_required_and_errors(runner_for):
    src = '''
from metaflow import FlowSpec, Parameter, IncludeFile, step

class P(FlowSpec):
    i = Parameter("i", default=1)
    f = Parameter("f", type=float, default=0.5)
    s = Parameter("s", help="no default")
    req = Parameter("req", required=True, type=int)
    data = IncludeFile("data", default="data.txt")
    fn = Parameter("fn", default=lambda ctx: "from-" + ctx.parameter_name)

    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    r = runner_for(src, "P")
    with open("data.txt", "w") as f:
        f.write("hello file")
    res, path = r.run("_parameters", [], parameters={"req": "7", "i": "3"})
    assert res["ok"], res
    a = r.artifacts(path)
    assert (a["i"], a["f"], a["s"], a["req"], a["data"], a["fn"]) == (3, 0.5, None, 7, "hello file", "from-fn")
    assert a["name"] == "P"
    res, _ = r.run("_parameters", [], parameters={})
    assert not res["ok"] and res["failure"]["headline"] == "ParameterError: Missing value for required parameter --req"
    res, _ = r.run("_parameters", [], parameters={"req": "x"})
    assert res["failure"]["headline"] == "ParameterError: Invalid value for parameter --req: 'x' is not a valid int"
    res, _ = r.run("_parameters", [], parameters={"req": "1", "nope": "1"})
    assert "Unknown parameter --nope" in res["failure"]["headline"]


def test_parameters_are_read_only(runner_for):
    src = '''
from metaflow import FlowSpec, Parameter, step

class R(FlowSpec):
    a = Parameter("a", default=1)

    @step
    def start(self):
        self.a = 2
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    r = runner_for(src, "R")
    res, _ = r.run("start", [r.params()])
    assert not res["ok"]
    assert "Parameter *a* is read-only" in res["failure"]["headline"]


MERGE = '''
from metaflow import FlowSpec, step

class M(FlowSpec):
    @step
    def start(self):
        self.same = 1
        self.next(self.a, self.b)

    @step
    def a(self):
        self.x = "a"
        self.only_a = True
        self.next(self.join)

    @step
    def b(self):
        self.x = "b"
        self.next(self.join)

    @step
    def join(self, inputs):
        MODE
        self.next(self.end)

    @step
    def end(self):
        pass
'''
MERGE_GRAPH = graph(
    start=("split-static", ["a", "b"], {"matching_join": "join"}), a=("linear", ["join"]), b=("linear", ["join"]),
    join=("join", ["end"]), end=("end", []),
)


def _merge(runner_for, mode):
    r = runner_for(MERGE.replace("MODE", mode), "M", MERGE_GRAPH)
    _, start = r.run("start", [r.params()])
    _, a = r.run("a", [start])
    _, b = r.run("b", [start])
    res, join = r.run("join", [a, b])
    return r, res, join


def test_merge_artifacts_conflict_names_them(runner_for):
    _, res, _ = _merge(runner_for, "self.merge_artifacts(inputs)")
    assert not res["ok"]
    assert res["failure"]["headline"] == "UnhandledInMergeArtifactsException: Step *join* cannot merge the following artifacts due to them having conflicting values:"
    assert "[x]." in res["failure"]["traceback"]


def test_merge_artifacts_resolved_by_setting_or_excluding(runner_for):
    r, res, join = _merge(runner_for, "self.x = 'mine'; self.merge_artifacts(inputs)")
    assert res["ok"], res
    a = r.artifacts(join)
    assert (a["x"], a["same"], a["only_a"]) == ("mine", 1, True)
    r, res, join = _merge(runner_for, "self.merge_artifacts(inputs, exclude=['x'])")
    assert res["ok"] and "x" not in r.artifacts(join)


def test_merge_artifacts_include_missing_and_both_lists(runner_for):
    _, res, _ = _merge(runner_for, "self.merge_artifacts(inputs, include=['same', 'ghost'])")
    assert res["failure"]["headline"].startswith("MissingInMergeArtifactsException: Step *join* specifies that [same, ghost] should be merged but [ghost] are not present.")
    _, res, _ = _merge(runner_for, "self.merge_artifacts(inputs, include=['same'], exclude=['x'])")
    assert res["failure"]["headline"] == "MetaflowException: `exclude` and `include` are mutually exclusive in merge_artifacts"
    r, res, join = _merge(runner_for, "self.merge_artifacts(inputs, include=['same'])")
    assert res["ok"] and r.artifacts(join)["same"] == 1 and "x" not in r.artifacts(join)


def test_merge_artifacts_outside_a_join(runner_for):
    src = MERGE.replace("MODE", "pass").replace("self.x = \"a\"", "self.merge_artifacts([])")
    r = runner_for(src, "M", MERGE_GRAPH)
    _, start = r.run("start", [r.params()])
    res, _ = r.run("a", [start])
    assert res["failure"]["headline"] == "MetaflowException: merge_artifacts can only be called in a join and step *a* is not a join"


def test_inputs_by_step_index_and_read_only(runner_for):
    r, res, join = _merge(runner_for, "self.v = (inputs.a.x, inputs[1].x, [i.x for i in inputs], len(inputs)); inputs.a.x = 3")
    assert not res["ok"] and "read-only" in res["failure"]["headline"]
    r, res, join = _merge(runner_for, "self.v = (inputs.a.x, inputs[1].x, [i.x for i in inputs], len(inputs))")
    assert r.artifacts(join)["v"] == ("a", "b", ["a", "b"], 2)


def test_switch_picks_the_case_of_the_condition(runner_for):
    src = '''
from metaflow import FlowSpec, step

class S(FlowSpec):
    @step
    def start(self):
        self.mode = "fast"
        self.next({"fast": self.quick, "slow": self.careful}, condition="mode")

    @step
    def quick(self):
        self.next(self.end)

    @step
    def careful(self):
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    g = graph(start=("split-switch", ["quick", "careful"], {"condition": "mode", "switch_cases": {"fast": "quick", "slow": "careful"}}),
              quick=("linear", ["end"]), careful=("linear", ["end"]), end=("end", []))
    r = runner_for(src, "S", g)
    res, start = r.run("start", [r.params()])
    assert res["transition"] == {"next": ["quick"], "switchValue": "fast"}
    assert r.artifacts(start)["_transition"] == [["quick"], None]


def test_next_errors(runner_for):
    src = '''
from metaflow import FlowSpec, step

class N(FlowSpec):
    @step
    def start(self):
        self.empty = []
        MODE

    @step
    def end(self):
        pass
'''
    cases = {
        "self.next(self.end); self.next(self.end)": "Multiple self.next() calls detected in step *start*. Call self.next() only once.",
        "self.next(self.end, foreach='empty')": "Foreach iterator over *empty* in step *start* produced zero splits. Check your variable.",
        "self.next(self.end, foreach='ghost')": "Foreach variable *self.ghost* in step *start* does not exist. Check your variable.",
        "self.next(self.end, bogus=1)": "Step *start* passes an unknown keyword argument 'bogus' to self.next().",
        "pass": "Step *start* did not call self.next(): every step but the end step must end with self.next(...).",
    }
    for code, message in cases.items():
        r = runner_for(src.replace("MODE", code), "N", graph(start=("start", ["end"]), end=("end", [])))
        res, _ = r.run("start", [r.params()])
        assert not res["ok"], code
        assert res["failure"]["headline"] == "InvalidNextException: " + message, res["failure"]["headline"]
        assert res["failure"]["location"].startswith(r.file + ":")


def test_catch_retry_environment_and_timeout(runner_for):
    src = '''
import os, time
from metaflow import FlowSpec, step, catch, retry, environment, timeout

class D(FlowSpec):
    @catch(var="err", print_exception=False)
    @retry(times=1)
    @step
    def start(self):
        self.partial = 1
        raise ValueError("bad input")
        self.next(self.end)

    @environment(vars={"GREETING": "hi"})
    @step
    def env(self):
        self.greeting = os.environ["GREETING"]
        self.next(self.end)

    @timeout(seconds=1)
    @step
    def slow(self):
        time.sleep(5)
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    g = graph(start=("start", ["end"]), env=("linear", ["end"]), slow=("linear", ["end"]), end=("end", []))
    r = runner_for(src, "D", g)
    p = r.params()
    res, _ = r.run("start", [p], retryCount=0)
    assert not res["ok"] and res["failure"]["headline"] == "ValueError: bad input"  # a retry follows: not caught yet
    res, start = r.run("start", [p], retryCount=1)
    assert res["ok"] and res["caught"]["headline"] == "ValueError: bad input" and res["transition"] == {"next": ["end"]}
    a = r.artifacts(start)
    assert a["err"].exception == "bad input" and a["err"].type == "builtins.ValueError" and a["partial"] == 1
    res, env = r.run("env", [start])
    assert r.artifacts(env)["greeting"] == "hi"
    res, _ = r.run("slow", [start])
    assert res["failure"]["kind"] == "timeout"
    assert res["failure"]["headline"] == "TimeoutException: Step *slow* timed out after 1 seconds (@timeout)."


def test_unsupported_decorator_fails_naming_it(runner_for):
    src = '''
from metaflow import FlowSpec, step, conda

class K(FlowSpec):
    @conda(python="3.11")
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    r = runner_for(src, "K")
    res, _ = r.run("start", [r.params()])
    assert not res["ok"]
    assert res["failure"]["headline"].startswith("FlowlensUnsupported: @conda (on step *start*) is not supported by Flowlens")


def test_decorator_below_step_is_an_error(runner_for):
    src = '''
from metaflow import FlowSpec, step, retry

class B(FlowSpec):
    @step
    @retry
    def start(self):
        self.next(self.end)
'''
    with pytest.raises(Exception) as info:
        runner_for(src, "B")
    assert "put @retry above @step" in str(info.value)


def test_running_the_file_directly_hands_its_options_to_the_runtime(tmp_path):
    # `python flow.py run ...` runs under Flowlens; the runtime checks the options as `flowlens run` does.
    flow = tmp_path / "hello.py"
    flow.write_text("from metaflow import FlowSpec, step\nclass H(FlowSpec):\n    @step\n    def start(self):\n        self.next(self.end)\n    @step\n    def end(self):\n        pass\nif __name__ == '__main__':\n    H()\n")
    env = dict(os.environ, PYTHONPATH=RUNTIME_PYTHON)
    out = subprocess.run([sys.executable, str(flow), "run", "--alpha", "3"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stderr.strip() == "flowlens: unknown option --alpha (this flow has no parameters)"


def test_metaflow_alias_exports_the_api():
    import flowlens
    import metaflow
    from metaflow.exception import MetaflowException

    for name in ["FlowSpec", "step", "Parameter", "IncludeFile", "JSONType", "current", "retry", "catch", "timeout",
                 "resources", "environment", "batch", "parallel", "card", "kubernetes", "project"]:
        assert getattr(metaflow, name) is getattr(flowlens, name), name
    assert MetaflowException is flowlens.MetaflowException


def test_parallel_split_gives_each_node_its_index(runner_for):
    src = '''
from metaflow import FlowSpec, current, parallel, step

class Par(FlowSpec):
    @step
    def start(self):
        self.next(self.train, num_parallel=3)

    @parallel
    @step
    def train(self):
        self.node = (current.parallel.node_index, current.parallel.num_nodes, self.input)
        self.next(self.join)

    @step
    def join(self, inputs):
        self.nodes = sorted(i.node for i in inputs)
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    g = graph(start=("split-parallel", ["train"], {"matching_join": "join"}), train=("linear", ["join"]), join=("join", ["end"]), end=("end", []))
    r = runner_for(src, "Par", g)
    res, start = r.run("start", [r.params()])
    assert res["transition"] == {"next": ["train"], "foreachCount": 3}
    nodes = []
    for i in range(3):
        res, node = r.run("train", [start], splitIndex=i)
        assert res["ok"], res
        nodes.append(node)
    res, join = r.run("join", nodes)
    assert r.artifacts(join)["nodes"] == [(0, 3, 0), (1, 3, 1), (2, 3, 2)]


def test_an_unpicklable_artifact_fails_the_task_naming_it(runner_for):
    src = '''
import threading
from metaflow import FlowSpec, step

class U(FlowSpec):
    @step
    def start(self):
        self.ok_value = 1
        self.lock = threading.Lock()
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    r = runner_for(src, "U")
    res, path = r.run("start", [r.params()])
    assert not res["ok"]
    assert res["failure"]["headline"].startswith("UnpicklableArtifactException: Cannot pickle artifact *lock* of type lock in step *start*")
    a = r.artifacts(path)
    assert a["_task_ok"] is False and a["ok_value"] == 1 and "lock" not in a


def test_batch_step_run_locally_says_so(runner_for, monkeypatch, capfd):
    src = '''
from metaflow import FlowSpec, batch, resources, step

class B(FlowSpec):
    @batch(cpu=2, queue="q")
    @resources(memory=1024)
    @step
    def start(self):
        self.next(self.end)

    @step
    def end(self):
        pass
'''
    monkeypatch.setenv("FLOWLENS_EXECUTOR", "local")
    r = runner_for(src, "B")
    res, _ = r.run("start", [r.params()], originRunId="7")
    assert res["ok"], res
    assert "step start has @batch but this run executes it locally" in capfd.readouterr().err
    start = r.module.B.start
    assert [d.name for d in start.decorators] == ["batch", "resources"]
    assert start.decorators[0].attributes == {"cpu": 2, "queue": "q"}
    assert start.decorators[1].attributes["memory"] == 1024 and start.decorators[1].attributes["cpu"] == 1
