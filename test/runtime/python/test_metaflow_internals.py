"""What Metaflow's own tests and libraries read from a flow beyond the public API: the graph
(`iter(flow)`, `_graph`, `_steps`), foreach frames with names, `_current_step`, exception type
names, and @catch's fallback attempt after a process that kept dying."""

from helpers import graph

BRANCHY = '''
import time
from metaflow import FlowSpec, step, catch, retry, timeout

class G(FlowSpec):
    @step
    def start(self):
        self.letters = ["x", "y"]
        self.seen_step = self._current_step
        self.next(self.each, foreach="letters")

    @step
    def each(self):
        frame = self._foreach_stack[-1]
        self.frame = (frame.step, frame.var, frame.num_splits, frame.index, frame.value)
        self.next(self.gather)

    @step
    def gather(self, inputs):
        self.frames = [i.frame for i in inputs]
        self.next(self.fork)

    @step
    def fork(self):
        self.next(self.left, self.right)

    @step
    def left(self):
        self.next(self.meet)

    @catch(var="problem", print_exception=False)
    @retry(times=1)
    @step
    def right(self):
        from metaflow.exception import ExternalCommandFailed
        raise ExternalCommandFailed("tool exited 3")
        self.next(self.meet)

    @step
    def meet(self, inputs):
        self.next(self.end)

    @catch(var="slow_problem", print_exception=False)
    @timeout(seconds=1)
    @step
    def end(self):
        time.sleep(5)
'''

BRANCHY_GRAPH = graph(
    start=("split-foreach", ["each"], {"foreach_artifact": "letters", "matching_join": "gather"}),
    each=("linear", ["gather"]),
    gather=("join", ["fork"]),
    fork=("split-static", ["left", "right"], {"matching_join": "meet"}),
    left=("linear", ["meet"]),
    right=("linear", ["meet"]),
    meet=("join", ["end"]),
    end=("end", []),
)


def test_iterating_a_flow_yields_its_steps_and_the_graph_has_metaflow_types(runner_for):
    r = runner_for(BRANCHY, "G", BRANCHY_GRAPH)
    cls = r.module.G
    flow = cls.__new__(cls)
    assert sorted(s.name for s in flow) == ["each", "end", "fork", "gather", "left", "meet", "right", "start"]
    assert [s.__name__ for s in cls._steps] == sorted(s.name for s in flow)
    g = cls._graph
    types = {n.name: n.type for n in g}
    assert types == {"start": "foreach", "each": "linear", "gather": "join", "fork": "split", "left": "linear",
                     "right": "linear", "meet": "join", "end": "end"}
    assert g["meet"].in_funcs == ["left", "right"] and g["fork"].out_funcs == ["left", "right"]
    assert g["start"].matching_join == "gather" and g["fork"].matching_join == "meet"
    assert g["each"].is_inside_foreach and not g["fork"].is_inside_foreach
    assert g["start"].foreach_param == "letters"


def test_foreach_frames_have_names_and_current_step_is_set_while_the_step_runs(runner_for):
    r = runner_for(BRANCHY, "G", BRANCHY_GRAPH)
    p = r.params()
    res, start = r.run("start", [p])
    assert res["ok"], res
    assert r.artifacts(start)["seen_step"] == "start"
    frames = []
    for i in range(2):
        res, each = r.run("each", [start], splitIndex=i)
        assert res["ok"], res
        frames.append(r.artifacts(each)["frame"])
    assert frames == [("start", "letters", 2, 0, "x"), ("start", "letters", 2, 1, "y")]
    stack = r.artifacts(each)["_foreach_stack"]
    assert type(stack[-1]).__module__ == "metaflow.tuple_util" and stack[-1].index == 1


def test_caught_exceptions_carry_metaflows_module_names(runner_for):
    r = runner_for(BRANCHY, "G", BRANCHY_GRAPH)
    p = r.params()
    _, start = r.run("start", [p])
    res, right = r.run("right", [start], retryCount=1)
    assert res["ok"] and res["caught"]
    assert r.artifacts(right)["problem"].type == "metaflow.exception.ExternalCommandFailed"
    res, end = r.run("end", [right])
    assert res["ok"] and res["caught"]
    assert r.artifacts(end)["slow_problem"].type == "metaflow.plugins.timeout_decorator.TimeoutException"


def test_catch_fallback_attempt_records_the_failure_without_running_the_step(runner_for):
    # Attempts 0 and 1 (@retry(times=1)) died without raising; attempt 2 is @catch's fallback.
    src = BRANCHY.replace('raise ExternalCommandFailed("tool exited 3")', 'self.ran = True')
    r = runner_for(src, "G", BRANCHY_GRAPH)
    p = r.params()
    _, start = r.run("start", [p])
    res, right = r.run("right", [start], retryCount=2, attempt=2)
    assert res["ok"] and res["caught"]["headline"].startswith("FailureHandledByCatch: Task execution kept failing over 2 attempts")
    a = r.artifacts(right)
    assert "ran" not in a, "the fallback attempt does not run the step"
    assert a["problem"].type == "metaflow.plugins.catch_decorator.FailureHandledByCatch"
    res, ok_right = r.run("right", [start], retryCount=0)
    assert res["ok"] and "caught" not in res
    assert r.artifacts(ok_right)["problem"] is None, "a step that succeeds has nothing caught, as in Metaflow"
