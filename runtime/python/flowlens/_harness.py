"""The task harness: runs one attempt of one task in the current process.

`run_task(spec, module, emit)` restores the task's inputs from the datastore, runs the
step method (`_steptask`), checks the `self.next` it made against the static graph, and
persists every artifact (`_persist`: blobs, `<attempt>.data.json`, `<attempt>.previews.json`)
and Metaflow's metadata records of the attempt (`_mfmeta`). It does not write
`<attempt>.DONE.lock`: the attempt is finished by `_finish.finish_attempt` after the task's
logs, so that DONE.lock is last (`write_done=True` does that here, for callers without logs).
`emit(message)` receives artifact messages as they are persisted.
"""

import os
import shutil
import tempfile
import time

from ._control import describe_exception
from ._datastore import DatastoreWriteError, FlowDatastore
from ._flowload import flow_class
from ._inputs import Inputs, parameters_of
from ._mfmeta import AttemptRecords
from ._persist import Outputs
from ._runfacts import set_project, stored_values
from ._steptask import PARAMETERS_STEP, run_step_task
from ._storage import storage_from_env
from .configs import config_values
from .exceptions import ParameterError


def run_task(spec, module, emit=lambda message: None, write_done=False, ds=None):
    """`ds`: the run's FlowDatastore when the caller has one (it finishes the attempt with it)."""
    started = time.time()
    ref = spec["ref"]
    flow_name, run_id, step, task_id, attempt = spec["flowName"], ref["runId"], ref["step"], ref["taskId"], int(ref.get("attempt", 0))
    os.environ.update({str(k): str(v) for k, v in (spec.get("env") or {}).items()})
    ds = ds or FlowDatastore(storage_from_env(), flow_name)
    ds.write_attempt_started(run_id, step, task_id, attempt)
    flow_file = spec.get("flowFile")
    result = {"ok": False, "persisted": False}
    made = []

    def tempdir():
        made.append(tempfile.mkdtemp(prefix="flowlens-%s-%s-" % (step, task_id)))
        return made[0]

    records = AttemptRecords.of(ds, spec)
    records.started(started)
    stored = records.stored

    try:
        cls = flow_class(module, flow_name)
        if step == PARAMETERS_STEP:
            result = _run_parameters_task(spec, cls, ds, emit, stored)
        else:
            result = run_step_task(spec, cls, ds, emit, tempdir, stored)
    except DatastoreWriteError as e:
        result = {"ok": False, "persisted": False, "failure": describe_exception(e, flow_file, "infrastructure")}
    except Exception as e:  # failures before the step ran: loading inputs, a missing class
        result = {"ok": False, "persisted": False, "failure": describe_exception(e, flow_file, "user")}
    finally:
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
    if write_done:
        from ._finish import finish_attempt

        result = finish_attempt(ds, spec, result)
    result["durationMs"] = int((time.time() - started) * 1000)
    return result


def _run_parameters_task(spec, cls, ds, emit, stored):
    ref = spec["ref"]
    params = parameters_of(cls)
    given = dict(spec.get("parameters") or {})
    by_name = {p.name: attr for attr, p in params.items()}
    unknown = [k for k in given if k not in by_name and k not in params]
    if unknown:
        raise ParameterError(
            "Unknown parameter %s (flow %s takes: %s)"
            % (", ".join("--" + k for k in unknown), cls.__name__, ", ".join("--" + p.name for p in params.values()) or "none")
        )
    # A default function may read `current.project_name` (and `ctx.configs`), as under Metaflow.
    set_project(cls, spec.get("user"), ds, ref["runId"])
    configs = config_values(cls)
    values = {}
    for attr, p in params.items():
        key = p.name if p.name in given else attr
        values[attr] = p.resolve(given.get(key), key in given, cls.__name__, spec.get("user"), configs)
    values.update(stored_values(cls, params))
    values["name"] = cls.__name__
    if spec.get("graph") is not None:
        values["_graph_info"] = spec["graph"]
    values["_task_ok"] = values["_success"] = True
    out = Outputs(ds, emit)
    for name, value in values.items():
        out.persist(name, value)
    out.write(ref)
    stored(True, out.objects, out.info)
    start = "start"
    for name, node in ((spec.get("graph") or {}).get("steps") or {}).items():
        if node.get("type") == "start":
            start = name
    return {"ok": True, "persisted": True, "transition": {"next": [start]}}


__all__ = ["run_task", "Inputs", "parameters_of", "describe_exception"]
