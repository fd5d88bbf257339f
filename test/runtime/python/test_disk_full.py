"""A datastore that refuses a write (a full disk) is reported as such, not as an unpicklable artifact."""

import errno

from flowlens._storage import LocalStorage

FLOW = '''
from metaflow import FlowSpec, step

class Full(FlowSpec):
    @step
    def start(self):
        self.numbers = list(range(10))
        self.next(self.end)

    @step
    def end(self):
        pass
'''


def test_full_disk_while_storing_an_artifact_says_the_disk_is_full(runner_for, monkeypatch):
    r = runner_for(FLOW, "Full")
    params = r.params()
    real_put = LocalStorage.put

    def put(self, key, data, overwrite=True, metadata=None):
        if "/data/" in key and not key.endswith("_meta"):
            raise OSError(errno.ENOSPC, "No space left on device", self._path(key))
        return real_put(self, key, data, overwrite=overwrite, metadata=metadata)

    monkeypatch.setattr(LocalStorage, "put", put)
    res, _ = r.run("start", [params])
    assert not res["ok"]
    failure = res["failure"]
    assert "Unpicklable" not in failure["headline"], failure["headline"]
    assert failure["headline"].startswith("DatastoreWriteError: Cannot store artifact *"), failure["headline"]
    assert "the disk is full [ENOSPC]" in failure["headline"], failure["headline"]
    assert failure["kind"] == "infrastructure"
