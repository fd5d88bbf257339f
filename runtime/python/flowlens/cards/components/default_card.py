"""The content of the `default` card: the task's metadata, code, parameters, artifacts and the DAG.

    build_default_card(pathspec, artifacts, metadata, graph, components=None, code=None,
                       parameters=None) -> list of component dicts

- `pathspec`: "Flow/run/step/task", the card's title.
- `artifacts`: (name, value) pairs already loaded. Names starting with `_` and `name` (the flow
  name) are left out, as Metaflow's client leaves them out of a task's artifacts.
- `metadata`: a dict shown as a two-column table in its order (e.g. "Task Created On",
  "Task Finished On", "Attempt", "Tags", "User"); values are made JSON-safe.
- `graph`: the flow's `_graph_info` dict, its steps mapping, or a FlowGraph (see dag.py), or None.
- `components`: what the step appended with `current.card.append` (components or rendered dicts),
  shown first, as Metaflow shows them above the task information.
- `code`: the step's source text, shown under "Task Code" when given.
- `parameters`: names of the artifacts that are flow parameters; by default the `parameters`
  of a `_graph_info` graph. They are shown under "Flow Parameters" instead of "Artifacts".

The layout is Metaflow's: a title, then one page "Task Info" of sections. Data frames also get
a table of their first rows under "Tabular Data", image bytes a picture under "Image Data".
A value whose preview fails shows the failure in its place; the card is still built.
"""

import traceback
from typing import Any, List

from ._base import render_child
from ._dataframe import PREVIEW_ROWS, frame_rows, is_dataframe
from ._safe import error_dict, json_safe, safe_text, type_name
from .dag import dag_component, parameter_names
from .image import bytes_to_data_uri, image_mime
from .viewers import artifact_entry


def _section(title, contents, columns=None):
    out = {"type": "section", "title": title, "contents": contents}
    if columns is not None:
        out["columns"] = columns
    return out


def _entry(name, value):
    try:
        return artifact_entry(name, value)
    except Exception as e:
        return {"name": name, "type": type_name(value), "data": "<preview failed: %s: %s>" % (type(e).__name__, e)}


def _frame_section(name, frame):
    try:
        headers, rows, total_rows, total_columns = frame_rows(frame, PREVIEW_ROWS)
    except Exception:
        return _section("Artifact Name: %s" % name, [error_dict("The data frame %s cannot be shown" % name, traceback.format_exc())])
    contents = [{"type": "table", "columns": headers, "data": rows, "vertical": False}]
    title = "Artifact Name: %s" % name
    if total_rows > len(rows):
        title = "Artifact Name: %s (%d columns and %d rows)" % (name, total_columns, total_rows)
        contents.append({"type": "markdown", "source": "_Truncated: %d rows not shown_" % (total_rows - len(rows))})
    return _section(title, contents)


def _image(name, value):
    src, problem = bytes_to_data_uri(value)
    if problem is not None:
        return error_dict("The image %s cannot be shown: %s" % (name, problem[0]), problem[1])
    return {"type": "image", "src": src, "label": name}


def _artifacts_section(title, entries, empty):
    return _section(title, [{"type": "artifacts", "data": entries}] if entries else [{"type": "title", "text": empty}])


def build_default_card(pathspec, artifacts, metadata, graph, components=None, code=None, parameters=None) -> List[Any]:
    params = set(parameter_names(graph) if parameters is None else parameters)
    param_entries, entries, tables, images = [], [], [], []
    for name, value in artifacts:
        if name.startswith("_") or name == "name":
            continue
        (param_entries if name in params else entries).append(_entry(name, value))
        if is_dataframe(value):
            tables.append(_frame_section(name, value))
        elif isinstance(value, (bytes, bytearray)) and image_mime(value):
            images.append(_image(name, value))

    meta = json_safe(dict(metadata or {}))
    contents = [render_child(c) for c in components or []]
    contents.append(_section("Task Metadata", [{"type": "table", "columns": list(meta.keys()), "data": [list(meta.values())], "vertical": True}]))
    if code:
        contents.append(_section("Task Code", [{"type": "table", "columns": [], "data": [[{"type": "pythonCode", "data": safe_text(code)}]], "vertical": False}]))
    contents.append(_artifacts_section("Flow Parameters", param_entries, "No Parameters"))
    contents.append(_artifacts_section("Artifacts", entries, "No Artifacts"))
    if tables:
        contents.append(_section("Tabular Data", tables))
    if images:
        contents.append(_section("Image Data", images, columns=len(images)))
    if graph:
        try:
            contents.append(_section("DAG", [dag_component(graph)]))
        except Exception:
            contents.append(_section("DAG", [error_dict("The flow's graph cannot be drawn", traceback.format_exc())]))
    return [{"type": "title", "text": str(pathspec)}, {"type": "page", "title": "Task Info", "contents": contents}]
