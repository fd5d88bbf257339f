"""Reading a task's cards: `get_cards(task_or_pathspec, id=, type=, follow_resumed=)`.

Cards are found in the store the task itself was read from (its datastore root plus
`mf.cards`), so cards made by Metaflow and by Flowlens read the same way. A task that
`resume` cloned has no cards of its own: with follow_resumed (the default) its origin
task's cards are read, as Metaflow does. Contents load lazily, on `get()` / `.html`.
"""

import os
import sys
import tempfile
import uuid

from .store import CardStore


class Card(object):
    """One card: `.type`, `.id`, `.hash`, `.path`, `.html` (or `get()`), `get_data()`, `view()`."""

    def __init__(self, store, info, key, origin_pathspec=None):
        self._store = store
        self._key = key
        self._html = None
        self.type = info.type
        self.hash = info.hash
        self._card_id = info.id
        self.filename = info.filename
        self.from_resumed = origin_pathspec is not None
        self.origin_pathspec = origin_pathspec
        self._temp_file = None

    @property
    def id(self):
        return self._card_id

    @property
    def path(self):
        """Where the card is stored: a file path, or an s3:// URL."""
        storage = self._store.storage
        if storage.kind == "local":
            return os.path.join(storage.root, *self._key.split("/"))
        return "%s/%s" % (storage.root.rstrip("/"), self._key)

    def get(self):
        """The card's HTML."""
        if self._html is None:
            self._html = self._store.read(self._key) or ""
        return self._html

    html = property(get)

    def get_data(self):
        """The card's latest runtime data (live cards), or None."""
        return self._store.find_data(self.type, self.hash, self._card_id)

    def view(self):
        """Opens the card in the default web browser; returns the local file it opened (or could not)."""
        import webbrowser

        self._temp_file = tempfile.NamedTemporaryFile(suffix=".html", delete=False)
        self._temp_file.write(self.get().encode("utf-8"))
        self._temp_file.close()
        path = os.path.abspath(self._temp_file.name)
        if not webbrowser.open("file://" + path):
            sys.stderr.write("No web browser could be started: the card is in %s\n" % path)
        return path

    def _repr_html_(self):
        # A notebook shows the page in an iframe of its own, so the card's script and style stay inside it.
        import html as _html

        return "<iframe srcdoc=\"%s\" style=\"width:100%%;height:600px;border:0\" data-card-id=\"%s\"></iframe>" % (
            _html.escape(self.get(), quote=True), uuid.uuid4().hex)

    def __str__(self):
        return "<Card at '%s'>" % self.path

    __repr__ = __str__


class CardContainer(object):
    """The cards get_cards found: a list-like (len, index, iteration) that shows them in a notebook."""

    def __init__(self, cards, pathspec, origin_pathspec=None):
        self._cards = list(cards)
        self.pathspec = pathspec
        self.from_resumed = origin_pathspec is not None
        self.origin_pathspec = origin_pathspec

    def __len__(self):
        return len(self._cards)

    def __iter__(self):
        return iter(self._cards)

    def __getitem__(self, index):
        return self._cards[index]

    def _repr_html_(self):
        import html as _html

        return "\n".join("<h3>Card of type %s</h3>%s" % (_html.escape(c.type), c._repr_html_()) for c in self._cards)


def resolve_task(task):
    """A client Task from a Task or a `Flow/run/step/task` pathspec (any namespace, as Metaflow)."""
    from ..client import Task
    from metaflow.plugins.cards.exception import IncorrectArgumentException, IncorrectPathspecException

    if isinstance(task, str):
        if len(task.split("/")) != 4:
            raise IncorrectPathspecException(task)
        return Task(task, _namespace_check=False)
    if not isinstance(task, Task):
        raise IncorrectArgumentException(type(task))
    return task


def card_store_of(task, follow_resumed=True):
    """(CardStore, origin pathspec or None) holding the cards of `task` (a client Task)."""
    from ..client import Task

    origin = task.origin_pathspec if follow_resumed else None
    if origin:
        task = Task(origin, _namespace_check=False)
    return CardStore(task._layout.store._storage, task.pathspec), origin


def find_cards(task, card_id=None, card_type=None, card_hash=None, follow_resumed=True):
    """(cards, pathspec of the task they belong to, origin); raises CardNotPresentException when the task has none."""
    from metaflow.plugins.cards.exception import CardNotPresentException

    store, origin = card_store_of(task, follow_resumed)
    if not store.has_any():
        raise CardNotPresentException(store.pathspec, card_type=card_type, card_hash=card_hash, card_id=card_id)
    found = [Card(store, info, key, origin) for info, key in store.list_cards(card_type, card_hash, card_id)]
    return found, store.pathspec, origin


def get_cards(task, id=None, type=None, follow_resumed=True):
    """The cards of a task (a Task or a pathspec), filtered by `id` and `type`."""
    cards, pathspec, origin = find_cards(resolve_task(task), card_id=id, card_type=type, follow_resumed=follow_resumed)
    return CardContainer(cards, pathspec, origin)
