"""Text components: Markdown, Title, Subtitle, PythonCode, Error, and the Section and Page containers."""

import inspect
import textwrap
import traceback

from ._base import UserComponent, render_child
from ._safe import error_dict, safe_repr, safe_text


class Markdown(UserComponent):
    """Markdown text; an indented triple-quoted string is dedented first. `update(text)` replaces it."""

    type = "markdown"
    REALTIME_UPDATABLE = True

    def __init__(self, text=None):
        self._text = self._dedent(text)

    @staticmethod
    def _dedent(text):
        return None if text is None else textwrap.dedent(str(text))

    def update(self, text=None):
        self._text = self._dedent(text)
        self._changed()

    def _render(self):
        return {"type": self.type, "source": safe_text(self._text or "")}


class _Heading(UserComponent):
    REALTIME_UPDATABLE = True

    def __init__(self, text=None):
        self._text = text

    def update(self, text=None):
        self._text = text
        self._changed()

    def _render(self):
        return {"type": self.type, "text": safe_text("" if self._text is None else self._text)}


class Title(_Heading):
    """A card's title line."""

    type = "title"


class Subtitle(_Heading):
    """A smaller heading line."""

    type = "subtitle"


def render_contents(contents):
    """Rendered children of a container: components rendered, dicts and strings kept, others refused visibly."""
    out = []
    for item in contents or []:
        child = render_child(item)
        if isinstance(child, (dict, str)):
            out.append(child)
        else:
            out.append(error_dict("A %s is not a card component: %s" % (type(item).__name__, safe_repr(item, 200))))
    return out


class Section(UserComponent):
    """A titled group of components, laid out in `columns` columns when given."""

    type = "section"

    def __init__(self, title=None, subtitle=None, columns=None, contents=None):
        self._title = title
        self._subtitle = subtitle
        self._columns = columns
        self._contents = list(contents or [])

    def _render(self):
        out: dict = {"type": self.type}
        if self._title is not None:
            out["title"] = safe_text(self._title, 1000)
        if self._subtitle is not None:
            out["subtitle"] = safe_text(self._subtitle, 1000)
        out["contents"] = render_contents(self._contents)
        if self._columns is not None:
            out["columns"] = int(self._columns)
        return out


class Page(UserComponent):
    """A page of components under a title (the default card is one page)."""

    type = "page"

    def __init__(self, title=None, subtitle=None, contents=None):
        self._title = title
        self._subtitle = subtitle
        self._contents = list(contents or [])

    def _render(self):
        out: dict = {"type": self.type, "title": safe_text("" if self._title is None else self._title, 1000)}
        if self._subtitle is not None:
            out["subtitle"] = safe_text(self._subtitle, 1000)
        out["contents"] = render_contents(self._contents)
        return out


# The name Metaflow's `metaflow.cards` exports for the same component.
PageComponent = Page


class PythonCode(UserComponent):
    """Python source shown highlighted: a function's source (`code_func`) or a string (`code_string`)."""

    type = "pythonCode"

    def __init__(self, code_func=None, code_string=None):
        self._problem = None
        self._code = code_string
        if code_func is not None:
            try:
                self._code = inspect.getsource(code_func)
            except (OSError, TypeError) as e:
                self._problem = "The source of %s cannot be read: %s" % (safe_repr(code_func, 200), e)

    def _render(self):
        if self._problem is not None:
            return error_dict("`PythonCode` cannot show the code", self._problem)
        if self._code is None:
            return error_dict("`PythonCode` needs a `code_func` or a `code_string` argument", "None was given for both.")
        return {"type": self.type, "data": safe_text(self._code)}


class Error(UserComponent):
    """An exception shown as an error block: the title, the exception and its traceback when it has one."""

    type = "log"

    def __init__(self, exception, title=None):
        self._exception = exception
        self._title = title

    def _render(self):
        parts = [] if self._title is None else [str(self._title)]
        exc = self._exception
        parts.append(safe_repr(exc))
        tb = getattr(exc, "__traceback__", None)
        if isinstance(exc, BaseException) and tb is not None:
            parts.append("".join(traceback.format_exception(type(exc), exc, tb)))
        return {"type": self.type, "data": safe_text("\n\n".join(parts))}
