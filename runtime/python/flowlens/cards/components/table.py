"""Table: rows of values or components, or a pandas data frame (`Table.from_dataframe`)."""

from ._base import UserComponent, render_child
from ._dataframe import PREVIEW_ROWS, frame_rows, is_dataframe, is_series
from ._safe import error_dict, json_safe, type_name


def _is_rows(data):
    return isinstance(data, (list, tuple)) and all(isinstance(row, (list, tuple)) for row in data)


def render_cell(cell):
    """A cell's JSON: components rendered (charts sized to the cell), values made JSON-safe."""
    if getattr(cell, "type", None) == "vegaChart" and hasattr(cell, "_chart_inside_table"):
        cell._chart_inside_table = True
    rendered = render_child(cell)
    return rendered if rendered is not cell else json_safe(cell)


class Table(UserComponent):
    """A table of `data` (a list of rows, each a list of values or components) under `headers`.

    `update(data=None, headers=None)` replaces the rows and/or the headers; components inside
    cells can also be updated one by one.
    """

    type = "table"
    REALTIME_UPDATABLE = True

    def __init__(self, data=None, headers=None, disable_updates=False):
        self._headers = []
        self._data = []
        self._problem = None
        self._set(data, headers)
        if disable_updates:
            self.REALTIME_UPDATABLE = False

    def _set(self, data, headers):
        if headers is not None:
            if not isinstance(headers, (list, tuple)):
                self._problem = "`headers` must be a list of column names, not %s" % type_name(headers)
                return
            self._headers = [str(h) for h in headers]
        if data is not None:
            if not _is_rows(data):
                self._problem = "`data` must be a list of rows (each a list), not %s" % type_name(data)
                return
            self._data = [list(row) for row in data]
        self._problem = None

    def update(self, data=None, headers=None):
        if not self.REALTIME_UPDATABLE:
            self._warn("This `Table` was made with updates disabled (from a data frame or `disable_updates=True`); update ignored.")
            return
        self._set(data, headers)
        self._changed()

    @classmethod
    def from_dataframe(cls, dataframe=None, truncate=True):
        """A table of a pandas DataFrame (or Series): the index first, then the columns.

        With `truncate` (the default, as in Metaflow) only the first rows are shown.
        """
        if not (is_dataframe(dataframe) or is_series(dataframe)):
            return cls(headers=["Object type %s not supported" % type_name(dataframe)], disable_updates=True)
        headers, rows, _, _ = frame_rows(dataframe, PREVIEW_ROWS if truncate else None)
        return cls(data=rows, headers=headers, disable_updates=True)

    def _render(self):
        if self._problem is not None:
            return error_dict("`Table` cannot be shown", self._problem)
        return {
            "type": self.type,
            "columns": self._headers,
            "data": [[render_cell(cell) for cell in row] for row in self._data],
            "vertical": False,
        }
