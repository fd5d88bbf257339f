"""A task's record (`<attempt>.data.json`) as read back: its artifact table now, the rest on demand.

A join reads one record an input, tens of thousands of them, and needs of each only its table
of artifact shas (`objects`); `info` (each artifact's size, type and encoding) is read for the
few artifacts the join stores unchanged. Parsing `info` is most of a record's parse, so a record
in the exact form `write_data` gives it is parsed up to its table, and `info` when first asked
for. A record of any other form (Metaflow's own writer spaces its JSON) is parsed whole.

A record is checked before the step either way: the table must parse and the record must be
whole (the `info` key after the table, the closing brace). Damage inside `info` alone is found
when `info` is read, and said as damage then.
"""

import json
import re

from .exceptions import MetaflowDataMissing

# The keys `write_data` writes before the table, in its order and without spaces.
_HEAD = re.compile(r'\{"datastore":"[^"\\]*","version":"[^"\\]*","attempt":\d+,"python_version":"[^"\\]*","objects":')
_INFO = ',"info":'
_DECODER = json.JSONDecoder()


class TaskData(object):
    """The finished attempt of one task: artifact name -> sha (`objects`), and their `info`."""

    __slots__ = ("pathspec", "attempt", "objects", "step", "_info", "_text", "_start", "_flow")

    def __init__(self, pathspec, attempt, objects, info, text=None, start=0, flow_name=None):
        self.pathspec = pathspec
        self.attempt = attempt
        self.objects = objects
        self.step = pathspec.split("/")[1]
        self._info = info
        # The record's text while `info` is not parsed yet, and where `info` starts in it.
        self._text = text
        self._start = start
        self._flow = flow_name

    @property
    def info(self):
        if self._text is not None:
            text = self._text
            try:
                info, end = _DECODER.raw_decode(text, self._start)
                if end != len(text) - 1:
                    # Keys after `info`: not the form this runtime writes, so the record is read whole.
                    info = json.loads(text).get("info", {})
            except (ValueError, AttributeError) as e:
                raise _damaged("%s/%s" % (self._flow, self.pathspec), self.attempt, e) from None
            if not isinstance(info, dict):
                raise _damaged("%s/%s" % (self._flow, self.pathspec), self.attempt, "its info is not a map")
            self._info, self._text = info, None
        return self._info


def parse_record(flow_name, pathspec, attempt, body):
    """TaskData of the record `body` (bytes) of `flow_name`'s task `pathspec`, attempt `attempt`.

    Raises MetaflowDataMissing, naming the task, when the record is not a whole JSON record."""
    try:
        text = body.decode("utf-8")
        head = _HEAD.match(text)
        if head is not None:
            objects, end = _DECODER.raw_decode(text, head.end())
            if isinstance(objects, dict) and text.startswith(_INFO, end) and text.endswith("}"):
                return TaskData(pathspec, attempt, objects, None, text, end + len(_INFO), flow_name)
        data = json.loads(text)
        objects, info = data.get("objects", {}), data.get("info", {})
    except (ValueError, AttributeError) as e:
        raise _damaged("%s/%s" % (flow_name, pathspec), attempt, e) from None
    if not isinstance(objects, dict):
        raise _damaged("%s/%s" % (flow_name, pathspec), attempt, "its objects are not a map")
    return TaskData(pathspec, attempt, objects, info)


def _damaged(task, attempt, why):
    return MetaflowDataMissing("Task %s attempt %d has a damaged data.json (%s)" % (task, attempt, why))
