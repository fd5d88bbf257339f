"""Card components with the standard library: Markdown, headings, containers, Table, Image,
VegaChart, ProgressBar, ValueBox, PythonCode and Error: their JSON and their updates."""

import base64
import re

import pytest

from card_helpers import Logger, png, rendered
from flowlens.cards import components as cc
from flowlens.cards.components import (
    Error,
    Image,
    Markdown,
    MetaflowCardComponent,
    Page,
    ProgressBar,
    PythonCode,
    Section,
    Subtitle,
    Table,
    Title,
    ValueBox,
    VegaChart,
)
from flowlens.cards.components.image import IMAGE_LIMIT


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
