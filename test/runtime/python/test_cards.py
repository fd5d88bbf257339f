"""Cards in the task harness: which card `current.card` reaches, timeouts, save_errors, and
card types from metaflow_extensions packages (a broken one is left out, and named)."""

import os
import sys
import textwrap

import pytest

from flowlens.cards import registry
from flowlens.cards.collector import CardCollector, card_metas
from flowlens.cards.store import CardStore
from flowlens.cards.testcards import TestStringComponent as Text
from flowlens._storage import LocalStorage


def collector(*attrs):
    full = [dict({"type": "default", "id": None, "customize": False, "refresh_interval": 5, "options": {}}, **a) for a in attrs]
    return CardCollector(card_metas(full, registry.card_class))


def texts(manager):
    return [c.render() for c in manager.components]


def test_append_reaches_the_only_editable_card_even_beside_a_non_editable_one():
    cards = collector({"type": "taskspec_card"}, {"type": "test_editable_card"})
    cards.append(Text("a"))
    assert texts(cards.get(type="test_editable_card")[0]) == ["a"]
    assert len(cards.get(type="taskspec_card")[0].components) == 0


def test_two_editable_cards_with_ids_append_goes_nowhere_but_ids_work(capsys, monkeypatch):
    monkeypatch.setenv("METAFLOW_CARD_NO_WARNING", "True")
    cards = collector({"type": "test_editable_card", "id": "xyz"}, {"type": "test_editable_card", "id": "abc"})
    cards.append(Text("lost"))
    cards["abc"].append(Text("kept"))
    assert texts(cards["abc"]) == ["kept"]
    assert texts(cards["xyz"]) == []
    assert "cannot tell which of the step's editable cards" in capsys.readouterr().err


def test_customize_wins_and_the_warning_is_added_to_the_cards_without_no_warning(monkeypatch):
    monkeypatch.delenv("METAFLOW_CARD_NO_WARNING", raising=False)
    cards = collector({"type": "test_editable_card", "customize": True}, {"type": "test_editable_card", "id": "abc"}, {"type": "test_editable_card_2"})
    cards.append(Text("7"))
    custom = [m for m in cards.managers() if m.meta["customize"]][0]
    assert texts(custom) == ["7"]
    cards["missing"].append(Text("nowhere"))  # a plain list: no error
    warned = [m for m in cards.managers() if m.meta["id"] == "abc"][0].serialized()
    assert len(warned) == 1 and warned[0]["title"] == "@card WARNING"


def test_without_an_editable_card_ids_do_not_reach_cards(capsys):
    cards = collector({"type": "test_non_editable_card", "id": "abc"})
    assert cards["abc"] == []
    cards.append(Text("x"))
    assert "is not an editable card" in capsys.readouterr().err


TIMEOUT_FLOW = '''
from metaflow import FlowSpec, step, card

class T(FlowSpec):
    @card(type="test_timeout_card", timeout=1, options={"timeout": 30})
    @card(type="test_error_card", save_errors=False)
    @card(type="no_such_type")
    @step
    def start(self):
        self.x = 1
        self.next(self.end)

    @step
    def end(self):
        pass
'''


def test_timeout_errors_and_unknown_types_leave_the_task_ok_and_show_in_the_cards(runner_for):
    r = runner_for(TIMEOUT_FLOW, "T")
    params = r.params()
    result, path = r.run("start", [params])
    assert result["ok"], result
    cards = CardStore(LocalStorage(r.root), "T/" + path).list_cards()
    by_type = {info.type: r.ds.storage.get(key).decode("utf-8") for info, key in cards}
    assert sorted(by_type) == ["no_such_type", "test_timeout_card"]  # save_errors=False stored nothing
    assert "longer than its timeout of 1 seconds" in by_type["test_timeout_card"]
    assert "No card type named" in by_type["no_such_type"]


@pytest.fixture
def extension_root(tmp_path, monkeypatch):
    """An installed metaflow_extensions org with a good and a broken card module."""
    cards = tmp_path / "metaflow_extensions" / "org_cards_test" / "plugins" / "cards"
    (cards / "good").mkdir(parents=True)
    (cards / "broken").mkdir()
    (cards / "good" / "__init__.py").write_text(textwrap.dedent('''
        from metaflow.cards import MetaflowCard

        class Good(MetaflowCard):
            type = "org_good_card"

            def render(self, task):
                return "good"

        CARDS = [Good]
    '''))
    (cards / "broken" / "__init__.py").write_text("raise RuntimeError('broken on purpose')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [n for n in sys.modules if n.startswith("metaflow_extensions")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(registry, "_cards", None)
    monkeypatch.setattr(registry, "_failures", [])
    yield tmp_path
    assert os.path.isdir(str(cards))


def test_extension_card_types_are_found_and_a_broken_module_is_named(extension_root):
    assert registry.card_class("org_good_card") is not None
    assert registry.card_class("test_editable_card") is not None
    message = registry.missing_type_message("org_missing")
    assert "metaflow_extensions.org_cards_test.plugins.cards.broken (RuntimeError: broken on purpose)" in message


def _data_block(html):
    start = html.index('id="flowlens-card-data">') + len('id="flowlens-card-data">')
    return html[start:html.index("</script>", start)]


def test_the_page_json_cannot_close_its_script_element_and_reads_back(monkeypatch, tmp_path):
    import json

    from flowlens.cards import page

    hostile = "</script><script>alert(1)</script> & \u2028\u2029 <!--"
    monkeypatch.setattr(page, "ASSETS", str(tmp_path))
    monkeypatch.setattr(page, "_assets_cache", {})
    data = page.page_data("blank", None, "F/1/start/2", "t", [{"type": "text", "text": hostile}], False)
    html = page.render_page(data)
    block = _data_block(html)
    assert "<" not in block and ">" not in block and "&" not in block and "\u2028" not in block
    assert json.loads(block)["components"][0]["text"] == hostile
    assert "the card renderer is missing" in html

    (tmp_path / "card-renderer.js").write_text("var s = '</script>';")
    (tmp_path / "card-renderer.css").write_text("main{color:red}")
    monkeypatch.setattr(page, "_assets_cache", {})
    html = page.render_page(data)
    assert "main{color:red}" in html and "var s = '<\\/script>';" in html
    assert "the card renderer is missing" not in html
    assert html.count("</script>") == 2  # the data block and the renderer, nothing closes early
