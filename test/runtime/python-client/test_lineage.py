"""Where a task came from: one metadata record per attempt, the task `resume` copied it from
(`origin-task-id`, `origin_pathspec`), and its parent and child tasks (`parent_tasks`,
`child_tasks`), read from the scheduler's task records."""

import json

from flowlens.client import Run, Task


def task_record(b, run, step, task, input_paths, cloned_from=None):
    record = {"key": "%s/%s" % (step, task), "step": step, "taskId": task, "attempt": 0, "inputPaths": input_paths,
              "stack": [], "transition": {"next": []}}
    if cloned_from:
        record["cloned"] = {"runId": cloned_from, "taskId": task}
    b.w.put("%s/%s/_flowlens/tasks/%s.%s.json" % (b.flow, run, step, task), json.dumps(record))


def split_graph():
    steps = {
        "start": {"name": "start", "type": "split-static", "next": ["a", "b"]},
        "a": {"name": "a", "type": "linear", "next": ["join"]},
        "b": {"name": "b", "type": "linear", "next": ["join"]},
        "join": {"name": "join", "type": "join", "next": ["end"]},
        "end": {"name": "end", "type": "end", "next": []},
    }
    return {"file": "flow.py", "parameters": [], "steps": steps}


def test_every_attempt_has_its_own_metadata_records(builder):
    b = builder()
    b.record("7", status="running")
    b.attempt("7", "start", "1", {"v": 0}, attempt=0, ok=False)
    b.attempt("7", "start", "1", {"v": 1}, attempt=1, ok=False)
    b.attempt("7", "start", "1", {"v": 2}, attempt=2)
    task = Task("HelloFlow/7/start/1")
    assert sorted(m.value for m in task.metadata if m.type == "attempt") == ["0", "1", "2"]
    assert sorted(m.value for m in task.metadata if m.type == "attempt-done") == ["0", "1", "2"]
    assert task.metadata_dict["attempt"] == "2", "the newest value of a repeated field wins"


def test_a_cloned_task_names_its_origin_and_a_task_that_ran_again_does_not(builder):
    b = builder()
    b.linear_run("40", {"start": {"x": 1}, "end": {}})
    b.record("41", status="running", origin_run_id="40")
    b.attempt("41", "start", "1", {"x": 1})
    task_record(b, "41", "start", "1", ["41/_parameters/0"], cloned_from="40")
    b.attempt("41", "end", "2", {"x": 1})
    task_record(b, "41", "end", "2", ["41/start/1"])
    b.record("41", status="succeeded", origin_run_id="40")
    run = Run("HelloFlow/41")
    start, end = run["start"].task, run["end"].task
    assert start.metadata_dict["origin-task-id"] == "1" and start.metadata_dict["origin-run-id"] == "40"
    assert "origin-task-id" not in end.metadata_dict and end.metadata_dict["origin-run-id"] == "40"
    assert start.origin_pathspec == "HelloFlow/40/start/1"
    assert end.origin_pathspec is None
    assert run["start"].origin_pathspec == "HelloFlow/40/start"
    assert run.origin_pathspec == "HelloFlow/40"
    assert Run("HelloFlow/40").origin_pathspec is None and Run("HelloFlow/40")["start"].task.origin_pathspec is None


def test_parent_and_child_tasks_follow_the_inputs_each_task_started_from(builder):
    b = builder("SplitFlow")
    b.record("3", status="running")
    b.attempt("3", "start", "1", {"_graph_info": split_graph()})
    task_record(b, "3", "start", "1", ["3/_parameters/0"])
    for step, task in (("a", "2"), ("b", "3")):
        b.attempt("3", step, task, {"_graph_info": split_graph()})
        task_record(b, "3", step, task, ["3/start/1"])
    b.attempt("3", "join", "4", {"_graph_info": split_graph()})
    task_record(b, "3", "join", "4", ["3/a/2", "3/b/3"])
    b.attempt("3", "end", "5", {"_graph_info": split_graph()})
    task_record(b, "3", "end", "5", ["3/join/4"])
    b.record("3", status="succeeded")
    run = Run("SplitFlow/3")
    start, join = run["start"].task, run["join"].task
    assert list(start.parent_tasks) == [], "the parameters pseudo-task is not a parent"
    assert sorted(t.pathspec for t in start.child_tasks) == ["SplitFlow/3/a/2", "SplitFlow/3/b/3"]
    assert sorted(join.parent_task_pathspecs) == ["SplitFlow/3/a/2", "SplitFlow/3/b/3"]
    assert [t.pathspec for t in join.child_tasks] == ["SplitFlow/3/end/5"]
    assert sorted(s.id for s in run["join"].parent_steps) == ["a", "b"]
    assert [s.id for s in run["start"].child_steps] == ["a", "b"]


def test_the_client_is_importable_under_metaflows_module_names():
    import metaflow.client
    import metaflow.client.core

    from flowlens.client import Flow, Task as FlowlensTask

    assert metaflow.client.Flow is Flow and metaflow.client.core.Task is FlowlensTask  # pyright: ignore[reportAttributeAccessIssue]  (the client names load on first use)


def test_node_zero_of_a_parallel_step_is_its_control_task(builder):
    b = builder("ParFlow")
    steps = {
        "start": {"name": "start", "type": "split-parallel", "next": ["train"], "decorators": []},
        "train": {"name": "train", "type": "linear", "next": ["join"], "decorators": [{"name": "parallel", "attributes": {}}]},
        "join": {"name": "join", "type": "join", "next": ["end"], "decorators": []},
        "end": {"name": "end", "type": "end", "next": [], "decorators": []},
    }
    info = {"file": "flow.py", "parameters": [], "steps": steps}
    b.record("2", status="running")
    b.attempt("2", "start", "1", {"_graph_info": info})
    for node in range(3):
        b.attempt("2", "train", str(2 + node), {"_graph_info": info}, foreach_stack=[(node, 3, node)])
    b.record("2", status="succeeded")
    train = Run("ParFlow/2")["train"]
    assert len(list(train.tasks())) == 3
    assert [t.id for t in train.control_tasks()] == ["2"]
    assert list(Run("ParFlow/2")["start"].control_tasks()) == [], "a step that is not @parallel has none"
