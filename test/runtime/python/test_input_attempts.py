"""A task reads the attempts of its inputs that its spec names (`inputAttempts`, from the
scheduler that saw them succeed) without listing their folders; a named attempt must still be
finished and whole, or the task fails before its step, naming the input."""

import json
import os
import pickle

from helpers import graph

FLOW = '''
import os
from metaflow import FlowSpec, step

class W(FlowSpec):
    @step
    def start(self):
        self.items = list(range(4))
        self.next(self.work, foreach="items")

    @step
    def work(self):
        self.out = self.input * 2
        self.next(self.join)

    @step
    def join(self, inputs):
        with open(os.environ["JOIN_MARK"], "w") as f:
            f.write("ran")
        self.outs = [i.out for i in inputs]
        self.next(self.end)

    @step
    def end(self):
        pass
'''
GRAPH = graph(
    start=("split-foreach", ["work"], {"foreach_artifact": "items", "matching_join": "join"}), work=("linear", ["join"]),
    join=("join", ["end"]), end=("end", []),
)


def _works(runner_for, tmp_path, monkeypatch):
    """(runner, the four work tasks' paths, the file the join's step writes when it runs)."""
    mark = str(tmp_path / "join-ran")
    monkeypatch.setenv("JOIN_MARK", mark)
    r = runner_for(FLOW, "W", GRAPH)
    res, start = r.run("start", [r.params()])
    assert res["ok"], res
    works = []
    for i in range(4):
        res, path = r.run("work", [start], splitIndex=i, splitCount=4)
        assert res["ok"], res
        works.append(path)
    return r, works, mark


def _later_attempt(r, path, out):
    """Writes a finished attempt 1 of `path` whose `out` is `out` (a stray later attempt in its folder)."""
    run_id, step, task_id = path.split("/")
    first = r.ds.read_task(path)
    objects = dict(first.objects)
    objects["out"], _ = r.ds.save_pickled(pickle.dumps(out, protocol=4))
    r.ds.write_data(run_id, step, task_id, 1, objects, first.info)
    r.ds.write_done(run_id, step, task_id, 1)


def test_a_join_reads_the_attempts_its_spec_names_even_when_a_later_one_finished(runner_for, tmp_path, monkeypatch):
    r, works, _ = _works(runner_for, tmp_path, monkeypatch)
    _later_attempt(r, works[2], 999)
    res, join = r.run("join", works, inputAttempts=[0, 0, 0, 0])
    assert res["ok"], res
    assert r.artifacts(join)["outs"] == [0, 2, 4, 6]
    # Where the spec does not know an input's attempt (none, or None for it), the input is its
    # highest finished attempt, as Metaflow reads it.
    for attempts in (None, [0, 0, None]):
        res, join = r.run("join", works, **({"inputAttempts": attempts} if attempts else {}))
        assert res["ok"], res
        assert r.artifacts(join)["outs"] == [0, 2, 999, 6]


def test_a_named_attempt_that_did_not_finish_fails_the_join_before_its_step(runner_for, tmp_path, monkeypatch):
    r, works, mark = _works(runner_for, tmp_path, monkeypatch)
    os.remove(r.task_file(works[3], "0.DONE.lock"))
    res, _ = r.run("join", works, inputAttempts=[0, 0, 0, 0])
    assert res["failure"]["headline"].startswith("MetaflowDataMissing: Task W/%s has no finished attempt 0 " % works[3]), res["failure"]
    assert not os.path.exists(mark), "the step ran although an input was missing"


def test_a_spec_attempt_that_is_not_a_number_is_refused(runner_for, tmp_path, monkeypatch):
    r, works, mark = _works(runner_for, tmp_path, monkeypatch)
    res, _ = r.run("join", works, inputAttempts=[0, "1", 0, 0])
    assert res["failure"]["headline"] == "MetaflowException: The task spec's inputAttempts holds '1', not an attempt number"
    assert not os.path.exists(mark)


def test_a_cut_off_record_fails_the_join_before_its_step_and_names_the_input(runner_for, tmp_path, monkeypatch):
    r, works, mark = _works(runner_for, tmp_path, monkeypatch)
    path = r.task_file(works[1], "0.data.json")
    with open(path, "rb") as f:
        body = f.read()
    with open(path, "wb") as f:
        f.write(body[: len(body) - 40])
    for attempts in ([0, 0, 0, 0], None):
        res, _ = r.run("join", works, **({"inputAttempts": attempts} if attempts else {}))
        assert res["failure"]["headline"].startswith("MetaflowDataMissing: Task W/%s attempt 0 has a damaged data.json" % works[1]), res["failure"]
        assert not os.path.exists(mark)


def test_damage_inside_a_records_info_is_named_when_the_info_is_read(runner_for, tmp_path, monkeypatch):
    # The table of shas is checked before the step; sizes and types are read for the artifacts
    # the join stores unchanged (from its first input), and damage there fails the task too.
    r, works, _ = _works(runner_for, tmp_path, monkeypatch)
    path = r.task_file(works[0], "0.data.json")
    with open(path) as f:
        doc = json.load(f)
    text = json.dumps(doc, separators=(",", ":"))
    head, info = text.split(',"info":', 1)
    with open(path, "w") as f:
        f.write(head + ',"info":' + info.replace('"size":', '"size":,', 1))
    res, _ = r.run("join", works, inputAttempts=[0, 0, 0, 0])
    assert res["failure"]["headline"].startswith("MetaflowDataMissing: Task W/%s attempt 0 has a damaged data.json" % works[0]), res["failure"]


def test_records_of_another_writer_are_read_whole(runner_for, tmp_path, monkeypatch):
    # Metaflow's own writer spaces its JSON; another may order the keys otherwise, or add some.
    r, works, _ = _works(runner_for, tmp_path, monkeypatch)
    for i, path in enumerate(works):
        name = r.task_file(path, "0.data.json")
        with open(name) as f:
            doc = json.load(f)
        with open(name, "w") as f:
            if i % 2:
                json.dump(dict(doc, written_by="another"), f, separators=(",", ":"))
            else:
                json.dump({"info": doc["info"], "objects": doc["objects"], "attempt": 0}, f, indent=1)
    res, join = r.run("join", works, inputAttempts=[0, 0, 0, 0])
    assert res["ok"], res
    assert r.artifacts(join)["outs"] == [0, 2, 4, 6]
    assert [r.ds.read_task(path).info["out"]["type"] for path in works] == ["<class 'int'>"] * 4
