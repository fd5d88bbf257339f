"""A join over many inputs: each input reads its own artifacts, `inputs` keeps Metaflow's shape,
and every input's record is read before the step runs (so a missing one fails the task first)."""

import os

import pytest

from flowlens._datastore import FlowDatastore
from flowlens._inputindex import read_records
from flowlens._storage import LocalStorage
from flowlens.exceptions import MetaflowDataMissing
from helpers import graph

WIDE = '''
import os
from metaflow import FlowSpec, step

class W(FlowSpec):
    @step
    def start(self):
        self.items = list(range(N))
        self.next(self.work, foreach="items")

    @step
    def work(self):
        self.out = self.input * 2
        self.same = "every branch"
        self.next(self.join)

    @step
    def join(self, inputs):
        with open(os.environ["JOIN_MARK"], "w") as f:
            f.write("ran")
        MODE
        self.next(self.end)

    @step
    def end(self):
        pass
'''
WIDE_GRAPH = graph(
    start=("split-foreach", ["work"], {"foreach_artifact": "items", "matching_join": "join"}), work=("linear", ["join"]),
    join=("join", ["end"]), end=("end", []),
)
N = 40


def _wide(runner_for, tmp_path, monkeypatch, mode):
    """Runs start and its N foreach tasks; returns (runner, the work tasks' paths, the mark file)."""
    mark = str(tmp_path / "join-ran")
    monkeypatch.setenv("JOIN_MARK", mark)
    r = runner_for(WIDE.replace("N)", "%d)" % N).replace("MODE", mode), "W", WIDE_GRAPH)
    res, start = r.run("start", [r.params()])
    assert res["ok"], res
    works = []
    for i in range(N):
        res, path = r.run("work", [start], splitIndex=i, splitCount=N)
        assert res["ok"], res
        works.append(path)
    return r, works, mark


def test_each_input_reads_its_own_artifacts(runner_for, tmp_path, monkeypatch):
    mode = "self.v = ([i.out for i in inputs], inputs[7].out, inputs[-1].input, len(inputs), inputs.work.same)"
    r, works, _ = _wide(runner_for, tmp_path, monkeypatch, mode)
    res, join = r.run("join", works)
    assert res["ok"], res
    assert r.artifacts(join)["v"] == ([2 * i for i in range(N)], 14, N - 1, N, "every branch")


def test_merge_over_many_inputs_merges_what_agrees_and_names_what_does_not(runner_for, tmp_path, monkeypatch):
    r, works, _ = _wide(runner_for, tmp_path, monkeypatch, "self.merge_artifacts(inputs, exclude=['out'])")
    res, join = r.run("join", works)
    assert res["ok"], res
    merged = r.artifacts(join)
    assert merged["same"] == "every branch" and "out" not in merged
    r, works, _ = _wide(runner_for, tmp_path, monkeypatch, "self.merge_artifacts(inputs)")
    res, _ = r.run("join", works)
    assert res["failure"]["headline"].startswith("UnhandledInMergeArtifactsException")
    assert "[out]." in res["failure"]["traceback"]


def test_a_missing_input_fails_the_join_before_its_step_runs(runner_for, tmp_path, monkeypatch):
    # Even one the step would never read: the join's outcome must not depend on which inputs it touched.
    r, works, mark = _wide(runner_for, tmp_path, monkeypatch, "self.v = inputs[0].out")
    os.remove(r.task_file(works[30], "0.DONE.lock"))
    res, _ = r.run("join", works)
    assert res["failure"]["headline"].startswith("MetaflowDataMissing: Task W/%s has no finished attempt" % works[30])
    assert not os.path.exists(mark), "the step ran although an input was missing"


class _RemoteLike(LocalStorage):
    """Real files, read the way an object store's records are: in parallel."""

    kind = "s3"


def test_records_read_in_parallel_keep_their_order_and_the_first_failure(runner_for, tmp_path, monkeypatch):
    r, works, _ = _wide(runner_for, tmp_path, monkeypatch, "pass")
    ds = FlowDatastore(_RemoteLike(r.root), "W")
    records = read_records(ds, works)
    assert [t.pathspec for t in records] == works
    assert [ds.load_object(t.objects["out"]) for t in records] == [2 * i for i in range(N)]
    for i in (35, 5):
        os.remove(r.task_file(works[i], "0.DONE.lock"))
    with pytest.raises(MetaflowDataMissing, match="W/%s has no finished attempt" % works[5]):
        read_records(ds, works)
