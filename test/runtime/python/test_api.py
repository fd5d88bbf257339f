"""Metaflow's API semantics as a flow sees them: artifacts, parameters, foreach, joins, merges,
inputs. Switches, self.next and decorators: test_api_steps.py; entering a flow file:
test_api_entry.py."""

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
