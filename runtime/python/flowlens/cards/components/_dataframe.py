"""Data frames (and series) as table headers and rows, read through pandas' own attributes.

Nothing here imports pandas: a frame is recognised by its type's module, so the runtime keeps
working where pandas is not installed.
"""

from ..._preview_artifact import _cell

PREVIEW_ROWS = 5  # rows shown of a truncated frame, as Metaflow's `head()`
COLUMN_LIMIT = 100  # columns shown; the rest are named in a note column


def is_dataframe(obj):
    module = type(obj).__module__ or ""
    return module.startswith("pandas") and hasattr(obj, "iloc") and hasattr(obj, "columns")


def is_series(obj):
    module = type(obj).__module__ or ""
    return module.startswith("pandas") and hasattr(obj, "iloc") and hasattr(obj, "to_frame") and not hasattr(obj, "columns")


def _index_cell(value):
    return _cell(" / ".join(str(v) for v in value) if isinstance(value, tuple) else value)


def frame_rows(frame, max_rows=None):
    """(headers, rows, total_rows, total_columns): the index first, then up to COLUMN_LIMIT columns."""
    if is_series(frame):
        frame = frame.to_frame()
    total_rows, total_columns = int(frame.shape[0]), int(frame.shape[1])
    page = frame if max_rows is None else frame.iloc[:max_rows]
    shown = min(total_columns, COLUMN_LIMIT)
    headers = [""] + [str(c) for c in list(frame.columns)[:shown]]
    extra = total_columns - shown
    if extra:
        headers.append("… %d more columns" % extra)
    rows = []
    for index, values in zip(page.index.tolist(), page.itertuples(index=False, name=None)):
        row = [_index_cell(index)] + [_cell(v) for v in values[:shown]]
        if extra:
            row.append("…")
        rows.append(row)
    return headers, rows, total_rows, total_columns
