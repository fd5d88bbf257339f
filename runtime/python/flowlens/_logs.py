"""Line-by-line capture of a task's stdout/stderr: timestamps, the 10 MB cap, the log file text.

Each stored line is in Metaflow's mflog format, so Metaflow's own client strips it as it does for
its own runs: `[MFLOG|0|<UTC time, microseconds>Z|<source>|<line id>]<text>`. The source names who
took the time stamp ("runtime": this process, as Metaflow's local runtime does); the id is unique
to the line (a random token per stream and a counter: shorter than a UUID per line). The stamps of
one stream strictly increase: Metaflow's reader sorts a file's lines by stamp, and lines with the
same stamp would come back in the order of their ids, not of their printing.
"""

import datetime
import os
import time
import uuid

# Metaflow's default cap per stream; FLOWLENS_MAX_LOG_BYTES overrides it (tests, --max-log-size).
MAX_LOG_BYTES = int(os.environ.get("FLOWLENS_MAX_LOG_BYTES") or 10 * 1024 * 1024)
MAX_LINE_BYTES = 64 * 1024
PARTIAL_LINE_SECONDS = 0.1


LOG_SOURCE = "runtime"


def mflog_entry(micros, line_id, text, source=LOG_SOURCE):
    """One stored log line (with its newline) stamped `micros` (µs since the epoch, UTC); `text` holds no newline."""
    global _second
    seconds, fraction = divmod(micros, 1000000)
    second = _second  # one (seconds, text) tuple, read once: safe beside another thread's update
    if second[0] != seconds:  # formatting the date once a second, not once a line
        second = _second = (seconds, datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"))
    return "[MFLOG|0|%s.%06dZ|%s|%s]%s\n" % (second[1], fraction, source, line_id, text)


_second = (None, "")


class StreamCapture(object):
    """Bytes in, complete lines out (to `forward`) and kept for the log file, up to MAX_LOG_BYTES."""

    def __init__(self, stream, forward, limit=MAX_LOG_BYTES):
        self.stream = stream
        self.forward = forward
        self.limit = limit
        self.pending = b""
        self.kept = []
        self.kept_bytes = 0
        self.truncated = False
        self.last_data = 0.0
        self.version = 0
        # A partial line sent after a quiet spell stays open: what the task writes next, up to its
        # newline, belongs to the same line (`print` writes the text and its newline separately,
        # and under load they can arrive more than the quiet spell apart).
        self.open_text = None
        self._last_text = None
        self._id_token = uuid.uuid4().hex[:12]
        self._lines = 0

        self._last_micros = 0

    def _next_id(self):
        self._lines += 1
        return "%s-%d" % (self._id_token, self._lines)

    def _micros(self, ts):
        """`ts` in µs, past the stream's last stamp (equal when two lines are printed within 1 µs, or the clock stepped back)."""
        self._last_micros = max(int(ts * 1000000), self._last_micros + 1)
        return self._last_micros

    def feed(self, data):
        self.pending += data
        self.last_data = time.time()
        while True:
            cut = self.pending.find(b"\n")
            if cut < 0:
                if len(self.pending) > MAX_LINE_BYTES:
                    line, self.pending = self.pending[:MAX_LINE_BYTES], self.pending[MAX_LINE_BYTES:]
                    self._line(line)
                    continue
                return
            line, self.pending = self.pending[:cut], self.pending[cut + 1:]
            self._line(line)
            self.open_text = None

    def flush_stale(self, now, quiet=PARTIAL_LINE_SECONDS):
        """A partial line (a prompt, a progress bar) is sent once the task has been quiet for `quiet` seconds."""
        if self.pending and now - self.last_data >= quiet:
            self.close()
            self.open_text = self._last_text

    def _continue(self, text, ts):
        """The rest of a line whose start was already sent: the log file keeps one line, the live view gets the rest."""
        whole = self.open_text + text
        self.open_text = self._last_text = whole
        old = self.kept.pop()
        entry = mflog_entry(self._micros(ts), _line_id(old), whole)
        self.kept_bytes -= len(old.encode("utf-8"))
        self.kept.append(entry)
        self.kept_bytes += len(entry.encode("utf-8"))
        self.version += 1
        if text:
            self.forward(self.stream, text, ts)

    def close(self):
        if self.pending:
            line, self.pending = self.pending, b""
            self._line(line)

    def _line(self, raw):
        if self.truncated:
            return
        text = raw.decode("utf-8", "replace").rstrip("\r")
        ts = time.time()
        if self.open_text is not None:
            return self._continue(text, ts)
        self._last_text = text
        entry = mflog_entry(self._micros(ts), self._next_id(), text)
        size = len(entry.encode("utf-8"))
        if self.kept_bytes + size > self.limit:
            self.truncated = True
            marker = "[flowlens] %s truncated: the task printed more than %s" % (self.stream, _size(self.limit))
            self.kept.append(mflog_entry(self._micros(ts), self._next_id(), marker))
            self.forward(self.stream, marker, ts)
            return
        self.kept.append(entry)
        self.kept_bytes += size
        self.version += 1
        self.forward(self.stream, text, ts)

    def add_line(self, text, live=True):
        """A line the worker itself adds to the task's log (e.g. output printed while importing the flow).

        `live=False` keeps it in the log file only: for what the runtime reports anyway.
        """
        self.close()
        self.open_text = None  # its own line, never the rest of the task's last partial line
        forward = self.forward
        if not live:
            self.forward = lambda stream, line, ts: None
        try:
            self._line(text.encode("utf-8"))
        finally:
            self.forward = forward

    def text(self):
        return "".join(self.kept)


def _line_id(entry):
    """The id of a stored line: a continued line keeps the id it was first stored with."""
    return entry.split("]", 1)[0].rsplit("|", 1)[1]


def _size(n):
    return "%d MB" % (n // (1024 * 1024)) if n >= 1024 * 1024 else "%d bytes" % n
