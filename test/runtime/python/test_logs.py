"""Task output to log lines: the stored mflog format, a partial line sent after a quiet spell is
completed (not followed by a blank line), the size cap's marker."""

import re
import time

from flowlens._logs import StreamCapture, mflog_entry

# Metaflow's mflog line: version 0, a UTC time with microseconds, the source, an id, then the text as printed.
MFLOG = re.compile(r"^\[MFLOG\|0\|(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6})Z\|runtime\|([^|\]]+)\](.*)\n$")


def capture():
    sent = []
    return StreamCapture("stdout", lambda stream, line, ts: sent.append(line)), sent


def lines_of(cap):
    return [MFLOG.match(entry).group(3) for entry in cap.kept]  # pyright: ignore[reportOptionalMemberAccess] - a line not matching fails the test


def test_lines_are_stored_in_metaflows_mflog_format_with_their_text_as_printed():
    cap, _ = capture()
    cap.feed(b"hello\n\n  [x] | y ]\r\n")
    cap.close()
    stored = [MFLOG.match(line) for line in cap.text().splitlines(True)]
    assert all(stored) and len(stored) == 3, cap.text()
    assert [m.group(3) for m in stored if m] == ["hello", "", "  [x] | y ]"]
    assert len({m.group(2) for m in stored if m}) == 3, "each line has an id of its own"
    assert StreamCapture("stdout", lambda *a: None)._next_id() != cap._next_id(), "ids differ between streams"


def test_a_newline_arriving_after_the_partial_flush_adds_no_blank_line():
    # `print("loss 0.1")` unbuffered: the text, then (late, under load) its newline.
    cap, sent = capture()
    cap.feed(b"loss 0.1")
    cap.flush_stale(time.time() + 1)
    cap.feed(b"\nnext line\n")
    cap.close()
    assert lines_of(cap) == ["loss 0.1", "next line"]
    assert sent == ["loss 0.1", "next line"]


def test_the_rest_of_a_flushed_partial_line_joins_it_in_the_log_file():
    cap, sent = capture()
    cap.feed(b"progress: 10%")
    cap.flush_stale(time.time() + 1)
    cap.feed(b" 20%")
    cap.flush_stale(time.time() + 2)
    cap.feed(b" done\n")
    cap.feed(b"after\n")
    assert lines_of(cap) == ["progress: 10% 20% done", "after"]
    first = MFLOG.match(cap.kept[0])
    assert first and first.group(2).endswith("-1"), "the completed line keeps the id it was first stored with"
    assert sent == ["progress: 10%", " 20%", " done", "after"], "the live view gets each piece once"


def test_a_quiet_partial_line_at_the_end_is_kept():
    cap, sent = capture()
    cap.feed(b"no newline at the end")
    cap.flush_stale(time.time() + 1)
    cap.close()
    assert lines_of(cap) == ["no newline at the end"] and sent == ["no newline at the end"]


def test_a_line_the_worker_adds_never_joins_the_tasks_partial_line():
    cap, sent = capture()
    cap.feed(b"Crash and burn")
    cap.flush_stale(time.time() + 1)
    cap.add_line("Task failed with a segmentation fault")
    assert lines_of(cap) == ["Crash and burn", "Task failed with a segmentation fault"]


def test_a_line_kept_for_the_log_file_only_is_not_sent_live():
    cap, sent = capture()
    cap.add_line("The task process was killed by SIGKILL", live=False)
    assert lines_of(cap) == ["The task process was killed by SIGKILL"] and sent == []


def test_past_the_cap_one_marker_line_ends_the_stored_log():
    sent = []
    cap = StreamCapture("stderr", lambda stream, line, ts: sent.append(line), limit=300)
    cap.feed(b"".join(b"line %d\n" % i for i in range(20)))
    marker = "[flowlens] stderr truncated: the task printed more than 300 bytes"
    assert lines_of(cap)[-1] == marker and sent[-1] == marker
    assert 2 <= len(lines_of(cap)) < 6


def test_the_stamps_of_a_stream_strictly_increase_even_within_one_microsecond(monkeypatch):
    # Metaflow's reader sorts a file's lines by stamp: equal stamps would reorder them by id.
    monkeypatch.setattr(time, "time", lambda: 1764774000.5)
    cap, _ = capture()
    cap.feed(b"".join(b"line %d\n" % i for i in range(12)))
    stamps = [MFLOG.match(entry).group(1) for entry in cap.kept]  # pyright: ignore[reportOptionalMemberAccess] - a line not matching fails the test
    assert stamps == sorted(set(stamps)) and len(stamps) == 12
    assert stamps[0] == "2025-12-03T15:00:00.500000" and stamps[-1] == "2025-12-03T15:00:00.500011"


def test_a_stamp_names_its_own_second():
    assert mflog_entry(1764773999999999, "a-1", "x") == "[MFLOG|0|2025-12-03T14:59:59.999999Z|runtime|a-1]x\n"
    assert mflog_entry(1764774000000000, "a-2", "y") == "[MFLOG|0|2025-12-03T15:00:00.000000Z|runtime|a-2]y\n"
    assert mflog_entry(1764773999000001, "a-3", "z") == "[MFLOG|0|2025-12-03T14:59:59.000001Z|runtime|a-3]z\n"
