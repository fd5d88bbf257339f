"""The harness's task state stays out of the flow object: a step sees in `vars(self)` and
`dir(self)` only what it, its parents and Metaflow's API put there, and a task stores exactly
its artifacts (inherited, set, merged, and Metaflow's internal ones)."""

from helpers import graph

FLOW = '''
from metaflow import FlowSpec, Parameter, catch, step

def harness_names(obj):
    return sorted(n for n in set(dir(obj)) | set(vars(obj)) if n.startswith("_fl_"))

class S(FlowSpec):
    n = Parameter("n", default=2)
    limit = 3

    @step
    def start(self):
        self.items = list(range(self.n))
        self.shared = "same"
        self.vars_start = sorted(vars(self))
        self.hidden = harness_names(self) + harness_names(type(self))
        self.next(self.body, foreach="items")

    @step
    def body(self):
        self.square = self.input * self.input
        self.where = (self.index, self.input, self.foreach_stack()[-1][:2], self.n, self.limit)
        self.hidden = harness_names(self)
        self.vars_body = sorted(vars(self))
        self.next(self.join)

    @step
    def join(self, inputs):
        self.squares = sorted(i.square for i in inputs)
        self.input_hidden = [harness_names(i) for i in inputs]
        self.input_vars = sorted(vars(inputs[0]))
        self.merge_artifacts(inputs, exclude=["square", "where", "vars_body", "hidden"])
        self.hidden = harness_names(self)
        self.vars_join = sorted(vars(self))
        self.next(self.end)

    @catch(var="caught")
    @step
    def end(self):
        self.hidden = harness_names(self)
        self.vars_end = sorted(vars(self))
        raise ValueError("caught by @catch")
'''

GRAPH = graph(
    start=("split-foreach", ["body"], {"foreach_artifact": "items", "matching_join": "join"}),
    body=("linear", ["join"]),
    join=("join", ["end"]),
    end=("end", [], {"decorators": [{"name": "catch", "attributes": {"var": "caught"}}]}),
)

INTERNAL = {"_current_step", "_foreach_stack", "_graph_info", "_task_ok", "_success", "name"}


def test_no_harness_names_on_the_flow_object_and_artifacts_unchanged(runner_for):
    r = runner_for(FLOW, "S", GRAPH)
    params = r.params()
    res, start = r.run("start", [params])
    assert res["ok"], res
    a = r.artifacts(start)
    assert a["hidden"] == []
    # Only what the step set (and the foreach stack the harness gives every task), as under Metaflow.
    assert a["vars_start"] == ["_current_step", "_foreach_stack", "items", "shared"]
    assert set(a) == INTERNAL | {"n", "limit", "items", "shared", "vars_start", "hidden", "_transition", "_foreach_num_splits"}

    bodies = []
    for i in range(2):
        res, body = r.run("body", [start], splitIndex=i)
        assert res["ok"], res
        b = r.artifacts(body)
        assert b["hidden"] == []
        assert b["where"] == (i, i, (i, 2), 2, 3)
        assert b["vars_body"] == ["_current_step", "_foreach_stack", "hidden", "square", "where"]
        assert set(b) == INTERNAL | {"n", "limit", "items", "shared", "vars_start", "hidden", "square", "where", "vars_body", "_transition", "input", "index"}
        bodies.append(body)

    res, join = r.run("join", bodies)
    assert res["ok"], res
    j = r.artifacts(join)
    assert j["hidden"] == [] and j["input_hidden"] == [[], []]
    assert j["squares"] == [0, 1]
    # An input of a join shows the artifacts it read, nothing else.
    assert j["input_vars"] == []
    assert j["vars_join"] == ["_current_step", "_foreach_stack", "hidden", "input_hidden", "input_vars", "squares"]
    assert j["shared"] == "same" and j["items"] == [0, 1]
    assert set(j) == INTERNAL | {"n", "limit", "items", "shared", "vars_start", "squares", "input_hidden", "input_vars", "hidden", "vars_join", "_transition"}

    res, end = r.run("end", [join])
    assert res["ok"] and res.get("caught"), res
    e = r.artifacts(end)
    assert e["hidden"] == []
    assert e["vars_end"] == ["_current_step", "hidden"]
    assert type(e["caught"]).__name__ == "MetaflowExceptionWrapper"
    assert set(e) == set(j) | {"vars_end", "caught"}
