"""Line-by-line capture of a task's stdout/stderr: timestamps, the 10 MB cap, the log file text."""

import datetime
import os
import time

# Metaflow's default cap per stream; FLOWLENS_MAX_LOG_BYTES overrides it (tests, --max-log-size).
MAX_LOG_BYTES = int(os.environ.get("FLOWLENS_MAX_LOG_BYTES") or 10 * 1024 * 1024)
MAX_LINE_BYTES = 64 * 1024
PARTIAL_LINE_SECONDS = 0.1


def iso_utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
        entry = "[%s] %s\n" % (iso_utc(ts), whole)
        old = self.kept.pop()
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
        entry = "[%s] %s\n" % (iso_utc(ts), text)
        size = len(entry.encode("utf-8"))
        if self.kept_bytes + size > self.limit:
            self.truncated = True
            marker = "[flowlens] %s truncated: the task printed more than %s" % (self.stream, _size(self.limit))
            self.kept.append("[%s] %s\n" % (iso_utc(ts), marker))
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


def _size(n):
    return "%d MB" % (n // (1024 * 1024)) if n >= 1024 * 1024 else "%d bytes" % n
