"""Where things live in the datastore (runtime/README.md): the one place that spells its keys.

The task side (`_datastore`, `_persist`, `_finish`, `_mfmeta`) writes by these keys and the
client API (`client._layout`) reads by them. Keys are '/'-separated and relative to the root,
the same on a local folder and on S3:

  <Flow>/data/<sha[:2]>/<sha>[_meta]              artifact blobs (content-addressed, per flow;
                                                  `_meta` only for a raw one)
  <Flow>/<run>/_flowlens/<name>                   Flowlens's run files: run.json (the record and
                                                  user tags), system_tags.json, heartbeat.json,
                                                  claim, tasks/<step>.<task>.json
  <Flow>/<run>/<step>/<task>/<n>.attempt.json     attempt n started
  <Flow>/<run>/<step>/<task>/<n>.data.json        artifact name -> sha, and info
  <Flow>/<run>/<step>/<task>/<n>.previews.json    artifact previews for the editor
  <Flow>/<run>/<step>/<task>/<n>.<src>_<stream>.log  (none for a stream left empty)
  <Flow>/<run>/<step>/<task>/<n>.DONE.lock        attempt n finished (written last)
  <Flow>/<run>/<step>/<task>/<n>.metaflow_records.json  a remote attempt's Metaflow records
                                                  (key -> file text, for the launcher's folder)
  .../_meta/_self.json, .../_meta/sysmeta_*.json  Metaflow's local metadata, at the flow, run,
                                                  step and task levels
  mf.cards/<Flow>/runs/<run>/steps/<step>/tasks/<task>/{cards,runtime}/...   cards (cards/store.py
                                                  names the files in these folders)
"""

import re

ATTEMPT_STARTED = "attempt.json"
ATTEMPT_DATA = "data.json"
ATTEMPT_PREVIEWS = "previews.json"
ATTEMPT_OUTCOME = "flowlens_outcome.json"
ATTEMPT_DONE = "DONE.lock"
ATTEMPT_MF_RECORDS = "metaflow_records.json"
BLOBS = "data"
RUN_FILES = "_flowlens"
RUN_RECORD = "run.json"
SYSTEM_TAGS = "system_tags.json"
HEARTBEAT = "heartbeat.json"
CLAIM = "claim"
META = "_meta"
_SYSMETA = "sysmeta_"
CARD_ROOT = "mf.cards"
# Log sources: Flowlens writes "runtime"; Metaflow writes "runtime" and "task" (mflog).
LOG_SOURCES = ("runtime", "task")

_ATTEMPT_FILE = re.compile(r"^(\d+)\.(attempt\.json|DONE\.lock|data\.json)$")


def blob_key(flow, sha):
    return "%s/%s/%s/%s" % (flow, BLOBS, sha[:2], sha)


def flow_prefix(flow):
    return "%s/" % flow


def run_prefix(flow, run):
    return "%s/%s/" % (flow, run)


def step_prefix(flow, run, step):
    return "%s/%s/%s/" % (flow, run, step)


def task_prefix(flow, run, step, task):
    return "%s/%s/%s/%s/" % (flow, run, step, task)


def attempt_key(flow, run, step, task, attempt, suffix):
    """An attempt's file: `suffix` is one of the ATTEMPT_* names or `log_suffix(...)`."""
    return "%s%d.%s" % (task_prefix(flow, run, step, task), int(attempt), suffix)


def log_suffix(source, stream):
    return "%s_%s.log" % (source, stream)


def run_file_key(flow, run, name):
    """One of Flowlens's own files of a run (RUN_RECORD, SYSTEM_TAGS, HEARTBEAT, CLAIM, ...)."""
    return "%s/%s/%s/%s" % (flow, run, RUN_FILES, name)


def task_record_key(flow, run, step, task):
    """The scheduler's record of a finished task."""
    return run_file_key(flow, run, "tasks/%s.%s.json" % (step, task))


def meta_prefix(*parts):
    """The `_meta/` folder of a flow, run, step or task (parts: flow[, run[, step[, task]]])."""
    return "%s/%s/" % ("/".join(parts), META)


def meta_self_key(*parts):
    return meta_prefix(*parts) + "_self.json"


def task_meta_record(flow, run, step, task, field, ms):
    """Metaflow's record of one metadata field of one attempt (read back by `is_task_meta_record`)."""
    return "%s%s%s_%d.json" % (meta_prefix(flow, run, step, task), _SYSMETA, field, ms)


def is_task_meta_record(name):
    return name.startswith(_SYSMETA) and name.endswith(".json")


def artifact_meta_record(flow, run, step, task, attempt, name):
    """Metaflow's record of where one artifact of one attempt is stored."""
    return "%s%d_artifact_%s.json" % (meta_prefix(flow, run, step, task), int(attempt), name)


def card_task_prefix(flow, run, step, task):
    """A task's cards folder, as Metaflow lays it out (its card root is the datastore root plus `mf.cards`)."""
    return "%s/%s/runs/%s/steps/%s/tasks/%s" % (CARD_ROOT, flow, run, step, task)


def old_card_task_prefix(flow, run, task):
    """Where cards written before Metaflow put `steps/<step>` in the path are."""
    return "%s/%s/runs/%s/tasks/%s" % (CARD_ROOT, flow, run, task)


def split_task_path(path):
    """(run, step, task) of `run/step/task` or `flow/run/step/task`; None when it is neither."""
    parts = path.strip("/").split("/")
    if len(parts) == 4:
        parts = parts[1:]
    return tuple(parts) if len(parts) == 3 else None


def folders(names):
    """Folder names among children, without internal ones (`_meta`, `_parameters`, `_flowlens`)."""
    return [n[:-1] for n in names if n.endswith("/") and not n.startswith(("_", "."))]


class AttemptState:
    """Which attempts of a task started and which finished (DONE.lock present), from its file names."""

    def __init__(self, names):
        self.started = set()
        self.done = set()
        self.with_data = set()
        for name in names:
            m = _ATTEMPT_FILE.match(name)
            if not m:
                continue
            n = int(m.group(1))
            kind = m.group(2)
            if kind == ATTEMPT_STARTED:
                self.started.add(n)
            elif kind == ATTEMPT_DONE:
                self.done.add(n)
            else:
                self.with_data.add(n)
        # An attempt that finished has started, even if its start record is missing.
        self.started |= self.done

    @property
    def latest_started(self):
        return max(self.started) if self.started else None

    @property
    def latest_done(self):
        """The highest finished attempt: the one readers take. Unfinished ones are never read."""
        return max(self.done) if self.done else None

    @property
    def in_progress(self):
        """True when the newest attempt started but has not finished (running, or crashed)."""
        return bool(self.started) and self.latest_started not in self.done
