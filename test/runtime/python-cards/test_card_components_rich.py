"""Table.from_dataframe, Image from PIL images and the default card's data frames and images,
with real pandas and Pillow (see conftest.py). matplotlib is not installed there: its path is
covered with stand-in figures in test/runtime/python/test_card_components.py."""


def test_from_dataframe_shows_the_index_then_the_first_rows(probe):
    table = probe["truncated"]
    assert table["type"] == "table" and table["columns"] == ["", "n", "x", "s", "when", "ok"]
    assert len(table["data"]) == 5, "truncated as Metaflow's head()"
    assert table["data"][0] == ["r0", 0, 0.5, "a", "2026-01-01 00:00:00", True]
    assert table["data"][1][2] == "nan" and table["data"][1][3] == "nan", "missing values are strings, the JSON stays strict"
    long_cell = table["data"][2][3]
    assert long_cell.startswith("long long") and long_cell.endswith("…") and len(long_cell) == 200


def test_from_dataframe_untruncated_series_and_multi_index(probe):
    assert len(probe["full"]["data"]) == 8 and probe["full"]["data"][7][0] == "r7"
    assert probe["series"]["columns"] == ["", "s"] and probe["series"]["data"] == [[0, 1.0], [1, 2.0]]
    assert probe["multi"]["data"] == [["a / 1", 1], ["b / 2", 2]]


def test_a_table_from_a_frame_ignores_updates(probe):
    assert probe["frozen"]["data"] == probe["truncated"]["data"]


def test_images_from_pil_are_pngs_a_reader_can_open(probe):
    assert probe["pil_ctor"] == [7, 3, "PNG"]
    assert probe["from_pil"] == [5, 9, "PNG"], "update() with a new PIL image replaced the picture"
    assert probe["from_pil_label"] == "red" and probe["live_version"] == 1


def test_default_card_shows_frames_as_tables_and_image_bytes_as_pictures(probe):
    title, page = probe["card"]
    sections = {s["title"]: s["contents"] for s in page["contents"]}
    artifacts = {e["name"]: e for e in sections["Artifacts"][0]["data"]}
    assert artifacts["frame"]["data"].startswith("DataFrame of 12 rows x 3 columns\n")
    assert artifacts["pil"]["type"].startswith("PIL.")
    (frame_section,) = sections["Tabular Data"]
    assert frame_section["title"] == "Artifact Name: frame (3 columns and 12 rows)"
    table, note = frame_section["contents"]
    assert table["columns"] == ["", "a", "b", "c"] and table["data"][0] == [0, 0, 0.0, "x0"] and len(table["data"]) == 5
    assert note == {"type": "markdown", "source": "_Truncated: 7 rows not shown_"}
    (image,) = sections["Image Data"]
    assert image["label"] == "jpeg" and image["src"].startswith("data:image/jpeg;base64,/9j/")
