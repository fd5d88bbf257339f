"""Changing a run's user tags, with Metaflow's rules.

Removals come first, then additions. A tag that is one of the run's system tags is never added
as a user tag (and that is not an error); removing a system tag is an error and nothing changes.
Tags are non-empty UTF-8 strings of at most 500 characters, and a run has at most 50 user tags
(a larger set may still shrink). The user tags live in the run's record (`_flowlens/run.json`,
field "tags"), which the Node runtime writes and reads too; every other field is kept as it is.
"""

import contextlib
import json
import os
import random
import time
from typing import TYPE_CHECKING, Any, Dict, List

from .._layout import RUN_RECORD, run_file_key
from .exceptions import MetaflowTaggingError

# Tasks of one run may change its tags at the same moment: a change is read back and done again
# (after a short random pause) when another one overwrote it, at most this many times.
_ATTEMPTS = 20

MAX_TAG_LENGTH = 500
MAX_USER_TAGS = 50


def _checked(tag):
    if isinstance(tag, bytes):
        try:
            tag = tag.decode("utf-8")
        except UnicodeDecodeError:
            raise MetaflowTaggingError("Tags must be UTF-8 decodable, got %r" % tag)
    if not isinstance(tag, str):
        raise MetaflowTaggingError("Tags must be strings, got %s" % type(tag).__name__)
    try:
        tag.encode("utf-8")
    except UnicodeEncodeError:
        raise MetaflowTaggingError("Tags must be UTF-8 encodable, got %r" % tag)
    if not tag:
        raise MetaflowTaggingError("Tags must not be empty strings")
    if len(tag) > MAX_TAG_LENGTH:
        raise MetaflowTaggingError("Tag is too long: %d characters, at most %d" % (len(tag), MAX_TAG_LENGTH))
    return tag


def _tag_list(tags, what):
    if isinstance(tags, (str, bytes)):
        raise MetaflowTaggingError("%s may not be a string: give a list of tags" % what)
    try:
        return [_checked(t) for t in tags]
    except TypeError:
        raise MetaflowTaggingError("%s must be an iterable of tags" % what)


def next_user_tags(user_tags, system_tags, remove, add):
    """The user tag set after removing `remove` and adding `add`; raises on a rule broken."""
    remove = set(_tag_list(remove, "tags_to_remove"))
    add = set(_tag_list(add, "tags_to_add"))
    if not remove and not add:
        raise MetaflowTaggingError("Give at least one tag to add or remove")
    system = set(system_tags)
    if remove & system:
        raise MetaflowTaggingError("Cannot remove a system tag: %s" % ", ".join(sorted(remove & system)))
    result = (set(user_tags) - remove) | (add - system)
    if len(result) > MAX_USER_TAGS and len(result) > len(user_tags):
        raise MetaflowTaggingError("A run has at most %d user tags" % MAX_USER_TAGS)
    return result


def write_user_tags(layout, flow, run_id, tags):
    """Stores `tags` as the run's user tags in its record, read fresh so no other field is lost."""
    key = run_file_key(flow, run_id, RUN_RECORD)
    body = layout.store.get(key)
    if body is None:
        raise MetaflowTaggingError(
            "Run %s/%s has no Flowlens record (%s), so its tags cannot be changed here"
            % (flow, run_id, layout.store.url(key))
        )
    try:
        record = json.loads(body.decode("utf-8"))
    except ValueError:
        record = None
    if not isinstance(record, dict):
        raise MetaflowTaggingError("The record of run %s/%s is damaged: %s" % (flow, run_id, layout.store.url(key)))
    record["tags"] = sorted(tags)
    layout.store.put(key, json.dumps(record, indent=2, ensure_ascii=False).encode("utf-8"))
    from .._mfmeta import retag_run

    retag_run(layout.store, flow, run_id, tags)


def _as_list(tag_or_tags):
    # Metaflow's single-tag methods also take a list of tags (kept for its early users).
    return [tag_or_tags] if isinstance(tag_or_tags, (str, bytes)) else tag_or_tags


class TagChanges(object):
    """Run's tag-changing methods (Run supplies _cache, _tag_sets, _layout, path_components, id)."""

    # What Run, the class this is mixed into, supplies.
    _cache: Dict[str, Any]
    _layout: Any
    path_components: List[str]
    id: str
    pathspec: str
    if TYPE_CHECKING:

        def _tag_sets(self) -> Any: ...

    def add_tag(self, tag):
        """Adds one user tag (a tag that is already a system tag is left alone, without error)."""
        self.replace_tags([], _as_list(tag))

    def add_tags(self, tags):
        self.replace_tags([], tags)

    def remove_tag(self, tag):
        """Removes one user tag; removing a system tag is an error, a missing tag is fine."""
        self.replace_tags(_as_list(tag), [])

    def remove_tags(self, tags):
        self.replace_tags(tags, [])

    def replace_tag(self, tag_to_remove, tag_to_add):
        self.replace_tags(_as_list(tag_to_remove), _as_list(tag_to_add))

    def replace_tags(self, tags_to_remove, tags_to_add):
        """Removes, then adds, in one write of the run's record; read back until it holds."""
        remove = set(_tag_list(tags_to_remove, "tags_to_remove"))
        add = set(_tag_list(tags_to_add, "tags_to_add"))
        flow = self.path_components[0]
        for _ in range(_ATTEMPTS):
            with _one_at_a_time(self._layout, flow, self.id):
                user, system = self._fresh_tag_sets()
                tags = next_user_tags(user, system, remove, add)
                if tags == user:
                    return
                write_user_tags(self._layout, flow, self.id, tags)
            user, system = self._fresh_tag_sets()
            if (add - system) <= user and not ((remove & user) - add):
                return
            time.sleep(random.uniform(0.01, 0.1))
        raise MetaflowTaggingError("The tags of %s kept changing under this change; try again" % self.pathspec)

    def _fresh_tag_sets(self):
        self._cache.pop("record", None)
        self._cache.pop("tag_sets", None)
        return self._tag_sets() or (set(), set())


@contextlib.contextmanager
def _one_at_a_time(layout, flow, run_id):
    """On a local datastore, changes to one run's tags take turns (a lock file beside its record);
    elsewhere the read-back in replace_tags catches a change another process overwrote."""
    folder = os.path.dirname(layout.store.url(run_file_key(flow, run_id, RUN_RECORD))) if layout.store.kind == "local" else None
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the read-back still applies
        fcntl = None
    if folder is None or fcntl is None or not os.path.isdir(folder):
        yield
        return
    with open(os.path.join(folder, "tags.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
