"""Builds card components from real pandas frames and PIL images and prints their JSON.

Run by conftest.py with an interpreter that has pandas and Pillow; the runtime's own folder is
on PYTHONPATH. Images are decoded back with PIL here, so the tests can check what a reader sees.
"""

import base64
import io
import json
import sys

import numpy as np  # pyright: ignore[reportMissingImports]
import pandas as pd  # pyright: ignore[reportMissingImports]
from PIL import Image as PILImage  # pyright: ignore[reportMissingImports]

from flowlens.cards.components import Image, Table
from flowlens.cards.components.default_card import build_default_card


def decoded_size(component_dict):
    """(width, height, format) of the picture a data: URI carries, as PIL reads it back."""
    payload = component_dict["src"].split(",", 1)[1]
    with PILImage.open(io.BytesIO(base64.b64decode(payload))) as img:
        return [img.width, img.height, img.format]


def main():
    frame = pd.DataFrame(
        {
            "n": range(8),
            "x": [0.5, float("nan")] + [1.5] * 6,
            "s": ["a", None] + ["long " * 100] + ["b"] * 5,
            "when": pd.date_range("2026-01-01", periods=8, freq="D"),
            "ok": [True, False] * 4,
        },
        index=["r%d" % i for i in range(8)],
    )
    multi = pd.DataFrame({"v": [1, 2]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["k", "i"]))
    frozen = Table.from_dataframe(frame)
    frozen.update(data=[["changed"]])

    red = PILImage.new("RGB", (7, 3), (255, 0, 0))
    live = Image.from_pil_image(red, label="red")
    live.update(PILImage.new("L", (5, 9)))
    buf = io.BytesIO()
    PILImage.new("RGB", (4, 4), (0, 0, 255)).save(buf, format="JPEG")

    big = pd.DataFrame({"a": range(12), "b": np.arange(12) * 0.5, "c": ["x%d" % i for i in range(12)]})
    card = build_default_card("F/1/start/2", [("frame", big), ("jpeg", buf.getvalue()), ("pil", red)], {"Attempt": 0}, None)

    out = {
        "truncated": Table.from_dataframe(frame).render(),
        "full": Table.from_dataframe(frame, truncate=False).render(),
        "series": Table.from_dataframe(pd.Series([1.0, 2.0], name="s")).render(),
        "multi": Table.from_dataframe(multi).render(),
        "frozen": frozen.render(),
        "pil_ctor": decoded_size(Image(red).render()),
        "from_pil": decoded_size(live.render()),
        "from_pil_label": live.render()["label"],
        "live_version": live.version,
        "card": card,
    }
    text = json.dumps(out, allow_nan=False)  # strict JSON, as a card page carries it
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
