"""Runs that failed, are in progress, crashed, were retried or resumed: never reported as succeeded."""

import pytest

from flowlens.client import Flow, Run, Task


def test_foreach_tasks_by_index(builder):
    b = builder("FanFlow")
    b.record("5", status="running")
    b.attempt("5", "start", "1", {"items": ["a", "b", "c"], "_graph_info": b.graph_info(["start", "work", "join", "end"])},
              transition=[["work"], "items"])
    for i, item in enumerate(["a", "b", "c"]):
        b.attempt("5", "work", str(2 + i), {"items": ["a", "b", "c"], "input": item, "out": item.upper()},
                  foreach_stack=[(i, 3, item)])
    b.attempt("5", "join", "5", {"outs": ["A", "B", "C"]})
    b.attempt("5", "end", "6", {"outs": ["A", "B", "C"]})
    b.record("5", status="succeeded")
    step = Run("FanFlow/5")["work"]
    tasks = list(step)
    assert [t.id for t in tasks] == ["4", "3", "2"]
    by_index = {t.index: t for t in step.tasks()}
    assert sorted(by_index) == [0, 1, 2]
    assert [by_index[i].data.input for i in range(3)] == ["a", "b", "c"]
    assert [by_index[i].data.out for i in range(3)] == ["A", "B", "C"]
    assert step.task.index == 0
    assert Run("FanFlow/5")["join"].task.index is None
    assert Flow("FanFlow").latest_successful_run.data.outs == ["A", "B", "C"]


def test_failed_run(builder):
    b = builder()
    b.record("2", status="running")
    b.attempt("2", "start", "1", {"x": 1})
    b.attempt("2", "boom", "2", {"x": 1, "_exception": ValueError("bad input")}, ok=False, stderr=["Traceback", "ValueError: bad input"])
    b.record("2", status="failed")
    run = Run("HelloFlow/2")
    assert not run.successful and not run.finished and run.status == "failed"
    assert run.end_task is None and run.data is None
    task = run["boom"].task
    assert task.finished and not task.successful
    assert isinstance(task.exception, ValueError) and "bad input" in str(task.exception)
    assert "ValueError: bad input" in task.stderr


def test_failed_end_task_is_finished_but_not_successful(builder):
    b = builder()
    b.linear_run("3", {"start": {"x": 1}, "end": {}}, ok=False, status="failed")
    run = Run("HelloFlow/3")
    assert run.finished and not run.successful and run.status == "failed"


def test_in_progress_run(builder):
    b = builder()
    b.record("4", status="running")
    b.attempt("4", "start", "1", {"x": 1})
    b.attempt("4", "slow", "2", {"x": 1}, done=False, stdout=["working..."])
    run = Run("HelloFlow/4")
    assert not run.successful and not run.finished and run.status == "running"
    assert run.finished_at is None and run.data is None
    task = run["slow"].task
    assert not task.finished and not task.successful and task.finished_at is None
    assert task.current_attempt == 0
    assert task.stdout == "working...\n"
    with pytest.raises(AttributeError) as e:
        task.data.x
    assert "running or crashed" in str(e.value)


def test_end_task_started_but_not_done_is_not_success(builder):
    b = builder()
    b.record("6", status="succeeded")  # a record that lies must not make the run successful
    b.attempt("6", "start", "1", {"x": 1})
    b.attempt("6", "end", "2", {"x": 1}, done=False)
    run = Run("HelloFlow/6")
    assert not run.successful and not run.finished and run.status == "failed"


def test_run_whose_process_is_gone_is_crashed(builder):
    import os
    import subprocess
    import sys

    b = builder()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    for run_id, pid in (("40", gone.stdout.strip()), ("41", str(os.getpid()))):
        b.w.put("HelloFlow/%s/_flowlens/claim" % run_id, pid)
        b.record(run_id, status="running")
        b.attempt(run_id, "start", "1", {"x": 1}, done=False)
    crashed, alive = Run("HelloFlow/40"), Run("HelloFlow/41")
    assert crashed.status == "crashed" and not crashed.successful and not crashed.finished
    assert alive.status == "running" and not alive.successful


def test_crashed_run_with_record_status(builder):
    b = builder()
    b.record("8", status="crashed")
    b.attempt("8", "start", "1", {"x": 1})
    run = Run("HelloFlow/8")
    assert not run.successful and run.status == "crashed"


def test_latest_successful_run_skips_failed_and_running(builder):
    b = builder()
    b.linear_run("10", {"start": {"v": "ten"}, "end": {}})
    b.linear_run("11", {"start": {"v": "eleven"}, "end": {}}, ok=False, status="failed")
    b.record("12", status="running")
    b.attempt("12", "start", "1", {"v": "twelve"}, done=False)
    flow = Flow("HelloFlow")
    assert [r.id for r in flow] == ["12", "11", "10"]
    assert flow.latest_run.id == "12"
    assert flow.latest_successful_run.data.v == "ten"


def test_retries_highest_finished_attempt_wins(builder):
    b = builder()
    b.record("20", status="running")
    b.attempt("20", "start", "1", {"v": "first try"}, attempt=0, ok=False)
    b.attempt("20", "start", "1", {"v": "second try"}, attempt=1, ok=True)
    task = Task("HelloFlow/20/start/1")
    assert task.current_attempt == 1 and task.successful and task.data.v == "second try"
    assert Task("HelloFlow/20/start/1", attempt=0).data.v == "first try"
    assert not Task("HelloFlow/20/start/1", attempt=0).successful
    b.attempt("20", "start", "1", {"v": "third try"}, attempt=2, done=False)
    task = Task("HelloFlow/20/start/1")
    assert task.data.v == "second try" and task.current_attempt == 1
    assert not task.finished and not task.successful


def test_resumed_run_reads_cloned_tasks(builder):
    b = builder()
    b.linear_run("30", {"start": {"x": 1}, "mid": {"y": 2}, "end": {}}, ok=True)
    origin = Task("HelloFlow/30/start/1")
    # The resumed run clones start (same shas, nothing stored twice) and runs mid and end again.
    b.record("31", status="running", origin_run_id="30")
    clone = {a.id: (a.sha, a.size) for a in origin}
    b.attempt("31", "start", "1", {k: None for k in clone}, blobs=clone)
    b.attempt("31", "mid", "2", {"x": 1, "y": 3})
    b.attempt("31", "end", "3", {"x": 1, "y": 3})
    b.record("31", status="succeeded", origin_run_id="30")
    run = Run("HelloFlow/31")
    assert run.successful and run.origin_run_id == "30"
    assert run["start"].task.data.x == 1
    assert run["start"].task["x"].sha == origin["x"].sha
    assert run.data.y == 3
    assert run["start"].task.metadata_dict["origin-run-id"] == "30"
    assert Flow("HelloFlow").latest_successful_run.id == "31"
