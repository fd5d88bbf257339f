"""The default card's content for a realistic task, and its DAG from graph information or a flow class."""

import base64
import datetime
import json

import numpy as np

from card_helpers import BrokenRepr, png
from flowlens.cards.components import Markdown
from flowlens.cards.components.default_card import build_default_card


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
