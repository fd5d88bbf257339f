"""Where cards live: Metaflow's card layout over the datastore's storage (local folder or S3).

    mf.cards/<Flow>/runs/<run>/steps/<step>/tasks/<task>/cards/<type>[-<id>]-<hash>.html
    mf.cards/<Flow>/runs/<run>/steps/<step>/tasks/<task>/runtime/<type>[-<id>]-<hash>.data.json

Keys are relative to the datastore root (Metaflow's card root is the datastore root plus
`mf.cards`, locally and on S3). Cards written before Metaflow put `steps/<step>` in the path
(`.../runs/<run>/tasks/<task>/cards/`) are read too. Every write goes through the storage's
atomic put, so a reader sees the old file, none, or the whole new one.
"""

import json
import re
from collections import namedtuple

from .._layout import card_task_prefix, old_card_task_prefix

CARD_SUFFIX = "html"
DATA_SUFFIX = "data.json"
# A card type or id that can sit in a file name between the dashes.
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_]+$")

CardInfo = namedtuple("CardInfo", ["type", "hash", "id", "filename"])


def info_from_name(filename, suffix=CARD_SUFFIX):
    """CardInfo of a card (or data) file name, or None when the name is not one."""
    if not filename.endswith("." + suffix):
        return None
    parts = filename[: -len(suffix) - 1].split("-")
    if len(parts) == 2:
        return CardInfo(parts[0], parts[1], None, filename)
    if len(parts) == 3:
        return CardInfo(parts[0], parts[2], parts[1], filename)
    return None


def file_name(card_type, card_hash, card_id=None, suffix=CARD_SUFFIX):
    if card_id is None:
        return "%s-%s.%s" % (card_type, card_hash, suffix)
    return "%s-%s-%s.%s" % (card_type, card_id, card_hash, suffix)


def matches(info, card_type=None, card_hash=None, card_id=None):
    """Metaflow's filter: the type, then the hash prefix when given, else the id."""
    if card_type is not None and info.type != card_type:
        return False
    if card_hash is not None:
        return info.hash.startswith(card_hash)
    if card_id is not None:
        return info.id == card_id
    return True


class CardStore(object):
    """The cards of one task (`Flow/run/step/task`) in one storage (flowlens._storage.Storage)."""

    def __init__(self, storage, pathspec):
        self.storage = storage
        self.pathspec = pathspec
        flow, run, step, task = pathspec.split("/")
        self._task_prefix = card_task_prefix(flow, run, step, task)
        self._old_prefix = old_card_task_prefix(flow, run, task)

    def card_key(self, card_type, card_hash, card_id=None):
        return "%s/cards/%s" % (self._task_prefix, file_name(card_type, card_hash, card_id))

    def data_key(self, card_type, card_hash, card_id=None):
        return "%s/runtime/%s" % (self._task_prefix, file_name(card_type, card_hash, card_id, DATA_SUFFIX))

    def save_card(self, card_type, card_hash, html, card_id=None):
        key = self.card_key(card_type, card_hash, card_id)
        self.storage.put(key, html.encode("utf-8"))
        return key

    def save_data(self, card_type, card_hash, data, card_id=None):
        key = self.data_key(card_type, card_hash, card_id)
        self.storage.put(key, json.dumps(data).encode("utf-8"))
        return key

    def _names(self, prefix):
        return [n for n in self.storage.list_children(prefix + "/") if not n.endswith("/")]

    def has_any(self):
        return bool(self._names(self._task_prefix + "/cards") or self._names(self._old_prefix + "/cards"))

    def list_cards(self, card_type=None, card_hash=None, card_id=None):
        """[(CardInfo, key)] of the task's cards that match, sorted by file name."""
        prefix = self._task_prefix + "/cards"
        names = self._names(prefix)
        if not names:
            prefix = self._old_prefix + "/cards"
            names = self._names(prefix)
        out = []
        for name in sorted(names):
            info = info_from_name(name)
            if info is not None and matches(info, card_type, card_hash, card_id):
                out.append((info, "%s/%s" % (prefix, name)))
        return out

    def find_data(self, card_type, card_hash, card_id=None):
        """The runtime data of one card (parsed JSON), or None."""
        prefix = self._task_prefix + "/runtime"
        for name in sorted(self._names(prefix)):
            info = info_from_name(name, DATA_SUFFIX)
            if info is not None and matches(info, card_type, card_hash, card_id):
                raw = self.storage.get("%s/%s" % (prefix, name))
                return None if raw is None else json.loads(raw.decode("utf-8"))
        return None

    def read(self, key):
        raw = self.storage.get(key)
        return None if raw is None else raw.decode("utf-8")
