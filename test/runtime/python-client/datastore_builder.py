"""Writes datastores by hand, exactly as runtime/README.md lays them out, for the client tests.

    b = DatastoreBuilder(LocalWriter(root), "HelloFlow")
    b.linear_run("1", {"start": {"x": 1}, "end": {"y": 2}})

A writer puts bytes by key; LocalWriter writes files (atomically, as the runtime does) and
S3Writer uploads objects, so one builder makes local and S3 datastores alike.
"""

import gzip
import hashlib
import io
import json
import os
import pickle
import tarfile
from datetime import datetime, timezone


class LocalWriter:
    def __init__(self, root):
        self.root = root

    def put(self, key, body, metadata=None):
        path = os.path.join(self.root, *key.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp-write"
        with open(tmp, "wb") as f:
            f.write(body if isinstance(body, bytes) else body.encode("utf-8"))
        os.replace(tmp, path)


class S3Writer:
    def __init__(self, client, bucket, prefix):
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")

    def put(self, key, body, metadata=None):
        full = "%s/%s" % (self.prefix, key) if self.prefix else key
        body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.client.put_object(Bucket=self.bucket, Key=full, Body=body, Metadata=metadata or {})


def iso(epoch):
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class DatastoreBuilder:
    def __init__(self, writer, flow, s3=False, protocol=4):
        self.w = writer
        self.flow = flow
        self.s3 = s3
        self.protocol = protocol
        self.clock = 1_700_000_000.0

    def tick(self, seconds=1.0):
        self.clock += seconds
        return self.clock

    # Blobs ----------------------------------------------------------------------------------
    def blob(self, obj, raw=False):
        pickled = pickle.dumps(obj, protocol=self.protocol)
        return self.blob_bytes(pickled, raw=raw)

    def blob_bytes(self, pickled, raw=False):
        sha = hashlib.sha1(pickled).hexdigest()
        key = "%s/data/%s/%s" % (self.flow, sha[:2], sha)
        meta = {"cas_raw": raw, "cas_version": 1}
        body = pickled if raw else gzip.compress(pickled)
        if self.s3:
            self.w.put(key, body, metadata={"cas_raw": json.dumps(raw), "cas_version": "1"})
        else:
            self.w.put(key, body)
            self.w.put(key + "_meta", json.dumps(meta))
        return sha, len(pickled)

    # Tasks ----------------------------------------------------------------------------------
    def attempt(self, run, step, task, artifacts, attempt=0, ok=True, done=True, stdout=(), stderr=(),
                foreach_stack=(), transition=None, encoding="gzip+pickle-v4", done_body=None, blobs=None):
        """One attempt of one task. `artifacts` are the visible user artifacts; internal ones are added."""
        base = "%s/%s/%s/%s/%d." % (self.flow, run, step, task, attempt)
        started = self.tick()
        self.w.put(base + "attempt.json", json.dumps({"time": started}))
        if stdout:
            self.w.put(base + "runtime_stdout.log", "".join("[%s] %s\n" % (iso(started + 0.001 * i), line) for i, line in enumerate(stdout)))
        if stderr:
            self.w.put(base + "runtime_stderr.log", "".join("[%s] %s\n" % (iso(started + 0.001 * i), line) for i, line in enumerate(stderr)))
        if not done:
            return None
        values = dict(artifacts)
        values.setdefault("name", self.flow)
        values.setdefault("_task_ok", ok)
        values.setdefault("_foreach_stack", list(foreach_stack))
        values.setdefault("_current_step", step)
        values.setdefault("_transition", transition)
        objects, info = {}, {}
        for name, value in values.items():
            if blobs and name in blobs:
                sha, size = blobs[name]
            else:
                sha, size = self.blob(value)
            objects[name] = sha
            info[name] = {"size": size, "type": str(type(value)), "encoding": encoding}
        data = {"datastore": "s3" if self.s3 else "local", "version": "1.0", "attempt": attempt,
                "python_version": "3.11.7", "objects": objects, "info": info}
        self.w.put(base + "data.json", json.dumps(data))
        finished = self.tick()
        self.w.put(base + "DONE.lock", done_body if done_body is not None else json.dumps({"time": finished}))
        return objects

    def record(self, run, status="succeeded", user="tester", tags=(), started_at=None, finished_at=None,
               origin_run_id=None, code_package=None, file="flow.py"):
        rec = {"flow": self.flow, "run_id": run, "file": file, "started_at": started_at or self.tick(),
               "status": status, "parameters": {}, "mode": "run", "python": {"executable": "python3",
               "version": "3.11.7", "packages": {}}, "user": user, "tags": list(tags)}
        if finished_at or status != "running":
            rec["finished_at"] = finished_at or self.tick()
        if origin_run_id:
            rec["origin_run_id"] = origin_run_id
        if code_package:
            rec["code_package"] = code_package
        self.w.put("%s/%s/_flowlens/run.json" % (self.flow, run), json.dumps(rec))
        self.w.put("%s/latest_run" % self.flow, run)
        return rec

    def code_package(self, files):
        """A gzip tarball of {name: text}, stored raw in the CAS; returns the run record's code_package."""
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:gz") as tar:
            for name, text in files.items():
                body = text.encode("utf-8")
                member = tarfile.TarInfo(name)
                member.size = len(body)
                tar.addfile(member, io.BytesIO(body))
        tgz = buf.getvalue()
        sha = hashlib.sha1(tgz).hexdigest()
        key = "%s/data/%s/%s" % (self.flow, sha[:2], sha)
        self.w.put(key, tgz)
        if not self.s3:
            self.w.put(key + "_meta", json.dumps({"cas_raw": True, "cas_version": 1}))
        return {"sha": sha, "key": key}

    def graph_info(self, steps):
        """Metaflow's `_graph_info` for a linear flow over `steps`."""
        out = {}
        for i, name in enumerate(steps):
            kind = "start" if i == 0 else ("end" if i == len(steps) - 1 else "linear")
            out[name] = {"name": name, "type": kind, "next": steps[i + 1:i + 2]}
        return {"file": "flow.py", "parameters": [], "steps": out}

    def linear_run(self, run, step_artifacts, status="succeeded", tags=(), record=True, user="tester", **kw):
        """A run of a linear flow: step_artifacts is {step: {name: value}} in order; artifacts accumulate."""
        steps = list(step_artifacts)
        started_at = kw.pop("started_at", None) or self.tick()
        if record:
            self.record(run, status="running", user=user, tags=tags, started_at=started_at)
        visible = {}
        self.attempt(run, "_parameters", "0", {})
        for n, step in enumerate(steps, start=1):
            visible.update(step_artifacts[step])
            extra = {"_graph_info": self.graph_info(steps)} if n == 1 else {}
            nxt = steps[n:n + 1]
            self.attempt(run, step, str(n), {**visible, **extra}, transition=[nxt, None] if nxt else None,
                         stdout=["%s says hi" % step], **kw)
        if record:
            self.record(run, status=status, user=user, tags=tags, started_at=started_at)
        return steps
