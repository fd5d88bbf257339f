"""Card types and components that Metaflow ships for its own test suite.

Flows and tests import them as `metaflow.plugins.cards.card_modules.test_cards`. Each one
does one small observable thing (print the task's pathspec, join its components, raise,
sleep) so a test can check the card machinery end to end.
"""

import hashlib
import json
import random
import string
import time

from .base import MetaflowCard, MetaflowCardComponent

SEPARATOR = "$&#!!@*"


class TestStringComponent(MetaflowCardComponent):
    REALTIME_UPDATABLE = True

    def __init__(self, text):
        self._text = text

    def render(self):
        return str(self._text)

    def update(self, text):
        self._text = text


class TestJSONComponent(MetaflowCardComponent):
    REALTIME_UPDATABLE = True

    def __init__(self, data):
        self._data = data

    def render(self):
        return self._data

    def update(self, data):
        self._data = data


class TestPathSpecCard(MetaflowCard):
    """The task's pathspec and a random suffix, so two cards of a task differ."""

    type = "test_pathspec_card"

    def render(self, task):
        return "%s %s" % (task.pathspec, "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(6)))


class _Joined(MetaflowCard):
    """The rendered components, joined by SEPARATOR."""

    separator = SEPARATOR

    def __init__(self, components=None, **kwargs):
        self._components = list(components or [])

    def render(self, task):
        return self.separator.join(str(c) for c in self._components)


class TestEditableCard(_Joined):
    type = "test_editable_card"
    ALLOW_USER_COMPONENTS = True


class TestEditableCard2(_Joined):
    type = "test_editable_card_2"
    ALLOW_USER_COMPONENTS = True


class TestNonEditableCard(_Joined):
    type = "test_non_editable_card"


class TestMockCard(MetaflowCard):
    """The value of the artifact named by options["key"]."""

    type = "test_mock_card"

    def __init__(self, options=None, **kwargs):
        self._key = (options or {}).get("key", "dummy_key")

    def render(self, task):
        return "%s" % task[self._key].data


class TestErrorCard(MetaflowCard):
    type = "test_error_card"

    def render(self, task):
        raise Exception("Unknown Things Happened")


class TestTimeoutCard(MetaflowCard):
    """Sleeps options["timeout"] seconds (default 10) before rendering the pathspec."""

    type = "test_timeout_card"

    def __init__(self, options=None, **kwargs):
        self._timeout = (options or {}).get("timeout", 10)

    def render(self, task):
        time.sleep(self._timeout)
        return "%s" % task.pathspec


_REFRESH_PAGE = """
<html>
<script>
var METAFLOW_RELOAD_TOKEN = "[METAFLOW_RELOAD_TOKEN]"

window.metaflow_card_update = function(data) {
    document.querySelector("h1").innerHTML = JSON.stringify(data);
}
</script>
<h1>[PATHSPEC]</h1>
<h1>[REPLACE_CONTENT_HERE]</h1>
</html>
"""


def _refresh_page(task, content):
    return _REFRESH_PAGE.replace("[REPLACE_CONTENT_HERE]", json.dumps(content)).replace("[PATHSPEC]", task.pathspec)


class TestRefreshCard(MetaflowCard):
    """Shows the data last given to `current.card.refresh(data)`."""

    type = "test_refresh_card"
    RUNTIME_UPDATABLE = True
    ALLOW_USER_COMPONENTS = True
    RELOAD_POLICY = MetaflowCard.RELOAD_POLICY_ALWAYS

    def render(self, task):
        return _refresh_page(task, (self.runtime_data or {}).get("user"))

    def render_runtime(self, task, data):
        return _refresh_page(task, data["user"])

    def refresh(self, task, data):
        return data


def _components_digest(components):
    text = ",".join("".join(x) for v in components.values() for x in v)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TestRefreshComponentCard(MetaflowCard):
    """Shows its components; refreshes carry the realtime components' new values."""

    type = "test_component_refresh_card"
    RUNTIME_UPDATABLE = True
    ALLOW_USER_COMPONENTS = True
    RELOAD_POLICY = MetaflowCard.RELOAD_POLICY_ONCHANGE

    def __init__(self, components=None, **kwargs):
        self._components = list(components or [])

    def render(self, task):
        return _refresh_page(task, self._components)

    def render_runtime(self, task, data):
        return self.render(task)

    def refresh(self, task, data):
        return data["components"]

    def reload_content_token(self, task, data):
        if task.finished:
            return "final"
        return "runtime-%s" % _components_digest(data["components"])


class TestImageCard(MetaflowCard):
    """A one-pixel PNG as a data: URI."""

    type = "test_image_card"
    _PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABRDE8UwAAAABJRU5ErkJggg=="

    def render(self, task):
        return "<html><img src='data:image/png;base64,%s' /></html>" % self._PNG


TEST_CARDS = [
    TestErrorCard, TestTimeoutCard, TestMockCard, TestPathSpecCard, TestEditableCard, TestEditableCard2,
    TestNonEditableCard, TestRefreshCard, TestRefreshComponentCard, TestImageCard,
]
