"""Card components with the standard library (and numpy): each component's JSON, its updates,
JSON safety of odd and huge values, failures rendered as error blocks, and the default card."""

import base64
import datetime
import json
import re
import struct
import zlib

import numpy as np
import pytest

from flowlens.cards import components as cc
from flowlens.cards.components import (
    Artifact,
    Error,
    EventsTimeline,
    Image,
    JSONViewer,
    Markdown,
    MetaflowCardComponent,
    Page,
    ProgressBar,
    PythonCode,
    Section,
    Subtitle,
    Table,
    Title,
    UserComponent,
    ValueBox,
    VegaChart,
    YAMLViewer,
)
from flowlens.cards.components._safe import ITEM_LIMIT, TEXT_LIMIT, json_safe
from flowlens.cards.components.default_card import build_default_card
from flowlens.cards.components.image import IMAGE_LIMIT


def rendered(component):
    out = component.render()
    json.dumps(out, allow_nan=False)  # every render is strict JSON
    return out


def png(width=2, height=1):
    """A real PNG made with zlib: what a user's image bytes look like."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


class Logger:
    def __init__(self):
        self.lines = []

    def __call__(self, msg, timestamp=True, bad=False):
        self.lines.append(msg)


def test_every_name_metaflow_cards_exports_is_here():
    for name in ["Markdown", "Table", "Image", "Artifact", "VegaChart", "ProgressBar", "ValueBox", "PythonCode", "Error", "JSONViewer", "YAMLViewer", "EventsTimeline"]:
        assert issubclass(getattr(cc, name), MetaflowCardComponent), name


def test_markdown_is_dedented_has_a_default_id_and_updates():
    md = Markdown("""
        # Title
        - item
    """)
    out = rendered(md)
    assert out["type"] == "markdown" and out["source"] == "\n# Title\n- item\n"
    assert re.fullmatch(r"markdown_[0-9a-f]{6}", out["id"]) and md.component_id == out["id"]
    assert md.version == 0
    md.update("**now**")
    assert rendered(md) == {"type": "markdown", "source": "**now**", "id": out["id"]} and md.version == 1


def test_a_given_id_is_kept_and_must_be_a_string():
    md = Markdown("x")
    md.component_id = "intro"
    assert rendered(md)["id"] == "intro"
    with pytest.raises(TypeError):
        md.component_id = 3


def test_title_subtitle_section_and_page():
    sec = Section(title="S", subtitle="sub", columns=2, contents=[Title("T"), "plain", {"type": "text", "text": "t"}, object()])
    out = rendered(sec)
    assert out["type"] == "section" and out["title"] == "S" and out["subtitle"] == "sub" and out["columns"] == 2
    title, plain, text, bad = out["contents"]
    assert title["type"] == "title" and title["text"] == "T" and plain == "plain" and text == {"type": "text", "text": "t"}
    assert bad["type"] == "log" and "is not a card component" in bad["data"]
    sub = Subtitle("a")
    sub.update("b")
    assert rendered(sub)["text"] == "b" and rendered(sub)["type"] == "subtitle"
    page = rendered(Page(title="P", contents=[Markdown("m")]))
    assert page["type"] == "page" and page["title"] == "P" and page["contents"][0]["source"] == "m"


def test_table_renders_values_and_components_in_cells():
    bar = ProgressBar(max=10, value=3)
    table = Table([[1, "a", float("nan"), None, True], [Markdown("m"), bar, {"k": {1, 2}}, (1, 2), object()]], headers=["a", "b", "c", "d", "e"])
    out = rendered(table)
    assert out["type"] == "table" and out["columns"] == ["a", "b", "c", "d", "e"] and out["vertical"] is False
    assert out["data"][0] == [1, "a", "nan", None, True]
    md, pb, dct, tup, obj = out["data"][1]
    assert md["type"] == "markdown" and pb["type"] == "progressBar" and pb["value"] == 3
    assert dct == {"k": [1, 2]} and tup == [1, 2] and obj.startswith("<object object at")
    bar.update(7)
    assert rendered(table)["data"][1][1]["value"] == 7, "a component in a cell updates on its own"


def test_table_update_replaces_rows_and_headers_unless_disabled():
    table = Table([["x"]], headers=["h"])
    table.update(data=[["y"], ["z"]])
    assert rendered(table)["data"] == [["y"], ["z"]] and rendered(table)["columns"] == ["h"] and table.version == 1
    table.update(headers=["H"])
    assert rendered(table)["columns"] == ["H"]
    frozen = Table([["x"]], disable_updates=True)
    log = Logger()
    frozen._logger = log
    frozen.update(data=[["y"]])
    assert rendered(frozen)["data"] == [["x"]] and frozen.version == 0
    assert len(log.lines) == 1 and "update ignored" in log.lines[0]


def test_bad_table_input_is_an_error_block_and_non_frames_are_named():
    out = rendered(Table(data="not rows"))
    assert out["type"] == "log" and "`data` must be a list of rows" in out["data"]
    out = rendered(Table.from_dataframe([1, 2]))
    assert out["columns"] == ["Object type list not supported"]


def test_a_chart_in_a_table_fits_its_cell():
    out = rendered(Table([[VegaChart({"mark": "bar"})]]))
    spec = out["data"][0][0]["spec"]
    assert spec["autosize"] == "fit-x" and "width" not in spec


def test_image_from_png_bytes_is_a_data_uri_of_those_bytes():
    data = png()
    out = rendered(Image(data, "red"))
    assert out["type"] == "image" and out["label"] == "red"
    prefix = "data:image/png;base64,"
    assert out["src"].startswith(prefix) and base64.b64decode(out["src"][len(prefix) :]) == data


@pytest.mark.parametrize(
    "head,mime",
    [(b"\xff\xd8\xff\xe0rest", "image/jpeg"), (b"GIF89a....", "image/gif"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp")],
)
def test_image_bytes_of_other_web_formats(head, mime):
    assert rendered(Image(head))["src"].startswith("data:%s;base64," % mime)


def test_image_problems_are_error_blocks():
    assert "Bytes not parsable as image" in rendered(Image(b"not an image"))["data"]
    assert "cannot be `None`" in rendered(Image(None))["data"]
    assert "should be of type `bytes`" in rendered(Image("https://example.com/x.png"))["data"]
    assert "not supported" in rendered(Image(3.5))["data"]
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * IMAGE_LIMIT
    assert "Image too large" in rendered(Image(big))["data"]
    assert rendered(Image("data:image/png;base64,AAAA"))["src"] == "data:image/png;base64,AAAA"


def test_image_update_needs_updates_enabled():
    log = Logger()
    fixed = Image(png(1, 1))
    fixed._logger = log
    before = rendered(fixed)["src"]
    fixed.update(png(3, 3))
    assert rendered(fixed)["src"] == before and "disabled for realtime updates" in log.lines[0]
    live = Image(png(1, 1), "a", disable_updates=False)
    live.update(png(3, 3))
    out = rendered(live)
    assert base64.b64decode(out["src"].split(",", 1)[1]) == png(3, 3) and out["label"] == "a" and live.version == 1


class Figure:
    """Stands in for matplotlib.figure.Figure (matplotlib is not installed where these tests run)."""

    closed = False

    def savefig(self, buf, format):
        assert format == "png"
        buf.write(png(4, 2))


Figure.__module__ = "matplotlib.figure"


class Axes:
    def __init__(self, fig):
        self.fig = fig

    def get_figure(self):
        return self.fig


Axes.__module__ = "matplotlib.axes._axes"


def test_image_from_matplotlib_figure_or_axes_saves_a_png():
    for plot in (Figure(), Axes(Figure())):
        out = rendered(Image.from_matplotlib(plot, label="plot"))
        assert base64.b64decode(out["src"].split(",", 1)[1]) == png(4, 2) and out["label"] == "plot"
    assert "is not from `matplotlib`" in rendered(Image.from_matplotlib(object()))["data"]
    assert "should be of type PIL.Image.Image" in rendered(Image.from_pil_image(b"x"))["data"]


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


class BrokenRepr:
    def __repr__(self):
        raise RuntimeError("nope")


def test_a_broken_repr_is_named_not_raised():
    assert rendered(Artifact(BrokenRepr()))["data"][0]["data"].startswith("<BrokenRepr instance at 0x")
    assert rendered(JSONViewer({"x": BrokenRepr()}))["type"] == "jsonViewer"


def test_vega_chart_spec_altair_chart_and_update():
    spec = {"mark": "line", "encoding": {}}
    chart = VegaChart(spec)
    out = rendered(chart)
    assert out["type"] == "vegaChart" and out["spec"]["width"] == "container" and out["options"] == {"actions": False}
    assert "width" not in spec, "the user's spec is not changed"
    assert "options" not in rendered(VegaChart(spec, show_controls=True))
    chart.update({"mark": "bar", "width": 300})
    assert rendered(chart)["spec"] == {"mark": "bar", "width": 300} and chart.version == 1

    class Chart:
        def to_dict(self):
            return {"mark": "point"}

    Chart.__module__ = "altair.vegalite.v5.api"
    assert rendered(VegaChart(Chart()))["spec"]["mark"] == "point"
    assert rendered(VegaChart.from_altair_chart(Chart()))["spec"]["mark"] == "point"
    chart.update(Chart())
    assert rendered(chart)["spec"]["mark"] == "point"
    assert rendered(VegaChart("not a spec"))["type"] == "log"


def test_progress_bar_shape_and_update():
    bar = ProgressBar(max=50, label="Loading", value=5, unit="items", metadata="0.1/s")
    out = rendered(bar)
    assert {k: out[k] for k in ("type", "max", "value", "label", "unit", "details")} == {
        "type": "progressBar", "max": 50, "value": 5, "label": "Loading", "unit": "items", "details": "0.1/s"}
    bar.update(20, metadata="2/s", label="Still loading")
    out = rendered(bar)
    assert (out["value"], out["details"], out["label"]) == (20, "2/s", "Still loading") and bar.version == 1
    assert set(rendered(ProgressBar())) == {"type", "id", "max", "value"}


def test_value_box_shape_update_and_checks():
    box = ValueBox(title="Revenue", value="$1.2M", subtitle="Monthly", theme="success", change_indicator="Up 15%")
    out = rendered(box)
    assert {k: out[k] for k in ("type", "title", "value", "subtitle", "theme", "change_indicator")} == {
        "type": "valueBox", "title": "Revenue", "value": "$1.2M", "subtitle": "Monthly", "theme": "success", "change_indicator": "Up 15%"}
    box.update(value=42, change_indicator="Up 20%")
    out = rendered(box)
    assert (out["value"], out["change_indicator"], out["title"]) == (42, "Up 20%", "Revenue")
    with pytest.raises(ValueError):
        ValueBox(title="x" * 201, value=1)
    with pytest.raises(ValueError):
        ValueBox(value=1e16)
    with pytest.raises(TypeError):
        ValueBox(value=[1])  # pyright: ignore[reportArgumentType]  (the wrong type is the point)
    with pytest.raises(ValueError):
        box.update(theme="not a class")


def sample_function():
    return 1 + 1


def test_python_code_from_a_function_or_a_string():
    out = rendered(PythonCode(sample_function))
    assert out["type"] == "pythonCode" and out["data"].startswith("def sample_function():")
    assert rendered(PythonCode(code_string="x = 1"))["data"] == "x = 1"
    assert "needs a `code_func` or a `code_string`" in rendered(PythonCode())["data"]
    assert "cannot be read" in rendered(PythonCode(len))["data"]


def test_error_shows_the_title_the_exception_and_its_traceback():
    try:
        {}["missing"]
    except KeyError as e:
        out = rendered(Error(e, "Lookup failed"))
    assert out["type"] == "log"
    assert out["data"].startswith("Lookup failed\n\nKeyError('missing')\n\nTraceback (most recent call last):")
    assert 'KeyError: \'missing\'' in out["data"]
    assert rendered(Error(ValueError("v")))["data"] == "ValueError('v')"


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


GRAPH_INFO = {
    "file": "flow.py",
    "parameters": [{"name": "alpha", "type": "float"}],
    "steps": {
        "start": {"name": "start", "type": "split-static", "doc": "Begin.", "next": ["a", "b"], "matching_join": "join"},
        "a": {"name": "a", "type": "split-foreach", "doc": "", "next": ["each"], "matching_join": "collect", "foreach_artifact": "items"},
        "each": {"name": "each", "type": "linear", "doc": "", "next": ["collect"]},
        "collect": {"name": "collect", "type": "join", "doc": "", "next": ["join"]},
        "b": {"name": "b", "type": "split-switch", "doc": "", "next": ["c"], "condition": "mode", "switch_cases": {"x": "c"}},
        "c": {"name": "c", "type": "linear", "doc": "", "next": ["join"]},
        "join": {"name": "join", "type": "join", "doc": "", "next": ["end"]},
        "end": {"name": "end", "type": "end", "doc": "Done.", "next": []},
    },
    "graph_structure": [],
}


def sections(card):
    return {s["title"]: s["contents"] for s in card[1]["contents"] if s.get("type") == "section"}


def test_default_card_of_a_realistic_task():
    artifacts = [
        ("alpha", 0.5),
        ("name", "TrainFlow"),
        ("_foreach_stack", []),
        ("count", 3),
        ("label", "model-v2"),
        ("config", {"lr": 0.1, "layers": [64, 32]}),
        ("weights", np.ones((2000, 3))),
        ("picture", png(2, 2)),
        ("story", "word " * 100_000),
        ("odd", BrokenRepr()),
    ]
    created = datetime.datetime(2026, 1, 1, 12, 30, tzinfo=datetime.timezone.utc)
    metadata = {"Task Created On": created, "Task Finished On": None, "Attempt": 0, "Tags": "user:ana"}
    card = build_default_card("TrainFlow/12/train/7", artifacts, metadata, GRAPH_INFO, components=[Markdown("# Mine")], code="def train(self):\n    pass\n")
    json.dumps(card, allow_nan=False)
    assert card[0] == {"type": "title", "text": "TrainFlow/12/train/7"}
    page = card[1]
    assert page["type"] == "page" and page["title"] == "Task Info"
    assert page["contents"][0]["source"] == "# Mine", "the step's own components come first"
    secs = sections(card)
    assert list(secs) == ["Task Metadata", "Task Code", "Flow Parameters", "Artifacts", "Image Data", "DAG"]
    meta = secs["Task Metadata"][0]
    assert meta["vertical"] is True and meta["columns"] == list(metadata)
    assert meta["data"] == [["2026-01-01T12:30:00+00:00", None, 0, "user:ana"]], "dates as ISO-8601"
    assert secs["Task Code"][0]["data"][0][0] == {"type": "pythonCode", "data": "def train(self):\n    pass\n"}
    assert secs["Flow Parameters"][0]["data"] == [{"name": "alpha", "type": "float", "data": "0.5"}]
    entries = {e["name"]: e for e in secs["Artifacts"][0]["data"]}
    assert list(entries) == ["count", "label", "config", "weights", "picture", "story", "odd"]
    assert entries["config"]["data"] == "{'layers': [64, 32], 'lr': 0.1}"
    assert entries["weights"]["data"].startswith("array of shape (2000, 3), dtype float64\n") and "..." in entries["weights"]["data"]
    assert entries["story"]["data"].endswith("more characters not shown]") and len(entries["story"]["data"]) < 6000
    assert entries["story"]["data"].startswith("'word word")
    assert entries["odd"]["data"].startswith("<BrokenRepr instance at")
    image = secs["Image Data"][0]
    assert image["label"] == "picture" and base64.b64decode(image["src"].split(",", 1)[1]) == png(2, 2)
    dag = secs["DAG"][0]
    assert dag["type"] == "dag" and dag["data"]["start_step"] == "start" and dag["data"]["end_step"] == "end"
    steps = dag["data"]["steps"]
    assert steps["start"] == {"type": "split", "box_next": True, "box_ends": "join", "next": ["a", "b"], "doc": "Begin."}
    assert steps["a"]["type"] == "foreach" and steps["a"]["box_ends"] == "collect"
    assert steps["b"]["type"] == "switch" and steps["b"]["condition"] == "mode" and steps["b"]["switch_cases"] == {"x": "c"}
    assert steps["each"] == {"type": "linear", "box_next": False, "box_ends": None, "next": ["collect"], "doc": ""}
    assert steps["join"]["box_next"] is False and steps["end"]["box_next"] is True


def test_default_card_without_artifacts_parameters_or_graph():
    card = build_default_card("F/1/start/1", [("name", "F")], {}, None)
    secs = sections(card)
    assert list(secs) == ["Task Metadata", "Flow Parameters", "Artifacts"]
    assert secs["Flow Parameters"] == [{"type": "title", "text": "No Parameters"}]
    assert secs["Artifacts"] == [{"type": "title", "text": "No Artifacts"}]


def test_default_card_dag_from_a_flow_graph():
    from flowlens import FlowSpec, step
    from flowlens._graph import FlowGraph

    class Branchy(FlowSpec):
        @step
        def start(self):
            self.items = [1, 2]
            self.next(self.each, foreach="items")

        @step
        def each(self):
            self.next(self.join)

        @step
        def join(self, inputs):
            self.next(self.end)

        @step
        def end(self):
            pass

    card = build_default_card("Branchy/1/end/4", [], {}, FlowGraph(Branchy))
    steps = sections(card)["DAG"][0]["data"]["steps"]
    assert steps["start"]["type"] == "foreach" and steps["start"]["box_ends"] == "join" and steps["start"]["next"] == ["each"]
    assert steps["join"]["type"] == "join" and steps["end"]["type"] == "end"
