"""The Metaflow-compatible API on the steps of a flow: switches and self.next errors,
decorators (@catch, @retry, @environment, @timeout, @parallel, @batch run locally, unsupported or
misplaced ones), and artifacts that cannot be pickled. The flow-level API is test_api.py."""
import pytest

from helpers import graph

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
