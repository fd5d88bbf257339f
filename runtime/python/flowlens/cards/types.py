"""The card types Flowlens renders itself: default, blank, html, taskspec_card and error.

default and blank write Flowlens's card page (page.py): the components as JSON plus the
bundled renderer. html writes the HTML held by one of the task's artifacts, unchanged.
"""

import traceback

from .base import MetaflowCard
from .page import error_components, page_data, render_page


def task_metadata(task, final):
    """What the default card says about the task itself."""
    out = {"pathspec": task.pathspec, "final": bool(final)}
    for name in ("created_at", "finished_at"):
        try:
            value = getattr(task, name)
        except Exception:
            value = None
        out[name] = value.isoformat() if value is not None else None
    try:
        out["attempt"] = task.current_attempt
        out["tags"] = sorted(task.tags)
    except Exception:
        pass
    return out


def task_artifacts(task):
    """{name: value} of the task's artifacts a reader looks at (not the runtime's own)."""
    out = {}
    for artifact in task:
        name = artifact.id
        if name.startswith("_") or name == "name":
            continue
        try:
            out[name] = artifact.data
        except Exception as e:  # an artifact that cannot be loaded here still shows, as its error
            out[name] = "<could not load: %s>" % e
    return out


class _PageCard(MetaflowCard):
    """A card written as Flowlens's page, from component dicts."""

    ALLOW_USER_COMPONENTS = True
    RUNTIME_UPDATABLE = True
    RELOAD_POLICY = MetaflowCard.RELOAD_POLICY_ONCHANGE
    # The page itself carries the components, so every due refresh writes it again (it is cheap).
    RENDER_EVERY_REFRESH = True

    def __init__(self, options=None, components=None, graph=None, flow=None, card_id=None, graph_info=None, **kwargs):
        self._options = dict(options or {})
        self._components = list(components or [])
        self._graph = graph_info if graph_info is not None else graph
        self._card_id = card_id

    def _content(self, task, final):
        return list(self._components)

    def _title(self, task):
        return self._options.get("title") or task.pathspec

    def page(self, task, components, final):
        return render_page(page_data(self.type, self._card_id, task.pathspec, self._title(task), components, final))

    def render(self, task):
        return self.page(task, self._content(task, True), True)

    def render_runtime(self, task, data):
        return self.page(task, self._content(task, False), False)

    def refresh(self, task, data):
        return data["components"]

    def reload_content_token(self, task, data):
        if task.finished:
            return "final"
        return "runtime-%s" % data["component_update_ts"]


class DefaultCard(_PageCard):
    """The task at a glance: its components, then every artifact, its metadata and the DAG."""

    type = "default"

    def _content(self, task, final):
        from .components.default_card import build_default_card

        artifacts = task_artifacts(task) if final else {}
        return self._components + list(build_default_card(task.pathspec, list(artifacts.items()), task_metadata(task, final), self._graph))


class BlankCard(_PageCard):
    """Only the components the step added."""

    type = "blank"


class HtmlCard(MetaflowCard):
    """The HTML held by the artifact named by options["attribute"] (default `html`), as is."""

    type = "html"

    def __init__(self, options=None, **kwargs):
        self._attribute = (options or {}).get("attribute", "html")

    def render(self, task):
        if self._attribute not in task:
            raise KeyError("the html card shows the artifact *%s*, which task %s does not have" % (self._attribute, task.pathspec))
        return str(task[self._attribute].data)


class TaskSpecCard(MetaflowCard):
    """The task's pathspec, as text."""

    type = "taskspec_card"

    def render(self, task):
        return "%s" % task.pathspec


class ErrorCard(MetaflowCard):
    """What is stored when a card could not be rendered: the reason and its traceback."""

    type = "error"

    def __init__(self, card_type=None, card_id=None, **kwargs):
        self._card_type = card_type
        self._card_id = card_id

    def render(self, task, stack_trace=None, final=True):
        headline = "The %s card could not be rendered" % (self._card_type or "")
        data = page_data(self._card_type or "error", self._card_id, task.pathspec, task.pathspec, error_components(headline, stack_trace), final)
        return render_page(data)


def describe_error(e):
    return "".join(traceback.format_exception(type(e), e, e.__traceback__))


BUILTIN_CARDS = [DefaultCard, BlankCard, HtmlCard, TaskSpecCard, ErrorCard]
