"""Card viewers and data (Artifact, JSONViewer, YAMLViewer, EventsTimeline), JSON safety of odd
and huge values, and failures rendered as error blocks."""

import json

import numpy as np
import pytest

from card_helpers import BrokenRepr, rendered
from flowlens.cards.components import (
    Artifact,
    EventsTimeline,
    JSONViewer,
    Markdown,
    MetaflowCardComponent,
    Table,
    UserComponent,
    VegaChart,
    YAMLViewer,
)
from flowlens.cards.components._safe import ITEM_LIMIT, TEXT_LIMIT, json_safe


def test_artifact_is_a_pretty_bounded_repr_or_json_data():
    out = rendered(Artifact({"a": [1, 2]}, name="thing"))
    assert out["type"] == "artifacts" and out["data"] == [{"name": "thing", "type": "dict", "data": "{'a': [1, 2]}"}]
    long = rendered(Artifact(list(range(10_000))))["data"][0]
    assert long["name"] is None and long["data"].endswith("...]") and len(long["data"]) < 1000
    raw = rendered(Artifact({"x": {1, 2}, "n": float("inf")}, compressed=False))["data"][0]["data"]
    assert raw == {"x": [1, 2], "n": "inf"}
    art = Artifact(1)
    art.update(2)
    assert rendered(art)["data"][0]["data"] == "2"
    arr = rendered(Artifact(np.arange(6).reshape(2, 3)))["data"][0]
    assert arr["type"] == "numpy.ndarray" and arr["data"].startswith("array of shape (2, 3), dtype int64\narray([[0, 1, 2],")


def test_a_broken_repr_is_named_not_raised():
    assert rendered(Artifact(BrokenRepr()))["data"][0]["data"].startswith("<BrokenRepr instance at 0x")
    assert rendered(JSONViewer({"x": BrokenRepr()}))["type"] == "jsonViewer"


def test_json_viewer_indents_data_and_json_strings():
    view = JSONViewer({"b": [1, 2], "s": {3}}, title="Config", max_height="20rem", collapsible=False)
    out = rendered(view)
    assert out["type"] == "jsonViewer" and json.loads(out["json_string"]) == {"b": [1, 2], "s": [3]}
    assert (out["title"], out["max_height"], out["collapsible"], out["show_copy_button"]) == ("Config", "20rem", False, True)
    view.update('{"a":1}')
    assert rendered(view)["json_string"] == '{\n  "a": 1\n}' and view.version == 1
    assert rendered(JSONViewer("plain text"))["json_string"] == '"plain text"'
    assert rendered(JSONViewer(None))["title"] == "JSON"


def test_yaml_viewer_writes_block_yaml_without_pyyaml():
    data = {
        "database": {"host": "localhost", "port": 5432, "ratio": 0.5, "debug": False, "password": None},
        "features": ["auth", {"name": "logging", "levels": ["info", "warn"]}, []],
        "quoted": ["yes", "123", "2024-01-01", "a: b", "# c", "", " pad", "it's", "multi\nline"],
        "empty": {},
    }
    out = rendered(YAMLViewer(data))
    assert out["type"] == "yamlViewer" and out["title"] == "YAML"
    assert out["yaml_string"] == (
        "database:\n"
        "  host: localhost\n"
        "  port: 5432\n"
        "  ratio: 0.5\n"
        "  debug: false\n"
        "  password: null\n"
        "features:\n"
        "- auth\n"
        "- name: logging\n"
        "  levels:\n"
        "  - info\n"
        "  - warn\n"
        "- []\n"
        "quoted:\n"
        "- 'yes'\n"
        "- '123'\n"
        "- '2024-01-01'\n"
        "- 'a: b'\n"
        "- '# c'\n"
        "- ''\n"
        "- ' pad'\n"
        "- it's\n"
        '- "multi\\nline"\n'
        "empty: {}\n"
    )
    assert rendered(YAMLViewer([[1, 2], [3]]))["yaml_string"] == "- - 1\n  - 2\n- - 3\n"
    assert rendered(YAMLViewer('{"k": [1]}'))["yaml_string"] == "k:\n- 1\n"
    assert rendered(YAMLViewer("already: yaml"))["yaml_string"] == "already: yaml"
    view = YAMLViewer({"a": float("nan")})
    assert rendered(view)["yaml_string"] == "a: .nan\n"
    view.update({"b": float("-inf")})
    assert rendered(view)["yaml_string"] == "b: -.inf\n"


def test_events_timeline_newest_first_trimmed_with_stats_and_payloads():
    events = EventsTimeline(title="Steps", max_events=2)
    events.update({"step": 1, "timestamp": 10.0})
    events.update({"step": 2}, style_theme="success", priority="high", payloads={"note": Markdown("**ok**")})
    events.append({"step": 3, "value": float("nan")}, finished=True)
    out = rendered(events)
    assert out["type"] == "eventsTimeline" and out["title"] == "Steps"
    assert [e["metadata"]["step"] for e in out["events"]] == [3, 2]
    assert out["events"][0]["metadata"]["value"] == "nan" and isinstance(out["events"][0]["metadata"]["timestamp"], float)
    second = out["events"][1]
    assert second["style_theme"] == "success" and second["priority"] == "high" and second["payloads"]["note"]["source"] == "**ok**"
    assert second["event_id"] == "event_1"
    assert out["stats"]["total_events"] == 3 and out["stats"]["displayed_events"] == 2 and out["stats"]["finished"] is True
    assert out["config"] == {"show_stats": True, "show_relative_time": True, "max_events": 2}
    assert events.version == 3
    with pytest.raises(TypeError):
        events.update({"x": 1}, payloads={"chart": VegaChart({})})
    with pytest.raises(ValueError):
        events.update({"x": 1}, style_theme="bad theme")


def test_huge_values_are_cut_with_a_visible_note():
    md = rendered(Markdown("x" * (TEXT_LIMIT + 50)))["source"]
    assert md.endswith("[truncated: 50 more characters not shown]") and len(md) < TEXT_LIMIT + 100
    cell = rendered(Table([["y" * (TEXT_LIMIT + 1)]]))["data"][0][0]
    assert cell.endswith("[truncated: 1 more characters not shown]")
    items = json_safe(list(range(ITEM_LIMIT + 5)))
    assert len(items) == ITEM_LIMIT + 1 and items[-1] == "… [truncated: 5 more items not shown]"
    viewer = rendered(JSONViewer({"blob": "z" * (TEXT_LIMIT * 2)}))["json_string"]
    assert "more characters not shown" in viewer and len(viewer) < TEXT_LIMIT + 200


class Exploding(UserComponent):
    def _render(self):
        raise RuntimeError("boom")


class Loose(MetaflowCardComponent):
    def render(self):
        return {"type": "text", "text": "t", "odd": {float("nan"), 1}}


class NotADict(MetaflowCardComponent):
    def render(self):
        return 42


def test_a_failing_component_becomes_an_error_block_and_its_neighbours_render():
    out = rendered(Exploding())
    assert out["type"] == "log" and out["id"].startswith("exploding_")
    assert "Render failed of component named `Exploding`: RuntimeError: boom" in out["data"] and "Traceback" in out["data"]
    table = rendered(Table([[Exploding(), Loose(), NotADict(), "fine"]]))
    bad, loose, not_dict, fine = table["data"][0]
    assert bad["type"] == "log" and "boom" in bad["data"]
    assert loose["odd"] in (["nan", 1], [1, "nan"])
    assert not_dict["type"] == "log" and "did not return a dict or a string" in not_dict["data"]
    assert fine == "fine"
