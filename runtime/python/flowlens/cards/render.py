"""Rendering a task's cards and storing them, while the task runs and once it is done.

The card type's code runs in a thread so that the @card `timeout` can be kept (a render that
runs over is abandoned; its thread dies with the task process). Whatever goes wrong in a
card (unknown type, bad options, an exception, a timeout, nothing returned) never fails the
task: the card page shows the error, or with `save_errors=False` no card is stored. The
`task` a card type receives reads the attempt being rendered, artifacts included, before the
runtime marks it done.
"""

import inspect
import sys
import threading

from ..client._layout import Layout
from ..client._storage import Store
from ..client._task import Task
from .componentstore import warn
from .registry import card_class, missing_type_message
from .store import NAME_PATTERN, CardStore
from .types import ErrorCard, describe_error


class RenderTask(Task):
    """A client Task that reads one attempt of a task that has not been marked done yet."""

    def _setup(self, attempt, final):
        self._fl_attempt = attempt
        self._fl_final = final
        return self

    def _read_attempt(self):
        return self._fl_attempt

    @property
    def finished(self):
        return self._fl_final


class _Timeout(Exception):
    pass


def _call_with_timeout(func, seconds):
    """func()'s value; raises what it raised, or _Timeout after `seconds` (None or 0: no limit)."""
    box = {}

    def run():
        try:
            box["value"] = func()
        except BaseException as e:  # handed to the caller
            box["error"] = e

    thread = threading.Thread(target=run, name="card-render", daemon=True)
    thread.start()
    thread.join(float(seconds) if seconds else None)
    if thread.is_alive():
        raise _Timeout()
    if "error" in box:
        raise box["error"]
    return box.get("value")


class Renderer(object):
    """Renders and stores the cards of one running task."""

    def __init__(self, storage, pathspec, attempt, graph, flow):
        """`graph` is the flow's graph as the runtime describes it ({"steps": {...}, ...})."""
        self.store = CardStore(storage, pathspec)
        self._storage = storage
        self._pathspec = pathspec
        self._attempt = attempt
        self._graph = graph
        self._flow = flow
        self._tasks = {}

    def _task(self, final):
        # One view per phase: while the step runs the attempt's stored state does not change, so
        # live refreshes reuse it (no store reads per refresh); the final view is made once, after the artifacts are stored.
        key = "final" if final else "live"
        if key not in self._tasks:
            layout = Layout(Store(self._storage))
            self._tasks[key] = RenderTask(self._pathspec, attempt=self._attempt, _namespace_check=False, _layout=layout)._setup(self._attempt, final)
        return self._tasks[key]

    def _instance(self, meta, components):
        cls = card_class(meta["type"])
        if cls is None:
            raise LookupError(missing_type_message(meta["type"]))
        graph = self._graph if isinstance(self._graph, dict) else {}
        kwargs = {"components": components, "graph": graph.get("steps"), "flow": self._flow}
        if meta["options"]:
            kwargs["options"] = meta["options"]
        try:
            params = inspect.signature(cls).parameters
            if "card_id" in params:
                kwargs["card_id"] = meta["id"]
            if "graph_info" in params:
                kwargs["graph_info"] = graph
        except (TypeError, ValueError):
            pass
        try:
            return cls(**kwargs)
        except TypeError as e:
            raise TypeError("card type %s does not take these arguments (options=%r): %s" % (meta["type"], meta["options"], e)) from e

    def _save_type(self, meta):
        t = meta["type"]
        return t if isinstance(t, str) and NAME_PATTERN.match(t) else "error"

    def _error_page(self, meta, task, detail, final):
        return ErrorCard(card_type=self._save_type(meta), card_id=meta["id"]).render(task, stack_trace=detail, final=final)

    def _render(self, manager, final):
        """(html, data): the card's page (or its error page, or None) and its runtime data."""
        meta = manager.meta
        timeout = meta["attributes"].get("timeout")
        task = self._task(final)
        data = manager.latest_data(final=final, mode="render" if final else "render_runtime")
        try:
            card = self._instance(meta, manager.serialized())
            card.runtime_data = data
            if final:
                html = _call_with_timeout(lambda: card.render(task), timeout)
            else:
                html = _call_with_timeout(lambda: card.render_runtime(task, data), timeout)
            if html is None:
                raise ValueError("card type %s rendered nothing" % meta["type"])
            html = str(html)
            token = _call_with_timeout(lambda: self._reload_token(card, task, data), timeout)
            return html.replace(card.RELOAD_POLICY_TOKEN, str(token)), card
        except _Timeout:
            detail = "The card took longer than its timeout of %s seconds to render. Give @card a larger `timeout`." % timeout
        except Exception as e:
            detail = describe_error(e)
        warn("card %s%s of task %s could not be rendered: %s" % (meta["type"], "" if meta["id"] is None else " (id %s)" % meta["id"], self._pathspec, detail.strip().splitlines()[-1]))
        if not meta["attributes"].get("save_errors", True):
            return None, None
        return self._error_page(meta, task, detail, final), None

    @staticmethod
    def _reload_token(card, task, data):
        if data.get("render_seq") == "final":
            return "final"
        policy = getattr(card, "RELOAD_POLICY", "never")
        if policy == card.RELOAD_POLICY_ALWAYS:
            return "render-seq-%s" % data["render_seq"]
        if policy == card.RELOAD_POLICY_NEVER:
            return "never"
        return str(card.reload_content_token(task, data))

    def _store(self, manager, html):
        meta = manager.meta
        self.store.save_card(self._save_type(meta), meta["uuid"], html, card_id=meta["id"])

    def _store_data(self, manager, card, final):
        """Writes the card's runtime data file (what its `refresh` makes of the latest data)."""
        meta = manager.meta
        if card is None or not meta["runtime"]:
            return
        data = manager.latest_data(final=final, mode="refresh")
        try:
            value = _call_with_timeout(lambda: card.refresh(self._task(final), data), meta["attributes"].get("timeout"))
        except Exception:  # _Timeout included: a refresh that fails stores nothing, as Metaflow
            return
        if value is not None:
            self.store.save_data(self._save_type(meta), meta["uuid"], {"data": value, "reload_token": self._reload_token(card, self._task(final), data), "final": final}, card_id=meta["id"])

    def runtime(self, manager):
        """A live render: the page (final=false) under the card's final name, then its data."""
        try:
            html, card = self._render(manager, False)
            if html is not None:
                self._store(manager, html)
            self._store_data(manager, card, False)
        except Exception as e:  # storing a live card must never stop the step
            warn("the live card of task %s could not be written: %s" % (self._pathspec, e))

    def runtime_data(self, manager):
        """A light refresh: only the runtime data file, from the card's last render."""
        try:
            card = self._instance(manager.meta, manager.serialized())
            self._store_data(manager, card, False)
        except Exception as e:
            warn("the live data of a card of task %s could not be written: %s" % (self._pathspec, e))

    def final(self, managers):
        """Renders and stores every card of the task once its artifacts are stored."""
        for manager in managers:
            try:
                html, card = self._render(manager, True)
                if html is not None:
                    self._store(manager, html)
                self._store_data(manager, card, True)
            except Exception as e:
                warn("card %s of task %s could not be stored: %s" % (manager.meta["type"], self._pathspec, e))
        sys.stderr.flush()
