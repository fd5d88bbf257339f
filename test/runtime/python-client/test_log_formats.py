"""A task's logs in each stored format read back the same: mflog lines as the runtime's writer
stores them, and the `[ISO] text` lines of earlier Flowlens versions."""

import datetime

import pytest

from flowlens._logs import StreamCapture
from flowlens.client import Task


@pytest.fixture
def written(builder):
    b = builder()
    b.linear_run("1", {"start": {"x": 1}, "hello": {"msg": "hi"}, "end": {"y": 1}})
    cap = StreamCapture("stdout", lambda stream, line, ts: None)
    cap.feed(b"first\n\n  [x] | y ]\npartial")
    cap.close()
    base = "HelloFlow/1/hello/2/0."
    b.w.put(base + "runtime_stdout.log", cap.text())
    b.w.put(base + "runtime_stderr.log", "[2026-12-03T15:00:00.250000Z] old warning\n[2026-12-03T15:00:01.000000Z] second\n")
    return cap


def test_the_runtimes_mflog_lines_read_as_printed(written):
    task = Task("HelloFlow/1/hello/2")
    assert task.stdout == "first\n\n  [x] | y ]\npartial\n"
    stamps = [ts for ts, _ in task.loglines("stdout")]
    stored = [line.split("|")[2] for line in written.text().splitlines()]
    assert [ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ") for ts in stamps] == stored


def test_lines_of_earlier_versions_still_read(written):
    task = Task("HelloFlow/1/hello/2")
    assert task.stderr == "old warning\nsecond\n"
    assert [ts for ts, _ in task.loglines("stderr")] == [
        datetime.datetime(2026, 12, 3, 15, 0, 0, 250000, tzinfo=datetime.timezone.utc),
        datetime.datetime(2026, 12, 3, 15, 0, 1, tzinfo=datetime.timezone.utc),
    ]
