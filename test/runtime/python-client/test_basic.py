"""A finished linear run read through Metaflow's client API."""

import datetime

import pytest

from flowlens.client import (
    DataArtifact,
    Flow,
    Metaflow,
    MetaflowInvalidPathspec,
    MetaflowNotFound,
    Run,
    Step,
    Task,
    get_metadata,
    namespace,
)


@pytest.fixture
def hello(builder):
    b = builder()
    # Times as ISO strings here; the other tests use epoch seconds, as the Node runtime writes them.
    b.linear_run("1", {"start": {"x": 1}, "hello": {"msg": "hi"}, "end": {"y": [1, 2, 3]}}, tags=["exp"],
                 started_at="2023-11-14T22:13:21.000Z")
    return b


def test_run_data_is_the_end_steps_artifacts(hello):
    run = Flow("HelloFlow").latest_run
    assert run.pathspec == "HelloFlow/1"
    assert run.data.x == 1 and run.data.msg == "hi" and run.data.y == [1, 2, 3]
    assert run.successful and run.finished and run.status == "succeeded"
    assert isinstance(run.created_at, datetime.datetime)
    assert run.created_at.timestamp() == 1700000001.0
    assert "date:2023-11-14" in run.system_tags
    assert run.finished_at >= run.created_at
    assert run.end_task.pathspec == "HelloFlow/1/end/3"


def test_steps_iterate_newest_first_and_index_by_name(hello):
    run = Run("HelloFlow/1")
    assert [s.id for s in run] == ["end", "hello", "start"]
    step = run["hello"]
    assert isinstance(step, Step) and step.pathspec == "HelloFlow/1/hello"
    assert [t.id for t in step.tasks()] == ["2"]
    assert step.task.data.msg == "hi"
    assert "hello" in run and "_parameters" not in [s.id for s in run]


def test_task_by_pathspec_exposes_artifacts(hello):
    task = Task("HelloFlow/1/hello/2")
    assert task.data.msg == "hi"
    art = task["msg"]
    assert isinstance(art, DataArtifact)
    assert art.data == "hi" and len(art.sha) == 40 and art.size > 0
    assert art.created_at == task.finished_at
    assert art.pathspec == "HelloFlow/1/hello/2/msg"
    names = {a.id for a in task}
    assert {"x", "msg", "_task_ok", "_foreach_stack", "name"} <= names
    assert task.artifacts.msg.data == "hi"
    assert {a.id for a in task.artifacts} == names
    assert task.successful and task.finished and task.current_attempt == 0
    assert task.index is None and task.exception is None


def test_logs(hello):
    task = Task("HelloFlow/1/hello/2")
    assert task.stdout == "hello says hi\n", "every line ends with its newline, as in Metaflow"
    assert task.stderr == ""
    lines = list(task.loglines("stdout"))
    assert len(lines) == 1 and lines[0][1] == "hello says hi"
    assert lines[0][0].tzinfo is not None


def test_metadata_dict(hello):
    md = Task("HelloFlow/1/end/3").metadata_dict
    assert md["attempt"] == "0" and md["attempt-done"] == "0"
    assert md["ds-type"] == "local" and md["user"] == "tester"


def test_tags_and_namespace(hello):
    run = Run("HelloFlow/1")
    assert "exp" in run.tags and "user:tester" in run.tags
    assert run.user_tags == frozenset({"exp"})
    assert [r.id for r in Flow("HelloFlow").runs("exp")] == ["1"]
    assert list(Flow("HelloFlow").runs("nope")) == []


def test_metaflow_lists_flows(hello, builder):
    builder("OtherFlow").linear_run("7", {"start": {}, "end": {}})
    assert [f.id for f in Metaflow().flows] == ["HelloFlow", "OtherFlow"]


def test_get_metadata_names_the_project_folder(hello, project):
    assert get_metadata() == "local@%s" % project.parent


def test_unknown_flow_names_the_flows_there(hello):
    with pytest.raises(MetaflowNotFound) as e:
        Flow("HeloFlow")
    assert "HeloFlow" in str(e.value) and "HelloFlow" in str(e.value)


def test_unknown_run_step_task_artifact(hello):
    with pytest.raises(MetaflowNotFound) as e:
        Run("HelloFlow/42")
    assert "42" in str(e.value) and "Runs of HelloFlow: 1" in str(e.value)
    with pytest.raises(KeyError) as e:
        Run("HelloFlow/1")["helo"]
    assert "helo" in str(e.value) and "end, hello, start" in str(e.value)
    with pytest.raises(MetaflowNotFound) as e:
        Task("HelloFlow/1/hello/9")
    assert "Tasks there: 2" in str(e.value)
    task = Task("HelloFlow/1/hello/2")
    with pytest.raises(AttributeError) as e:
        task.data.mgs
    assert "mgs" in str(e.value) and "msg" in str(e.value)
    with pytest.raises(KeyError):
        task["mgs"]
    with pytest.raises(MetaflowInvalidPathspec) as e:
        Run("HelloFlow")
    assert "FlowName/RunId" in str(e.value)


def test_global_namespace_shows_everything(hello):
    namespace(None)
    assert Flow("HelloFlow").latest_run.id == "1"


def test_latest_run_reads_latest_run_marker_and_falls_back_outside_the_namespace(builder):
    b = builder()
    b.linear_run("1", {"start": {}, "end": {"who": "tester"}})
    b.tick(10)
    b.linear_run("2", {"start": {}, "end": {"who": "alice"}}, user="alice")
    # The marker names run 2 (started last), but it is alice's: the default namespace (tester's)
    # must still get run 1, found by reading the run records.
    assert Flow("HelloFlow").latest_run.id == "1"
    namespace(None)
    assert Flow("HelloFlow").latest_run.id == "2"
    namespace("user:alice")
    assert Flow("HelloFlow").latest_run.data.who == "alice"
