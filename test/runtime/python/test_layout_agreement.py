"""The task side and the client read and write the datastore by one layout (`flowlens._layout`):
every file the harness writes for a run is a key that module names, and the client, reading
through the same keys, finds the attempts and artifacts the task side stored."""

import os

from flowlens import _layout
from flowlens.client import Flow, Task, _settings, metadata, namespace
from flowlens.client._layout import Layout
from flowlens.client._storage import Store
from flowlens._storage import LocalStorage

FLOW = '''
from metaflow import FlowSpec, current, retry, step

class L(FlowSpec):
    @retry(times=1)
    @step
    def start(self):
        self.x = [1, 2, 3]
        if current.retry_count == 0:
            raise RuntimeError("first attempt fails")
        self.next(self.end)

    @step
    def end(self):
        self.y = sum(self.x)
'''


def expected_keys(layout, flow, tasks):
    """Every key the layout says these finished attempts hold (attempt files, blobs, Metaflow records).

    `tasks`: "run/step/task" -> [(attempt, whether it failed)]; a failed attempt records its outcome."""
    keys = {_layout.meta_self_key(flow)}
    for path, attempts in tasks.items():
        run, step, task = path.split("/")
        keys |= {_layout.meta_self_key(flow, run), _layout.meta_self_key(flow, run, step), _layout.meta_self_key(flow, run, step, task)}
        for attempt, failed in attempts:
            names = [_layout.ATTEMPT_STARTED, _layout.ATTEMPT_DATA, _layout.ATTEMPT_PREVIEWS, _layout.ATTEMPT_DONE]
            names += [_layout.ATTEMPT_OUTCOME] if failed else []
            keys |= {_layout.attempt_key(flow, run, step, task, attempt, n) for n in names}
            data = layout.data_json(flow, run, step, task, attempt)
            for name, sha in data["objects"].items():
                keys.add(_layout.blob_key(flow, sha))
                if data["info"][name]["encoding"] == "pickle-v4":  # only a raw blob has a sidecar
                    keys.add(_layout.blob_key(flow, sha) + "_meta")
                keys.add(_layout.artifact_meta_record(flow, run, step, task, attempt, name))
    return keys


def stored_keys(root):
    out = set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            out.add(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return out


def test_task_side_writes_where_the_client_reads(runner_for):
    r = runner_for(FLOW, "L")
    params = r.params()
    failed, start = r.run("start", [params], attempt=0, retryCount=0)
    assert not failed["ok"] and failed["persisted"], failed
    r.next_task -= 1  # the retry is the same task
    res, start = r.run("start", [params], attempt=1, retryCount=1)
    assert res["ok"], res
    res, end = r.run("end", [start])
    assert res["ok"], res

    # Every file the harness wrote is one the layout names (Metaflow's metadata fields are
    # named by time, so those are recognised by `is_task_meta_record`).
    layout = Layout(Store(LocalStorage(r.root)))
    tasks = {params: [(0, False)], start: [(0, True), (1, False)], end: [(0, False)]}
    expected = expected_keys(layout, r.flow_name, tasks)
    stored = stored_keys(r.root)
    metas = {_layout.meta_prefix(r.flow_name, *p.split("/")) for p in tasks}
    loose = {k for k in stored - expected if not any(k.startswith(m) and _layout.is_task_meta_record(k[len(m):]) for m in metas)}
    assert loose == set(), "files outside the layout: %s" % sorted(loose)
    assert expected - stored == set()

    # The client, through the same keys, sees the attempts and artifacts the task side stored.
    run_id, step, task_id = start.split("/")
    state = _layout.AttemptState(layout.task_children(r.flow_name, run_id, step, task_id))
    assert state.latest_done == r.ds.done_attempt(run_id, step, task_id) == 1
    assert set(layout.steps(r.flow_name, run_id)) == {"start", "end"}
    saved = dict(_settings._state)
    try:
        metadata("local@" + r.root)
        namespace(None)
        task = Task("L/%s" % start)
        assert task.current_attempt == 1 and task.successful
        assert {a.id: a.data for a in task} == r.artifacts(start)
        assert Flow("L")[run_id]["end"].task.data.y == 6
    finally:
        _settings._state.clear()
        _settings._state.update(saved)
