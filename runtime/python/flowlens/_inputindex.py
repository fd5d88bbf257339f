"""A task's input records, read in one pass, and loaders of their artifacts made on demand.

A join over thousands of inputs used to spend most of its task before the step began: one
record (`<attempt>.data.json`) read after another, then a dozen closures an input, one for each
artifact it might read. Here the records are read in one pass (in parallel on an object store,
where each read is a round trip) and an input's artifacts are loaded through one small mapping
that makes a loader only for the artifact the step asks for.

Every record is still read before the step runs, so an input without a finished attempt fails
the task before the step, as it always did, and never halfway through it.
"""

from collections.abc import MutableMapping

from .exceptions import MetaflowException

# Reads in flight at once on an object store; a local store reads in this thread.
REMOTE_READERS = 16
# Fewer inputs than this are read one after the other anywhere: a pool costs more than it saves.
POOL_FROM = 8


def read_records(ds, paths, attempts=None):
    """TaskData of each of `paths` (run/step/task), in their order; raises on the first that is missing.

    `attempts` (the task spec's `inputAttempts`), where given, names each input's finished
    attempt (None: not known), so that its folder need not be listed to find it."""
    paths = list(paths)
    known = list(attempts or [])
    pairs = [(p, _attempt(known[i]) if i < len(known) else None) for i, p in enumerate(paths)]
    if ds.storage.kind == "local" or len(paths) < POOL_FROM:
        return [ds.read_task(p, a) for p, a in pairs]
    # Imported here: the worker every task forks from stays without the thread pool's modules.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(REMOTE_READERS, len(paths)), thread_name_prefix="flowlens-inputs") as pool:
        # map() yields in order and raises the first failure in that order, as the loop above does.
        return list(pool.map(lambda pair: ds.read_task(*pair), pairs))


def _attempt(value):
    """A spec's attempt number, or None where the spec does not know one."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MetaflowException("The task spec's inputAttempts holds %r, not an attempt number" % (value,))
    return value


class ArtifactLoaders(MutableMapping):
    """name -> a function loading that artifact, for the artifacts of one record (`shas`: name -> sha).

    It stands where a dict of one closure an artifact stood: `name in loaders`, `loaders[name]()`,
    `del loaders[name]`; the loader is made when asked for."""

    __slots__ = ("_ds", "_shas")

    def __init__(self, ds, shas):
        self._ds = ds
        # A copy: deleting one here must not change the record it came from.
        self._shas = dict(shas)

    def __getitem__(self, name):
        sha = self._shas[name]
        ds = self._ds
        return lambda: ds.load_object(sha)

    def __contains__(self, name):
        return name in self._shas

    def __setitem__(self, name, loader):
        raise TypeError("ArtifactLoaders holds stored artifacts only (%s)" % name)

    def __delitem__(self, name):
        del self._shas[name]

    def __iter__(self):
        return iter(self._shas)

    def __len__(self):
        return len(self._shas)
